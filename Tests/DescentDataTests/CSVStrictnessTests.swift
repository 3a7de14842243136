@testable import DescentData
import Foundation
import XCTest

/// Cells are decimal numbers only, the text must be UTF-8, and a binary file is named for what
/// it is: each used to be read silently as something else.
final class CSVStrictnessTests: XCTestCase {
    private func error(_ bytes: [UInt8]) -> String {
        do {
            _ = try Dataset.parseCSV(bytes: bytes, source: "t.csv")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testANulByteInACellIsAnErrorAtItsPlace() {
        // Was: "2\0garbage" read as 2 (strtod stops at the NUL).
        let bytes = Array("a,b,y\n1,".utf8) + Array("2".utf8) + [0] + Array("garbage,0\n3,4,1\n5,6,0\n".utf8)
        XCTAssertEqual(error(bytes), #"t.csv: line 2, column 2 ("b"): "2\0garbage" contains a NUL byte: not a number"#)
    }

    func testHexadecimalIsNotADecimalNumber() {
        // Was: "0x10" read as 16 (Swift's Double(String) reads hexadecimal floats).
        XCTAssertEqual(error(Array("a,b,y\n0x10,1,0\n3,4,1\n".utf8)),
                       #"t.csv: line 2, column 1 ("a"): "0x10" is not a decimal number (hexadecimal is not read)"#)
        XCTAssertTrue(error(Array("a,b,y\n1,0x1p4,0\n3,4,1\n".utf8)).contains("line 2, column 2"))
    }

    func testDecimalFormsNaNAndInfinityStillRead() throws {
        let data = try Dataset.parseCSV("a,b,y\n1e3,-.5,0\n+2.5E-1,12345678901234567890123,1\n3,4,0\n", task: .classification)
        XCTAssertEqual(data.features.scalars[0], 1000)
        XCTAssertEqual(data.features.scalars[1], -0.5)
        XCTAssertEqual(data.features.scalars[2], 0.25)
        XCTAssertEqual(data.features.scalars[3], 1.2345679e22)
        XCTAssertTrue(NumberParser.parse("nan")?.isNaN ?? false)
        XCTAssertEqual(NumberParser.parse("-Infinity"), -.infinity)
        XCTAssertEqual(NumberParser.parse("INF"), .infinity)
        XCTAssertEqual(NumberParser.parse("1.5e-400"), 0)
        for text in ["0x10", "0x1p4", "1_000", "1e5x", "infinit", "nan(0x1)", "1,5"] {
            XCTAssertNil(NumberParser.parse(text), text)
        }
    }

    func testLatin1BytesNameTheLine() {
        // Was: the byte became U+FFFD without a word.
        let bytes = Array("a,b,y\n1,2,0\n3,caf".utf8) + [0xE9] + Array(",1\n".utf8)
        XCTAssertEqual(error(bytes), "t.csv: line 3 is not UTF-8 (byte 0xE9 at byte 6 of the line, e.g. Latin-1); save the file as UTF-8")
        // Valid multi-byte UTF-8 (é, 漢, 😀) is fine in a header.
        XCTAssertEqual(error(Array("é,漢,😀\n1,2,0\n3,4,1\n5,6,0\n".utf8)), "no error")
    }

    func testAnNPYFileIsNamedForWhatItIs() {
        // Was: "line 2: expected 5 cells".
        let bytes = [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0] + Array("{'descr': '<f4'}".utf8)
        XCTAssertTrue(error(bytes).contains("is a NumPy .npy file, not CSV"), error(bytes))
    }

    func testLongCellsAreCutInMessages() {
        let long = String(repeating: "x", count: 100_000)
        let message = error(Array("a,y\n\(long),0\n1,1\n".utf8))
        XCTAssertLessThan(message.count, 200, String(message.prefix(300)))
        XCTAssertTrue(message.contains("(100000 characters)"), String(message.prefix(300)))
    }
}
