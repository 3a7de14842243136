import DescentFiles
import XCTest

/// The seal of checkpoint files: the checksum is Python's `hashlib.sha256(content).hexdigest()` of the bytes
/// without the checksum member, and any changed byte is refused.
final class ContentChecksumTests: XCTestCase {
    func testTheSealIsTheSHA256OfTheContentAsPythonComputesIt() {
        // hashlib.sha256(b'{"epoch":2}').hexdigest()
        let sealed = ContentChecksum.seal(Array(#"{"epoch":2}"#.utf8))
        XCTAssertEqual(String(decoding: sealed, as: UTF8.self),
                       #"{"contentSHA256":"e29fb48e84a70a4e68267da229f1f8a54593acf8c81b9240a0f5f739c6535eb7","epoch":2}"#)
        XCTAssertEqual(ContentChecksum.open(sealed), .verified(content: Array(#"{"epoch":2}"#.utf8)))
        // hashlib.sha256(b'{}').hexdigest()
        let empty = ContentChecksum.seal(Array("{ }".utf8))
        XCTAssertEqual(String(decoding: empty, as: UTF8.self),
                       #"{"contentSHA256":"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"}"#)
        XCTAssertEqual(ContentChecksum.open(empty), .verified(content: Array("{}".utf8)))
    }

    func testEveryChangedByteIsDamageAndAnUnsealedFileIsSaidSo() {
        let content = Array(#"{"loss":1e-05,"steps":[1,2,3],"weights":"AACAPwAAAEA="}"#.utf8)
        let sealed = ContentChecksum.seal(content)
        XCTAssertEqual(ContentChecksum.open(content), .unsealed)
        for index in sealed.indices {
            for bit in 0..<8 {
                var flipped = sealed
                flipped[index] ^= UInt8(1 << bit)
                let verdict = ContentChecksum.open(flipped)
                // A flip in the key's own letters leaves an unknown member and the content intact (unsealed); any other is damage.
                if (1...16).contains(index) {
                    XCTAssertNotEqual(verdict, .verified(content: content), "byte \(index) bit \(bit)")
                } else {
                    XCTAssertEqual(verdict, .damaged, "byte \(index) bit \(bit)")
                }
            }
        }
        // Truncated, or the checksum moved by a tool that rewrote the file: damaged.
        XCTAssertEqual(ContentChecksum.open(Array(sealed.dropLast(3))), .damaged)
        XCTAssertEqual(ContentChecksum.open(Array(sealed.prefix(40))), .damaged)
        let moved = #"{"loss":1e-05,"contentSHA256":"e29fb48e84a70a4e68267da229f1f8a54593acf8c81b9240a0f5f739c6535eb7"}"#
        XCTAssertEqual(ContentChecksum.open(Array(moved.utf8)), .damaged)
        // A value that merely reads "contentSHA256" is not the member.
        XCTAssertEqual(ContentChecksum.open(Array(#"{"csv":"contentSHA256"}"#.utf8)), .unsealed)
    }
}
