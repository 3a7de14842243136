#if PostgreSQL
import DescentTune
import Foundation
import NIOSSL
import PostgresNIO

/// The `sslmode` of a `postgres://` URL, with libpq's names and meanings
/// (https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION):
///
/// | sslmode       | TLS                                   | the server's certificate                          |
/// |---------------|---------------------------------------|---------------------------------------------------|
/// | `disable`     | never                                 | —                                                 |
/// | `allow`       | when the server offers it             | not checked                                       |
/// | `prefer`      | when the server offers it (default)   | not checked                                       |
/// | `require`     | always: a server without TLS fails    | not checked (encrypted, but anyone may answer)    |
/// | `verify-ca`   | always                                | signed by a trusted root                          |
/// | `verify-full` | always                                | signed by a trusted root and names the URL's host |
///
/// The trusted roots of `verify-ca` and `verify-full` are, as libpq's, the PEM file of the URL's
/// `sslrootcert` parameter (`sslrootcert=system`: the system's roots), else `~/.postgresql/root.crt`
/// when it exists, else the system's roots. (`allow` tries TLS first where libpq tries without it
/// first: both connect to the same servers, this one encrypted whenever it can.)
///
/// Example: `postgres://descent:secret@db.example:5432/studies?sslmode=verify-full&sslrootcert=ca.pem`
/// connects only over TLS to a server whose certificate, signed by ca.pem, names db.example.
public enum PostgresTLSMode: String, CaseIterable, Sendable {
    case disable, allow, prefer, require
    case verifyCA = "verify-ca"
    case verifyFull = "verify-full"

    /// libpq's default.
    public static let defaultMode = PostgresTLSMode.prefer

    /// The mode called `name`; an unknown name is an error naming it and listing the known ones.
    public init(name: String) throws {
        guard let mode = PostgresTLSMode(rawValue: name) else {
            throw StudyStorageError("--storage: sslmode=\(name.count > 40 ? String(name.prefix(40)) + "…" : name) is not a PostgreSQL sslmode; "
                + "use one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = mode
    }

    /// Whether the connection fails rather than go on without TLS.
    public var requiresTLS: Bool { self == .require || verifiesCertificate }

    /// Whether the server's certificate is checked against trusted roots.
    public var verifiesCertificate: Bool { self == .verifyCA || self == .verifyFull }

    /// postgres-nio's TLS setting for this mode; `rootCertificate` is the `sslrootcert` parameter.
    /// - Throws: `StudyStorageError` when the root certificate file cannot be read or TLS cannot be set up.
    public func connectionTLS(rootCertificate: String?) throws -> PostgresConnection.Configuration.TLS {
        if self == .disable { return .disable }
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch self {
        case .verifyFull: configuration.certificateVerification = .fullVerification
        case .verifyCA: configuration.certificateVerification = .noHostnameVerification
        default: configuration.certificateVerification = .none
        }
        if verifiesCertificate, let roots = try Self.trustRoots(rootCertificate) { configuration.trustRoots = roots }
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw StudyStorageError("--storage: cannot set up TLS (sslmode=\(rawValue)\(rootCertificate.map { ", sslrootcert=\($0)" } ?? "")): \(error)")
        }
        return requiresTLS ? .require(context) : .prefer(context)
    }

    /// `sslrootcert`'s file, `~/.postgresql/root.crt`, or nil for the system's roots.
    static func trustRoots(_ rootCertificate: String?) throws -> NIOSSLTrustRoots? {
        if rootCertificate == "system" { return .default }
        if let path = rootCertificate {
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw StudyStorageError("--storage: sslrootcert=\(path): cannot read the file")
            }
            do {
                return .certificates(try NIOSSLCertificate.fromPEMFile(path))
            } catch {
                throw StudyStorageError("--storage: sslrootcert=\(path) is not a PEM certificate file: \(error)")
            }
        }
        let home = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".postgresql/root.crt").path
        if FileManager.default.isReadableFile(atPath: home), let certificates = try? NIOSSLCertificate.fromPEMFile(home) {
            return .certificates(certificates)
        }
        return nil
    }
}
#endif
