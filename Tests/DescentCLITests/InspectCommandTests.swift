import Foundation
import XCTest

/// End-to-end tests of `descent inspect` through the built executable.
final class InspectCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-inspect-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func bundled(_ name: String) -> String {
        CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/\(name).csv").path
    }

    private func fixture(_ name: String) -> String {
        CommandLineRunner.repositoryRoot.appendingPathComponent("Tests/DescentDataTests/Fixtures/\(name)").path
    }

    private func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    private func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    /// The last line of standard output, parsed as a JSON object.
    private func lastJSON(_ result: CommandLineRunner.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let lastLine = result.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any]
        return try XCTUnwrap(object, "last line is not a JSON object: \(lastLine)", file: file, line: line)
    }

    func testIrisCSVSummaryAndJSON() throws {
        let result = try CommandLineRunner.run(["inspect", bundled("iris"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("150 rows, 5 columns"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("task: classification"), result.standardOutput)
        let json = try lastJSON(result)
        XCTAssertEqual(json["rows"] as? Int, 150)
        XCTAssertEqual(json["target"] as? String, "species")
        XCTAssertEqual(json["task"] as? String, "classification")
        let classes = try XCTUnwrap(json["classes"] as? [[String: Any]])
        XCTAssertEqual(classes.compactMap { $0["name"] as? String }, ["0", "1", "2"])
        XCTAssertEqual(classes.compactMap { $0["count"] as? Int }, [50, 50, 50])
        let columns = try XCTUnwrap(json["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.compactMap { $0["name"] as? String },
                       ["sepal_length", "sepal_width", "petal_length", "petal_width", "species"])
        // Fisher's iris: sepal length 4.3–7.9 cm, mean 5.8433.
        XCTAssertEqual(columns[0]["min"] as? Double ?? 0, 4.3, accuracy: 1e-6)
        XCTAssertEqual(columns[0]["max"] as? Double ?? 0, 7.9, accuracy: 1e-6)
        XCTAssertEqual(columns[0]["mean"] as? Double ?? 0, 5.843333, accuracy: 1e-5)
        XCTAssertEqual(columns[0]["missing"] as? Int, 0)
    }

    func testDigitsClassCounts() throws {
        let result = try CommandLineRunner.run(["inspect", bundled("digits"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let json = try lastJSON(result)
        XCTAssertEqual(json["rows"] as? Int, 1797)
        XCTAssertEqual((json["columns"] as? [Any])?.count, 65)
        let counts = (json["classes"] as? [[String: Any]])?.compactMap { $0["count"] as? Int }
        // scikit-learn's load_digits: np.bincount(y).
        XCTAssertEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    }

    func testTargetOptionAndRegressionTask() throws {
        let result = try CommandLineRunner.run(["inspect", bundled("diabetes"), "--target", "age", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let json = try lastJSON(result)
        XCTAssertEqual(json["target"] as? String, "age")
        XCTAssertEqual(json["task"] as? String, "regression")
        XCTAssertEqual((json["classes"] as? [Any])?.count, 0)
        let forced = try CommandLineRunner.run(["inspect", bundled("iris"), "--task", "regression", "--json"])
        XCTAssertEqual(try lastJSON(forced)["task"] as? String, "regression")
    }

    func testEmptyCellsAreCountedAsMissing() throws {
        let path = try write("gaps.csv", "a,b,label\n1,,cat\n2,3,\n,5,dog\n4,6,cat\n")
        let result = try CommandLineRunner.run(["inspect", path, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let json = try lastJSON(result)
        let columns = try XCTUnwrap(json["columns"] as? [[String: Any]])
        XCTAssertEqual(columns.compactMap { $0["missing"] as? Int }, [1, 1, 1])
        XCTAssertEqual(columns[1]["min"] as? Double, 3)
        XCTAssertEqual(columns[1]["mean"] as? Double ?? 0, 14.0 / 3.0, accuracy: 1e-9)
        let classes = try XCTUnwrap(json["classes"] as? [[String: Any]])
        XCTAssertEqual(classes.compactMap { $0["name"] as? String }, ["cat", "dog"])
        XCTAssertEqual(classes.compactMap { $0["count"] as? Int }, [2, 1])
    }

    func testSafetensorsWrittenByPython() throws {
        let result = try CommandLineRunner.run(["inspect", fixture("python_weights.safetensors"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("4 tensors"), result.standardOutput)
        let json = try lastJSON(result)
        let tensors = try XCTUnwrap(json["tensors"] as? [[String: Any]])
        XCTAssertEqual(tensors.compactMap { $0["name"] as? String }, ["empty", "layers.0.bias", "layers.0.weight", "scale"])
        XCTAssertEqual(tensors.compactMap { $0["dtype"] as? String }, ["F32", "F32", "F32", "F32"])
        XCTAssertEqual(tensors.compactMap { $0["shape"] as? [Int] }, [[0, 4], [2], [2, 3], []])
        XCTAssertEqual((json["metadata"] as? [String: String]) ?? [:], ["format": "pt"])
    }

    func testNPYShape() throws {
        let result = try CommandLineRunner.run(["inspect", fixture("numpy_f4.npy"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let json = try lastJSON(result)
        XCTAssertEqual(json["shape"] as? [Int], [2, 3])
        XCTAssertEqual(json["max"] as? Double, 7)
    }

    /// Every malformed input: the message on stderr naming the place, exit status 1, no trap.
    func testMalformedInputsExitWithStatusOne() throws {
        func safetensors(_ header: String, data: Int = 0, declared: UInt64? = nil) -> [UInt8] {
            var bytes: [UInt8] = []
            withUnsafeBytes(of: (declared ?? UInt64(header.utf8.count)).littleEndian) { bytes += $0 }
            return bytes + Array(header.utf8) + [UInt8](repeating: 0, count: data)
        }
        let cases: [(String, [UInt8], [String], [String])] = [
            ("cells.csv", Array("a,b,y\n1,2,0\n3,4\n".utf8), [], ["cells.csv", "line 3", "expected 3 cells"]),
            // A cell that starts like a number in a column of numbers is malformed ("x4" would make b a text column,
            // and NaN is a missing-value marker: see TabularTests).
            ("text.csv", Array("a,b,y\n1,2,0\n3,4x,1\n".utf8), [], ["text.csv", "line 3", "column 2", "\"4x\""]),
            ("range.csv", Array("a,b,y\n1,2,0\n3e40,4,1\n".utf8), [], ["range.csv", "line 3", "column 1", "Float32"]),
            ("empty.csv", [], [], ["empty.csv", "empty"]),
            ("target.csv", Array("a,b\n1,2\n".utf8), ["--target", "label"], ["target.csv", "unknown target column \"label\""]),
            ("single.csv", Array("a,y\n1,yes\n2,yes\n".utf8), [], ["single.csv", "single class"]),
            ("short.safetensors", [1, 2, 3], [], ["short.safetensors", "shorter"]),
            ("long.safetensors", safetensors("{}", declared: 4096), [], ["long.safetensors", "longer than the rest of the file"]),
            ("absurd.safetensors", safetensors("{}", declared: 1 << 60), [], ["absurd.safetensors", "100 MB"]),
            ("json.safetensors", safetensors("{\"w\":"), [], ["json.safetensors", "not valid JSON"]),
            ("past.safetensors", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", data: 4), [],
             ["past.safetensors", "\"w\"", "past the end"]),
            ("overflow.safetensors", safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4],\"data_offsets\":[0,4]}}", data: 4), [],
             ["overflow.safetensors", "\"w\"", "overflows"]),
            ("bad.npy", Array("not an npy file".utf8), [], ["bad.npy", "magic"]),
        ]
        for (name, bytes, options, fragments) in cases {
            let path = try write(name, bytes)
            let result = try CommandLineRunner.run(["inspect", path] + options)
            XCTAssertEqual(result.status, 1, "\(name): \(result.standardError)")
            XCTAssertFalse(result.standardError.contains("Fatal error"), "\(name) trapped: \(result.standardError)")
            for fragment in fragments {
                XCTAssertTrue(result.standardError.contains(fragment), "\(name): stderr \"\(result.standardError)\" lacks \"\(fragment)\"")
            }
        }
        let missing = try CommandLineRunner.run(["inspect", directory.appendingPathComponent("nowhere.csv").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("nowhere.csv"), missing.standardError)
    }

    func testUsageErrors() throws {
        let noFile = try CommandLineRunner.run(["inspect"])
        XCTAssertEqual(noFile.status, 2, noFile.standardError)   // a usage error
        let unknownKind = try CommandLineRunner.run(["inspect", "weights.bin"])
        XCTAssertEqual(unknownKind.status, 2, unknownKind.standardError)
        XCTAssertTrue(unknownKind.standardError.contains("weights.bin"), unknownKind.standardError)
        let badTask = try CommandLineRunner.run(["inspect", bundled("iris"), "--task", "ranking"])
        XCTAssertEqual(badTask.status, 2, badTask.standardError)
    }
}
