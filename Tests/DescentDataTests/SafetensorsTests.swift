import XCTest
import DescentData
import DescentTensor

final class SafetensorsTests: XCTestCase {
    /// The tensors of Fixtures/python_weights.safetensors, as generate_fixtures.py wrote them.
    private func expectedWeights() throws -> [String: Tensor] {
        [
            "layers.0.weight": try Tensor(shape: [2, 3], scalars: [-1, -0.5, 0, 0.5, 1, 1.5]),
            "layers.0.bias": Tensor([0.1, -0.2]),
            "scale": Tensor(3.25),
            "empty": try Tensor(shape: [0, 4], scalars: []),
        ]
    }

    func testReadsAFileWrittenByThePythonLibrary() throws {
        let (tensors, metadata) = try Safetensors.loadWithMetadata(path: fixturePath("python_weights.safetensors"))
        XCTAssertEqual(metadata, ["format": "pt"])
        let expected = try expectedWeights()
        XCTAssertEqual(Set(tensors.keys), Set(expected.keys))
        for (name, tensor) in expected {
            XCTAssertTrue(tensors[name]?.isEqual(to: tensor) ?? false, "\(name): \(String(describing: tensors[name]))")
        }
    }

    func testWritesByteForByteWhatThePythonLibraryWrites() throws {
        let python = [UInt8](try Data(contentsOf: URL(fileURLWithPath: fixturePath("python_weights.safetensors"))))
        let ours = try Safetensors.encode(try expectedWeights(), metadata: ["format": "pt"])
        XCTAssertEqual(ours.count, python.count)
        XCTAssertEqual(ours, python)
    }

    func testConvertsOtherDTypesToFloat32() throws {
        let (tensors, metadata) = try Safetensors.loadWithMetadata(path: fixturePath("python_mixed_dtypes.safetensors"))
        XCTAssertEqual(metadata, ["note": "mixed dtypes"])
        XCTAssertEqual(tensors["f64"]?.scalars, [1.25, Float(-1e-3)])
        XCTAssertEqual(tensors["f16"]?.scalars, [0.5, -65504, 5.9604645e-08])
        XCTAssertEqual(tensors["bf16"]?.scalars, [1, -2.5, 0.15625])
        XCTAssertEqual(tensors["i64"]?.scalars, [7, -3])
        XCTAssertEqual(tensors["i32"]?.shape, [1, 2])
        XCTAssertEqual(tensors["i32"]?.scalars, [100000, -1])
        XCTAssertEqual(tensors["u8"]?.scalars, [0, 255])
        XCTAssertEqual(tensors["flag"]?.scalars, [1, 0])
        let header = try Safetensors.readHeader(path: fixturePath("python_mixed_dtypes.safetensors"))
        XCTAssertEqual(header.tensors.map(\.name), ["i64", "f64", "i32", "bf16", "f16", "u8", "flag"])
        XCTAssertEqual(header.tensors.map(\.dtype), [.I64, .F64, .I32, .BF16, .F16, .U8, .BOOL])
    }

    func testRoundTripThroughAFileWithNamesThatNeedEscaping() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("m.safetensors").path
        var generator = SeededGenerator(seed: 11)
        let tensors: [String: Tensor] = [
            "b\"quote\\slash": try Tensor.randomNormal([3, 4], using: &generator),
            "a.weight": try Tensor.randomNormal([7], using: &generator),
            "naïve\ttab": Tensor(-1),
        ]
        try Safetensors.save(tensors, metadata: ["epoch": "3"], to: path)
        let (back, metadata) = try Safetensors.loadWithMetadata(path: path)
        XCTAssertEqual(metadata, ["epoch": "3"])
        for (name, tensor) in tensors { XCTAssertTrue(back[name]?.isEqual(to: tensor) ?? false, name) }
        let header = try Safetensors.readHeader(path: path)
        XCTAssertEqual(header.tensors.map(\.name), ["a.weight", "b\"quote\\slash", "naïve\ttab"])
        XCTAssertEqual(header.headerByteCount % 8, 0)
        XCTAssertThrowsError(try Safetensors.encode(["__metadata__": Tensor(1)]))
    }

    // MARK: Defensive loading

    /// A file with the given header text (not padded) and `dataBytes` zero bytes of data.
    private func file(header: String, dataBytes: Int = 0, declaredLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: (declaredLength ?? UInt64(json.count)).littleEndian) { bytes += $0 }
        return bytes + json + [UInt8](repeating: 0, count: dataBytes)
    }

    func testHeaderLongerThanTheFile() {
        assertDataError(try Safetensors.decode(file(header: "{}", declaredLength: 1000), source: "long.safetensors"),
                        contains: ["long.safetensors", "header length 1000", "longer than the rest of the file"])
        assertDataError(try Safetensors.decode([1, 2, 3], source: "tiny.safetensors"), contains: ["tiny.safetensors", "shorter"])
    }

    func testAbsurdHeaderLength() {
        assertDataError(try Safetensors.decode(file(header: "{}", declaredLength: UInt64.max), source: "absurd.safetensors"),
                        contains: ["absurd.safetensors", "100 MB"])
        assertDataError(try Safetensors.decode(file(header: "{}", declaredLength: 200_000_000), source: "absurd.safetensors"),
                        contains: ["absurd.safetensors", "200000000", "100 MB"])
    }

    func testInvalidJSON() {
        assertDataError(try Safetensors.decode(file(header: "{\"a\": {\"dtype\": \"F32\",}"), source: "j.safetensors"),
                        contains: ["j.safetensors", "not valid JSON"])
        assertDataError(try Safetensors.decode(file(header: "[1, 2]"), source: "j.safetensors"),
                        contains: ["j.safetensors", "not a JSON object"])
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        assertDataError(try Safetensors.decode(file(header: "{\"a\":" + deep + "}"), source: "deep.safetensors"),
                        contains: ["deep.safetensors", "nesting"])
    }

    func testOffsetsPastTheEnd() {
        let header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"
        assertDataError(try Safetensors.decode(file(header: header, dataBytes: 8), source: "end.safetensors"),
                        contains: ["end.safetensors", "\"w\"", "past the end"])
    }

    func testOverlappingAndGappedOffsets() {
        let overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}"
        assertDataError(try Safetensors.decode(file(header: overlap, dataBytes: 12), source: "o.safetensors"),
                        contains: ["o.safetensors", "\"b\"", "overlap", "\"a\""])
        let gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}"
        assertDataError(try Safetensors.decode(file(header: gap, dataBytes: 8), source: "g.safetensors"),
                        contains: ["g.safetensors", "\"a\"", "gap"])
        let trailing = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}"
        assertDataError(try Safetensors.decode(file(header: trailing, dataBytes: 12), source: "t.safetensors"),
                        contains: ["t.safetensors", "cover 4 bytes", "12"])
    }

    func testOffsetsThatDoNotMatchDTypeTimesShape() {
        let header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}"
        assertDataError(try Safetensors.decode(file(header: header, dataBytes: 8), source: "s.safetensors"),
                        contains: ["s.safetensors", "\"w\"", "needs 12 bytes", "hold 8"])
    }

    func testShapeWhoseElementCountOverflows() {
        let header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],\"data_offsets\":[0,8]}}"
        assertDataError(try Safetensors.decode(file(header: header, dataBytes: 8), source: "big.safetensors"),
                        contains: ["big.safetensors", "\"w\"", "overflows"])
        let hugeNumber = "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999999],\"data_offsets\":[0,8]}}"
        assertDataError(try Safetensors.decode(file(header: hugeNumber, dataBytes: 8), source: "big.safetensors"),
                        contains: ["big.safetensors", "\"w\"", "not a non-negative integer"])
        let negative = "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2, -2],\"data_offsets\":[0,16]}}"
        assertDataError(try Safetensors.decode(file(header: negative, dataBytes: 16), source: "neg.safetensors"),
                        contains: ["neg.safetensors", "\"w\""])
    }

    func testUnknownDTypeMissingFieldsAndDuplicates() {
        let unknown = "{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,1]}}"
        assertDataError(try Safetensors.decode(file(header: unknown, dataBytes: 1), source: "d.safetensors"),
                        contains: ["d.safetensors", "\"w\"", "unknown dtype \"Q7\""])
        let missing = "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}"
        assertDataError(try Safetensors.decode(file(header: missing, dataBytes: 4), source: "d.safetensors"),
                        contains: ["\"w\"", "missing \"shape\""])
        let twice = "{\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[4,8]}}"
        assertDataError(try Safetensors.decode(file(header: twice, dataBytes: 8), source: "d.safetensors"),
                        contains: ["\"w\"", "twice"])
        let badMetadata = "{\"__metadata__\":{\"k\":1}}"
        assertDataError(try Safetensors.decode(file(header: badMetadata), source: "d.safetensors"),
                        contains: ["__metadata__", "\"k\""])
        let fp8 = "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}"
        assertDataError(try Safetensors.decode(file(header: fp8, dataBytes: 1), source: "f8.safetensors"),
                        contains: ["f8.safetensors", "\"w\"", "F8_E4M3"])
    }

    func testMissingFile() {
        assertDataError(try Safetensors.load(path: "/nonexistent/w.safetensors"), contains: ["/nonexistent/w.safetensors"])
        assertDataError(try Safetensors.readHeader(path: "/nonexistent/w.safetensors"), contains: ["/nonexistent/w.safetensors"])
    }
}

/// Saving goes through the one atomic writer: a symbolic link keeps pointing at the saved file.
final class SafetensorsSaveDestinationTests: XCTestCase {
    func testSavingThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws {
        // Was: the rename replaced the link itself with a regular file.
        let directory = NSTemporaryDirectory() + "descent-save-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = directory + "/model.safetensors", link = directory + "/latest.safetensors"
        XCTAssertTrue(FileManager.default.createFile(atPath: target, contents: Data("old".utf8)))
        XCTAssertEqual(symlink("model.safetensors", link), 0)
        try Safetensors.save(["w": try Tensor(shape: [2], scalars: [1, 2])], to: link)
        var status = stat()
        XCTAssertEqual(lstat(link, &status), 0)
        XCTAssertEqual(status.st_mode & S_IFMT, S_IFLNK)
        XCTAssertEqual(try Safetensors.load(path: target)["w"]?.scalars, [1, 2])
    }
}
