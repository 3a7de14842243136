import Foundation
import XCTest
@testable import DescentFiles

/// SHA-256 against the FIPS 180-4 examples (NIST's "abc", the 448-bit message, a million 'a's) and
/// against `sha256sum` of the shared real data files; a message fed in pieces gives the same digest.
final class SHA256Tests: XCTestCase {
    func testFIPSExamples() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testPaddingEdges() {
        // 55 bytes fit the length in the same block, 56 need another: both as `printf 'a%.0s' {1..N} | sha256sum`.
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 55)), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 56)), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: 0x61, count: 64)), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    func testPiecesGiveTheWholeDigest() {
        let message = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(message)
        for cut in [0, 1, 55, 63, 64, 65, 200, 999, 1_000] {
            var digest = SHA256()
            digest.update(Array(message[..<cut]))
            // The rest in pieces of 7 bytes, so partial blocks meet at every offset.
            var start = cut
            while start < message.count {
                digest.update(Array(message[start..<min(start + 7, message.count)]))
                start += 7
            }
            XCTAssertEqual(digest.finalizeHex(), whole, "cut at \(cut)")
        }
    }

    func testRealFilesAgreeWithSha256sum() throws {
        // Digests printed by coreutils' sha256sum for the shared data sets.
        let expected = [
            "iris.csv": "17e9e19553ed7fa1ebb8b5b4d9d3536da813ebacaf446aff895742dff04087c3",
            "digits.csv": "5216585df7725658953aff1e41ef0e63a6243ab3ce73551b91534991d7298c14",
        ]
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DescentData/Resources")
        for (name, digest) in expected {
            let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
            XCTAssertEqual(SHA256.hex([UInt8](bytes)), digest, name)
        }
    }
}
