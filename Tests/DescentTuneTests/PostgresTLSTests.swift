#if PostgreSQL
import DescentTune
@testable import DescentTunePostgres
import Foundation
import XCTest

/// `sslmode` in a postgres:// URL, with libpq's names. The parsing and the refusal by a server
/// without TLS always run (a loopback listener answers the TLS request as such a server does); the
/// connections over TLS run against DESCENT_TEST_POSTGRES_URL when DESCENT_TEST_POSTGRES_CA names its
/// certificate (scripts/ci_postgres.sh starts such a server).
final class PostgresTLSTests: XCTestCase {
    func testSSLModesHaveLibpqsNamesAndMeanings() throws {
        let base = "postgres://descent:secret@127.0.0.1:5432/studies"
        let expected: [(String?, PostgresTLSMode, allowed: Bool, enforced: Bool)] = [
            (nil, .prefer, true, false), ("disable", .disable, false, false), ("allow", .allow, true, false),
            ("prefer", .prefer, true, false), ("require", .require, true, true), ("verify-full", .verifyFull, true, true),
        ]
        for (mode, tlsMode, allowed, enforced) in expected {
            let parsed = try PostgresStudyStorage.parse(base + (mode.map { "?sslmode=\($0)" } ?? ""))
            XCTAssertEqual(parsed.tlsMode, tlsMode)
            XCTAssertEqual(parsed.configuration.tls.isAllowed, allowed, mode ?? "none")
            XCTAssertEqual(parsed.configuration.tls.isEnforced, enforced, mode ?? "none")
            XCTAssertEqual(parsed.redacted, "postgres://descent:***@127.0.0.1:5432/studies" + (mode.map { "?sslmode=\($0)" } ?? ""))
        }
        XCTAssertThrowsError(try PostgresStudyStorage.parse(base + "?sslmode=required")) { error in
            XCTAssertEqual("\(error)", "--storage: sslmode=required is not a PostgreSQL sslmode; "
                + "use one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        XCTAssertThrowsError(try PostgresStudyStorage.parse(base + "?sslmode=verify-ca&sslrootcert=/nonexistent/root.crt")) { error in
            XCTAssertEqual("\(error)", "--storage: sslrootcert=/nonexistent/root.crt: cannot read the file")
        }
    }

    func testRequireAgainstAServerWithoutTLSFailsClearly() throws {
        let server = try NoTLSServer()
        defer { server.close() }
        let url = "postgres://descent:Secret-4711@127.0.0.1:\(server.port)/none?sslmode=require"
        XCTAssertThrowsError(try PostgresStudyStorage(url: url)) { error in
            XCTAssertTrue("\(error)".contains("the server does not accept TLS connections, and sslmode=require allows no other"), "\(error)")
            XCTAssertTrue("\(error)".contains("postgres://descent:***@127.0.0.1:\(server.port)/none?sslmode=require"), "\(error)")
            XCTAssertFalse("\(error)".contains("Secret-4711"), "\(error)")
        }
        XCTAssertEqual(server.requests, 1)
    }

    func testRequireAndVerifyFullConnectOverTLS() throws {
        let (url, certificate) = try serverWithTLS()
        let require = try PostgresStudyStorage(url: url + "?sslmode=require")
        XCTAssertTrue(try require.isEncrypted())
        let name = "tls-\(UUID().uuidString.prefix(8))"
        let study = try require.openStudy(name: name, direction: .minimize, configuration: "tls")
        XCTAssertEqual(try require.findStudy(named: name), study)
        XCTAssertFalse(try PostgresStudyStorage(url: url + "?sslmode=disable").isEncrypted())
        XCTAssertTrue(try PostgresStudyStorage(url: url).isEncrypted())   // libpq's default, prefer
        // verify-full: the certificate is signed by the given root and names 127.0.0.1 (and localhost).
        let verified = try PostgresStudyStorage(url: url + "?sslmode=verify-full&sslrootcert=\(certificate)")
        XCTAssertTrue(try verified.isEncrypted())
        XCTAssertEqual(try verified.findStudy(named: name), study)
        // Another root: the server's certificate is not trusted, and nothing connects.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("descent-other-root-\(UUID().uuidString).crt")
        try Data(Self.otherRoot.utf8).write(to: other)
        defer { try? FileManager.default.removeItem(at: other) }
        for mode in ["verify-full", "verify-ca"] {
            XCTAssertThrowsError(try PostgresStudyStorage(url: url + "?sslmode=\(mode)&sslrootcert=\(other.path)"), mode) { error in
                XCTAssertTrue("\(error)".contains("cannot connect to the study database"), "\(error)")
            }
        }
    }

    /// DESCENT_TEST_POSTGRES_URL without its query, and DESCENT_TEST_POSTGRES_CA.
    private func serverWithTLS() throws -> (url: String, certificate: String) {
        let environment = ProcessInfo.processInfo.environment
        guard let url = environment["DESCENT_TEST_POSTGRES_URL"], !url.isEmpty,
              let certificate = environment["DESCENT_TEST_POSTGRES_CA"], !certificate.isEmpty else {
            let message = "PostgreSQL TLS tests skipped: DESCENT_TEST_POSTGRES_URL and DESCENT_TEST_POSTGRES_CA are not both set "
                + "(scripts/ci_postgres.sh starts a server with TLS and prints them)"
            print(message)
            throw XCTSkip(message)
        }
        return (url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url, certificate)
    }

    /// A self-signed certificate that signed nothing the test server shows.
    static let otherRoot = """
        -----BEGIN CERTIFICATE-----
        MIIBkzCCATmgAwIBAgIUKDkte1TgYnqkf3o8z7vn8cuqD9QwCgYIKoZIzj0EAwIw
        HjEcMBoGA1UEAwwTbm90LXRoZS10ZXN0LXNlcnZlcjAgFw0yNjExMzAyMDUxMDRa
        GA8yMTI2MTEwNjIwNTEwNFowHjEcMBoGA1UEAwwTbm90LXRoZS10ZXN0LXNlcnZl
        cjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABALKFpowz/pxJboIlQuAGOF/wE1e
        0EOFiQWbjp7aHbEsCYGZYo/5H/jjabDnpuVGvYrjG7+5l6fKWFjqXTWa8DWjUzBR
        MB0GA1UdDgQWBBTTH3mjjVq9phCL+IGHO9dXKpBQAzAfBgNVHSMEGDAWgBTTH3mj
        jVq9phCL+IGHO9dXKpBQAzAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gA
        MEUCIDxDDoDCERs2WfkNObCTVVFHsD1tNorgJG2YQyn/hsteAiEAkD2J6pd6p0Mp
        RzIQCWvB0wbqM7EtmdYC30bkPNB79EI=
        -----END CERTIFICATE-----

        """
}

/// A loopback listener that answers PostgreSQL's TLS request (SSLRequest: length 8, code 80877103)
/// with 'N', as a server with `ssl = off` does, then closes the connection.
private final class NoTLSServer: @unchecked Sendable {
    let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var answered = 0
    private let done = DispatchSemaphore(value: 0)

    var requests: Int {
        _ = done.wait(timeout: .now() + 5)
        lock.lock()
        defer { lock.unlock() }
        return answered
    }

    init() throws {
        let listener = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 4) == 0 else { Glibc.close(listener); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        socket = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                done.signal()
                return
            }
            var request = [UInt8](repeating: 0, count: 8)
            var received = 0
            while received < 8 {
                let count = request.withUnsafeMutableBytes { recv(client, $0.baseAddress! + received, 8 - received, 0) }
                if count <= 0 { break }
                received += count
            }
            // 00 00 00 08 04 d2 16 2f: an SSLRequest.
            if received == 8, request == [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F] {
                _ = send(client, [UInt8(ascii: "N")], 1, 0)
                lock.lock()
                answered += 1
                lock.unlock()
            }
            Glibc.close(client)
            done.signal()
        }
    }

    func close() { Glibc.close(socket) }
}
#endif
