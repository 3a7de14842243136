import XCTest
import DescentData
import DescentTensor

final class NPYTests: XCTestCase {
    func testReadsNumPyFloat32AndWritesTheSameBytesAsNumPy() throws {
        let path = fixturePath("numpy_f4.npy")
        let tensor = try NPY.read(path: path)
        XCTAssertEqual(tensor.shape, [2, 3])
        XCTAssertEqual(tensor.scalars, [1.5, -2.0, 3.0, 0.25, 1e-3, 7.0])
        // np.save's bytes, reproduced exactly (header padding to 64 bytes included).
        let numpyBytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(NPY.encode(tensor), numpyBytes)
        let scalarPath = fixturePath("numpy_scalar.npy")
        let scalar = try NPY.read(path: scalarPath)
        XCTAssertEqual(scalar.shape, [])
        XCTAssertEqual(scalar.item, 2.5)
        XCTAssertEqual(NPY.encode(scalar), [UInt8](try Data(contentsOf: URL(fileURLWithPath: scalarPath))))
    }

    func testReadsOtherDTypes() throws {
        XCTAssertEqual(try NPY.read(path: fixturePath("numpy_f8.npy")).scalars, [Float(0.1), -1e10, 3])
        let int64 = try NPY.read(path: fixturePath("numpy_i8.npy"))
        XCTAssertEqual(int64.shape, [2, 2])
        XCTAssertEqual(int64.scalars, [1, -2, 300000, 4])
        XCTAssertEqual(try NPY.read(path: fixturePath("numpy_i4.npy")).scalars, [5, -6, 7])
        XCTAssertEqual(try NPY.read(path: fixturePath("numpy_u1.npy")).scalars, [0, 51, 102, 153, 204, 255])
        XCTAssertEqual(try NPY.read(path: fixturePath("numpy_f4_big_endian.npy")).scalars, [1, -0.5])
    }

    func testRoundTripThroughAFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("x.npy").path
        var generator = SeededGenerator(seed: 3)
        let tensor = try Tensor.randomNormal([4, 5, 6], using: &generator)
        try NPY.write(tensor, to: path)
        let back = try NPY.read(path: path)
        XCTAssertTrue(back.isEqual(to: tensor))
        XCTAssertEqual(try NPY.read(path: path).shape, [4, 5, 6])
        let vector = Tensor([1, 2, 3])
        XCTAssertTrue(try NPY.decode(NPY.encode(vector), source: "v").isEqual(to: vector))
    }

    func testFortranOrderIsRejected() {
        assertDataError(try NPY.read(path: fixturePath("numpy_fortran.npy")), contains: ["numpy_fortran.npy", "fortran_order"])
    }

    func testMalformedFilesAreClearErrors() throws {
        let good = NPY.encode(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        assertDataError(try NPY.decode(Array("not numpy at all".utf8), source: "a.npy"), contains: ["a.npy", "magic"])
        assertDataError(try NPY.decode(Array(good.dropLast(4)), source: "short.npy"), contains: ["short.npy", "needs 16 data bytes", "has 12"])
        assertDataError(try NPY.decode(good + [0, 0, 0, 0], source: "long.npy"), contains: ["long.npy", "has 20"])
        var hugeHeader = good
        hugeHeader[8] = 0xFF; hugeHeader[9] = 0xFF
        assertDataError(try NPY.decode(hugeHeader, source: "h.npy"), contains: ["h.npy", "header length 65535"])
        let complex = replacing("<f4", with: "<c8", in: good)
        assertDataError(try NPY.decode(complex, source: "c.npy"), contains: ["c.npy", "unsupported dtype '<c8'"])
        let overflow = npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296), }", data: 16)
        assertDataError(try NPY.decode(overflow, source: "o.npy"), contains: ["o.npy", "overflowing"])
        let huge = npy(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (100000, 100000), }", data: 16)
        assertDataError(try NPY.decode(huge, source: "big.npy"), contains: ["big.npy", "needs 80000000000 data bytes", "has 16"])
        let noShape = replacing("'shape'", with: "'shapf'", in: good)
        assertDataError(try NPY.decode(noShape, source: "k.npy"), contains: ["k.npy", "'shapf'"])
    }

    /// A version 1.0 file with the given header text and `data` zero bytes.
    private func npy(header: String, data: Int) -> [UInt8] {
        let text = Array((header + "\n").utf8)
        return [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)]
            + text + [UInt8](repeating: 0, count: data)
    }

    /// `bytes` with the first occurrence of `old` replaced by `new` (same length keeps the header length valid).
    private func replacing(_ old: String, with new: String, in bytes: [UInt8]) -> [UInt8] {
        let pattern = Array(old.utf8)
        guard let start = (0...(bytes.count - pattern.count)).first(where: { Array(bytes[$0..<($0 + pattern.count)]) == pattern }) else {
            XCTFail("\(old) not found"); return bytes
        }
        var result = bytes
        result.replaceSubrange(start..<(start + pattern.count), with: Array(new.utf8))
        return result
    }
}
