import Foundation
import XCTest

/// `descent train --model cnn` end to end on the bundled digits and on IDX files, its errors,
/// and `descent bench train`'s JSON line.
final class ConvolutionalTrainTests: XCTestCase {
    func testCNNTrainsDigitsToNinetySevenPercent() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "digits", "--model", "cnn", "--channels", "16,32",
                                                "--epochs", "8", "--optimizer", "adam", "--learning-rate", "0.003", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(summary["final_validation_accuracy"] as? Double), 0.97)
    }

    func testArchitectureIsPrintedBeforeTraining() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "digits", "--model", "cnn", "--channels", "4", "--epochs", "1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let model = try XCTUnwrap(lines.first { $0.hasPrefix("Model:") })
        // 1×8×8 → conv 4 → pool 4×4×4 → linear 64 → 10: 4·9 + 4 + 64·10 + 10 = 690 parameters.
        XCTAssertTrue(model.contains("CNN 1×8×8 → conv 3×3 4, ReLU, max-pool 2 → 4×4×4 → linear 64 → 10, 690 parameters"), model)
        XCTAssertLessThan(lines.firstIndex(of: model)!, lines.firstIndex { $0.hasPrefix("epoch") }!)
        let mlp = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "1", "--hidden", "8"])
        XCTAssertTrue(mlp.standardOutput.contains("Model: MLP 4 → 8 → 3, ReLU, 67 parameters"), mlp.standardOutput)
    }

    func testTheReportsModelRowDescribesTheCNN() throws {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("descent-cnn-report-\(UUID().uuidString).html").path
        defer { try? FileManager.default.removeItem(atPath: report) }
        let result = try CommandLineRunner.run(["train", "--dataset", "digits", "--model", "cnn", "--channels", "4", "--epochs", "1",
                                                "--report", report])
        XCTAssertEqual(result.status, 0, result.standardError)
        let html = try String(contentsOfFile: report, encoding: .utf8)
        XCTAssertTrue(html.contains("CNN 1×8×8 → conv 3×3 4, ReLU, max-pool 2 → 4×4×4 → linear 64 → 10; 690 parameters"), "no CNN model row")
        XCTAssertFalse(html.contains("hidden layers"))
    }

    func testCNNTrainsOnIDXFiles() throws {
        // 300 digits written as IDX: images [300, 8, 8] unsigned bytes (0–16), labels [300].
        let csv = try String(contentsOf: CommandLineRunner.repositoryRoot.appendingPathComponent("Sources/DescentData/Resources/digits.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().prefix(300).map { $0.split(separator: ",").map { UInt8(Double($0)!) } }
        var images: [UInt8] = [0, 0, 0x08, 3] + [300, 8, 8].flatMap(Self.bigEndian)
        var labels: [UInt8] = [0, 0, 0x08, 1] + Self.bigEndian(300)
        for row in rows { images += row.prefix(64); labels.append(row[64]) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let imagesPath = directory.appendingPathComponent("images-idx3-ubyte").path
        let labelsPath = directory.appendingPathComponent("labels-idx1-ubyte").path
        try Data(images).write(to: URL(fileURLWithPath: imagesPath))
        try Data(labels).write(to: URL(fileURLWithPath: labelsPath))
        let result = try CommandLineRunner.run(["train", "--idx-images", imagesPath, "--idx-labels", labelsPath,
                                                "--model", "cnn", "--channels", "8", "--epochs", "3", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertGreaterThan(try XCTUnwrap(summary["final_validation_accuracy"] as? Double), 0.5)
    }

    func testModelAndSourceErrorsNameTheFlag() throws {
        // The diabetes set's 10 features are no square image; iris's 4 are (2×2), too small for two poolings.
        let diabetes = try CommandLineRunner.run(["train", "--dataset", "diabetes", "--model", "cnn", "--epochs", "1"])
        XCTAssertNotEqual(diabetes.status, 0)
        XCTAssertTrue(diabetes.standardError.contains("square"), diabetes.standardError)
        let iris = try CommandLineRunner.run(["train", "--dataset", "iris", "--model", "cnn", "--epochs", "1"])
        XCTAssertNotEqual(iris.status, 0)
        XCTAssertTrue(iris.standardError.contains("2×2 images"), iris.standardError)
        let channels = try CommandLineRunner.run(["train", "--dataset", "digits", "--model", "cnn", "--channels", "16,0"])
        XCTAssertEqual(channels.status, 2)
        XCTAssertTrue(channels.standardError.contains("--channels"), channels.standardError)
        let deep = try CommandLineRunner.run(["train", "--dataset", "digits", "--model", "cnn", "--channels", "4,4,4,4", "--epochs", "1"])
        XCTAssertNotEqual(deep.status, 0)
        XCTAssertTrue(deep.standardError.contains("--channels"), deep.standardError)
        let alone = try CommandLineRunner.run(["train", "--idx-images", "/nonexistent/images"])
        XCTAssertEqual(alone.status, 2)
        XCTAssertTrue(alone.standardError.contains("--idx-labels"), alone.standardError)
    }

    func testBenchTrainEndsWithAJSONLine() throws {
        let result = try CommandLineRunner.run(["bench", "train", "--workload", "mlp-digits", "--epochs", "1", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
        let summary = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertEqual(summary["workload"] as? String, "mlp-digits")
        let seconds = try XCTUnwrap(summary["seconds_per_epoch"] as? Double)
        XCTAssertEqual(try XCTUnwrap(summary["samples_per_second"] as? Double), 1797 / seconds, accuracy: 1e-6 * 1797 / seconds)
        let unknown = try CommandLineRunner.run(["bench", "train", "--workload", "resnet"])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.standardError.contains("mlp-digits"), unknown.standardError)
    }

    private static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }
}
