import DescentData
import DescentTensor
import Foundation
import XCTest

/// User input that used to trap or lose data, and the errors it must give instead.
final class DataRobustnessTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws { directory = try temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    // MARK: Minibatches

    func testHugeBatchSizeGivesOneBatchInsteadOfOverflowing() throws {
        // Was: `(count + batchSize - 1) / batchSize` overflowed and trapped for batchSize = Int.max.
        let data = try Dataset.parseCSV("a,y\n1,0\n2,1\n3,0\n4,1\n")
        for dropLast in [false, true] {
            let batches = try MiniBatches(dataset: data, batchSize: Int.max, shuffle: false, dropLast: dropLast, seed: 0)
            XCTAssertEqual(batches.count, dropLast ? 0 : 1)
            XCTAssertEqual(Array(batches).map(\.indices), dropLast ? [] : [[0, 1, 2, 3]])
        }
        let three = try MiniBatches(dataset: data, batchSize: 3, shuffle: false, seed: 0)
        XCTAssertEqual(Array(three).map(\.indices), [[0, 1, 2], [3]])
        XCTAssertEqual(try MiniBatches(dataset: data, batchSize: 3, shuffle: false, dropLast: true, seed: 0).count, 1)
    }

    // MARK: CSV

    func testCSVWithOnlyTheTargetColumnIsAnErrorNamingTheFile() {
        // Was: loaded as a data set with 0 features; `descent train` then failed inside Linear with "sizes must be positive".
        assertDataError(try Dataset.parseCSV("y\nx\nz\nx\n", source: "only.csv"),
                        contains: ["only.csv", "no feature columns", "\"y\""])
    }

    func testSemicolonSeparatedFileGetsAHint() {
        // A European-style file: the header parses as one column, and "1,5;2;x" as two cells.
        assertDataError(try Dataset.parseCSV("a;b;y\n1,5;2;x\n", source: "semi.csv"),
                        contains: ["semi.csv: line 2", "expected 1 cells (as in the header), found 2", "';'", "separated by commas"])
        assertDataError(try Dataset.parseCSV("a\tb\ty\n1\t2,5\tx\n", source: "tabs.csv"), contains: ["tabs", "separated by commas"])
        // An ordinary wrong count has no hint.
        assertDataError(try Dataset.parseCSV("a,b,y\n1,2\n", source: "short.csv"),
                        contains: ["short.csv: line 2: expected 3 cells (as in the header), found 2"])
    }

    func testDuplicatedTargetColumnNameIsAmbiguous() throws {
        assertDataError(try Dataset.parseCSV("a,a,y\n1,2,0\n3,4,1\n", source: "dup.csv", targetColumn: "a"),
                        contains: ["dup.csv", "\"a\"", "ambiguous", "columns 1 and 2"])
        // Duplicated feature names are still fine when the target is unique.
        XCTAssertEqual(try Dataset.parseCSV("a,a,y\n1,2,x\n3,4,z\n", source: "dup.csv").featureCount, 2)
    }

    func testClassificationOfAnAllEmptyTargetColumnSaysSo() throws {
        // Was: "has a single class; classification needs at least two" for a column with no values at all.
        let file = path("blank-target.csv")
        try Data("a,b,y\n1,2,\n3,4,\n".utf8).write(to: URL(fileURLWithPath: file))
        assertDataError(try CSVSummary.inspect(path: file, task: .classification),
                        contains: [file, "\"y\"", "no classes", "every target cell is empty"])
    }

    // MARK: Safetensors and NPY round trips

    func testSafetensorsRoundTripWithEmptyAndScalarTensors() throws {
        let tensors: [String: Tensor] = [
            "empty": try Tensor(shape: [0], scalars: []),
            "emptyMatrix": try Tensor(shape: [0, 3], scalars: []),
            "scalar": Tensor(2.5),
            "vector": Tensor([1, -2, 3]),
        ]
        let file = path("mixed.safetensors")
        try Safetensors.save(tensors, metadata: ["note": "empty and scalar"], to: file)
        let (loaded, metadata) = try Safetensors.loadWithMetadata(path: file)
        XCTAssertEqual(metadata, ["note": "empty and scalar"])
        XCTAssertEqual(Set(loaded.keys), Set(tensors.keys))
        for (name, tensor) in tensors {
            XCTAssertEqual(loaded[name]?.shape, tensor.shape, name)
            XCTAssertEqual(loaded[name]?.scalars, tensor.scalars, name)
        }
        let header = try Safetensors.readHeader(path: file)
        XCTAssertEqual(header.tensors.map(\.name), ["empty", "emptyMatrix", "scalar", "vector"])
        XCTAssertEqual(header.tensors.first { $0.name == "scalar" }?.shape, [])
        // Only empty tensors: the data part is empty.
        let onlyEmpty = path("only-empty.safetensors")
        try Safetensors.save(["e": try Tensor(shape: [0, 0], scalars: [])], to: onlyEmpty)
        XCTAssertEqual(try Safetensors.load(path: onlyEmpty)["e"]?.shape, [0, 0])
    }

    func testNPYRoundTripWithEmptyAndScalarTensors() throws {
        for tensor in [try Tensor(shape: [0], scalars: []), try Tensor(shape: [2, 0], scalars: []), Tensor(-1.5)] {
            let file = path("t.npy")
            try NPY.write(tensor, to: file)
            let loaded = try NPY.read(path: file)
            XCTAssertEqual(loaded.shape, tensor.shape)
            XCTAssertEqual(loaded.scalars, tensor.scalars)
        }
    }

    func testNPYOfATensorWithThousandsOfAxesUsesVersion2() throws {
        // Was: `UInt16(header.utf8.count)` trapped once the shape text passed 65,535 bytes.
        let tensor = try Tensor(shape: Array(repeating: 1, count: 30_000), scalars: [4])
        let bytes = NPY.encode(tensor)
        XCTAssertEqual(bytes[6], 2)
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        XCTAssertEqual((12 + headerLength) % 64, 0)
        let decoded = try NPY.decode(bytes, source: "many-axes.npy")
        XCTAssertEqual(decoded.shape.count, 30_000)
        XCTAssertEqual(decoded.scalars, [4])
        // Ordinary tensors keep version 1.0, byte for byte as numpy.save: a 128-byte prefix + header for [2, 3].
        let small = NPY.encode(try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]))
        XCTAssertEqual(Array(small[6...9]), [1, 0, 118, 0])
        XCTAssertEqual(small.count, 128 + 24)
    }

    // MARK: Saving never destroys an existing file

    func testSaveReplacesTheFileInsteadOfOverwritingItInPlace() throws {
        // A hard link to the old file keeps the old bytes: the new file was written beside it and renamed over it,
        // so a write that fails midway cannot leave a half-written file where the old one was.
        let file = path("model.safetensors"), link = path("link.safetensors")
        try Safetensors.save(["w": Tensor([1, 2])], to: file)
        let old = try Data(contentsOf: URL(fileURLWithPath: file))
        try FileManager.default.linkItem(atPath: file, toPath: link)
        try Safetensors.save(["w": Tensor([3, 4, 5])], to: file)
        XCTAssertEqual(try Safetensors.load(path: file)["w"]?.scalars, [3, 4, 5])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: link)), old)
        // No temporary file is left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(),
                       ["link.safetensors", "model.safetensors"])
    }

    func testFailedSaveLeavesTheExistingFileAlone() throws {
        let file = path("model.safetensors")
        try Safetensors.save(["w": Tensor([1, 2])], to: file)
        let old = try Data(contentsOf: URL(fileURLWithPath: file))
        assertDataError(try Safetensors.save(["__metadata__": Tensor([0])], to: file), contains: ["__metadata__"])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: file)), old)
        let npy = path("x.npy")
        try NPY.write(Tensor([7]), to: npy)
        XCTAssertEqual(try NPY.read(path: npy).scalars, [7])
    }

    func testSavingToADirectoryOrAMissingDirectoryNamesThePath() throws {
        assertDataError(try Safetensors.save(["w": Tensor([1])], to: directory.path), contains: [directory.path, "directory"])
        let missing = path("no/such/dir/w.safetensors")
        assertDataError(try Safetensors.save(["w": Tensor([1])], to: missing), contains: [missing, "does not exist"])
        assertDataError(try NPY.write(Tensor([1]), to: missing), contains: [missing, "does not exist"])
    }

    // MARK: Reading what is not a file

    func testReadingTheHeaderOfADirectoryIsAnError() throws {
        // Was: FileHandle.readData(ofLength:) on a directory trapped ("Is a directory") on Linux.
        let folder = path("weights.safetensors")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        assertDataError(try Safetensors.readHeader(path: folder), contains: [folder, "is a directory"])
        assertDataError(try Safetensors.load(path: folder), contains: [folder, "is a directory"])
        assertDataError(try NPY.read(path: folder), contains: [folder, "is a directory"])
        assertDataError(try Safetensors.readHeader(path: path("absent.safetensors")), contains: ["absent.safetensors", "no such file"])
    }

    func testTruncatedSafetensorsFileAfterSaving() throws {
        let file = path("cut.safetensors")
        try Safetensors.save(["a": Tensor([1, 2, 3, 4])], to: file)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes.removeLast(5)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        assertDataError(try Safetensors.load(path: file), contains: [file, "\"a\"", "run past the end"])
        assertDataError(try Safetensors.readHeader(path: file), contains: [file, "\"a\""])
        // Cut inside the header.
        try Data(bytes.prefix(20)).write(to: URL(fileURLWithPath: file))
        assertDataError(try Safetensors.readHeader(path: file), contains: [file, "header length"])
        assertDataError(try Safetensors.load(path: file), contains: [file, "header length"])
    }
}
