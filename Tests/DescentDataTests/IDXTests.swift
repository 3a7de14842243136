import XCTest
import DescentData
import DescentTensor

final class IDXTests: XCTestCase {
    func testReadsUnsignedByteImagesAndLabels() throws {
        let images = try IDX.read(path: fixturePath("tiny-images-idx3-ubyte"))
        XCTAssertEqual(images.shape, [3, 2, 2])
        XCTAssertEqual(images.scalars, [0, 1, 2, 3, 10, 20, 30, 40, 252, 253, 254, 255])
        let labels = try IDX.read(path: fixturePath("tiny-labels-idx1-ubyte"))
        XCTAssertEqual(labels.scalars, [7, 0, 9])
    }

    func testReadsBigEndianFloatAndShort() throws {
        let floats = try IDX.read(path: fixturePath("tiny-float-idx2"))
        XCTAssertEqual(floats.shape, [2, 2])
        XCTAssertEqual(floats.scalars, [1.5, -2.25, 0, 1e-3])
        XCTAssertEqual(try IDX.read(path: fixturePath("tiny-short-idx1")).scalars, [-300, 0, 32767])
    }

    func testImagesAndLabelsMakeADataset() throws {
        let data = try IDX.loadDataset(images: fixturePath("tiny-images-idx3-ubyte"), labels: fixturePath("tiny-labels-idx1-ubyte"))
        XCTAssertEqual(data.features.shape, [3, 4])
        XCTAssertEqual(data.targets.classIndices, [7, 0, 9])
        XCTAssertEqual(data.targets.classCount, 10)
    }

    func testSizesAreCheckedAgainstTheFileLength() {
        // Claims 2^20 × 2^20 bytes (a terabyte): must fail before allocating anything.
        let huge: [UInt8] = [0, 0, 0x08, 2, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 1, 2, 3]
        assertDataError(try IDX.decode(huge, source: "huge-idx"), contains: ["huge-idx", "the file has 3"])
        assertDataError(try IDX.decode([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2], source: "short-idx"),
                        contains: ["short-idx", "need 5 data bytes", "the file has 2"])
        assertDataError(try IDX.decode([0, 0, 0x08, 3, 0, 0], source: "cut-idx"), contains: ["cut-idx", "dimension sizes"])
        assertDataError(try IDX.decode([1, 0, 0x08, 1], source: "m-idx"), contains: ["m-idx", "magic"])
        assertDataError(try IDX.decode([0, 0, 0x07, 1, 0, 0, 0, 0], source: "t-idx"), contains: ["t-idx", "type code 0x7"])
        assertDataError(try IDX.decode([0, 0], source: "tiny-idx"), contains: ["tiny-idx", "shorter"])
        // Dimensions whose product overflows Int.
        let overflow: [UInt8] = [0, 0, 0x0E, 3] + [UInt8](repeating: 0xFF, count: 12)
        assertDataError(try IDX.decode(overflow, source: "o-idx"), contains: ["o-idx", "overflow"])
    }
}
