import DescentTunePostgres
import Foundation
import XCTest

/// Walks the table of every CLI error in docs/exit-codes.md: each row's command must end with
/// the row's status and say the row's words on standard error; commands with `--json` must also
/// end their standard output with the failure object of the row's kind.
final class ExitCodeTableTests: XCTestCase {
    struct Row {
        var arguments: [String]
        var status: Int32
        var kind: String
        var fragment: String
    }

    private var directory: String = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-exit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// The fixture files the table names as `{name}`.
    private func writeFixtures() throws {
        let iris = "a,b,y\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n9,10,0\n"
        let fixtures: [String: [UInt8]] = [
            "one-row.csv": Array("a,b,y\n1,2,0\n".utf8),
            "two-rows.csv": Array("a,b,y\n1,2,0\n3,4,1\n".utf8),
            "table.csv": Array(iris.utf8),
            "nul-cell.csv": Array("a,b,y\n".utf8) + Array("2".utf8) + [0] + Array("garbage,1,0\n3,4,1\n".utf8),
            "hex-cell.csv": Array("a,b,y\n0x10,1,0\n3,4,1\n".utf8),
            "latin1.csv": Array("a,b,y\n1,2,0\n3,caf".utf8) + [0xE9] + Array(",1\n".utf8),
            "array.npy": [0x93] + Array("NUMPY".utf8) + [1, 0, 0x76, 0] + Array("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }".utf8),
            "garbage.npy": [0x93] + Array("NUMPYgarbage".utf8),
            "model.safetensors": ModelFixture.linearClassifier,
            "weights-only.safetensors": ModelFixture.weightsOnly,
            "nan-weight.safetensors": ModelFixture.linearClassifier(weights: [1, 0, 0, .nan]),
            // Checksums that the tensors do not match, as after a bit flip.
            "damaged.safetensors": ModelFixture.linearClassifier(weights: [1, 0, 0, 1], extraMetadata: [
                "descent.tensor_sha256": #"{"0.bias":"\#(String(repeating: "0", count: 64))","0.weight":"\#(String(repeating: "0", count: 64))"}"#]),
            "no-b.csv": Array("a,y\n1,0\n".utf8),
            // ±1e308 (beyond Float32) in a raw table's column: refused, not read as a category.
            "huge-column.csv": Array("a,c,y\n1e308,x,p\n-1e308,y,q\n1e308,x,q\n-1e308,y,p\n".utf8),
            "missing-cell.csv": Array("a,b,y\n1,2,0\n3,,1\n".utf8),
            "unknown-label.csv": Array("a,b,y\n1,2,0\n3,4,7\n".utf8),
            "empty.json": [],
            "truncated.json": Array(#"{"cases": [{"name": "x""#.utf8),
            "huge-number.json": Array(#"{"cases": [{"name": "x", "optimizer": "SGD", "params": {"lr": 1e400}}]}"#.utf8),
            "no-cases.json": Array(#"{"cases": []}"#.utf8),
            "unknown-key.toml": Array("dataset = \"iris\"\nepoch = 3\n".utf8),
            "wrong-type.toml": Array("dataset = \"iris\"\nepochs = \"ten\"\n".utf8),
            "zero-epochs.toml": Array("dataset = \"iris\"\nepochs = 0\n".utf8),
            "bad.yaml": Array("dataset: [iris\n".utf8),
            "laughs.yaml": Array(HostilePassTests.billionLaughs(levels: 9).utf8),
            "octal.yaml": Array("dataset: iris\nepochs: 010\n".utf8),
            "no-loss.jsonl": Array("{\"format\":1,\"kind\":\"run\",\"resumed_from_epoch\":0}\n{\"kind\":\"end\",\"status\":\"completed\"}\n".utf8),
            "bad-log.jsonl": Array("{\"kind\":\"run\",\"format\":1}\n{\"kind\":\"step\",\"step\":1}\n".utf8),
            "failing-case.json": Array(#"{"cases": [{"name": "off", "source": "pytorch", "schedule": "ExponentialLR", "base_lr": 0.1, "params": {"gamma": 0.5}, "steps": 2, "lr": [0.1, 0.06]}]}"#.utf8),
        ]
        for (name, bytes) in fixtures {
            XCTAssertTrue(FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes)))
        }
    }

    /// The rows of the table in docs/exit-codes.md, with `{name}` replaced by the fixture's path.
    private func rows() throws -> [Row] {
        let url = CommandLineRunner.repositoryRoot.appendingPathComponent("docs/exit-codes.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [Row] = []
        for line in text.split(separator: "\n") where line.hasPrefix("| `descent ") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertEqual(cells.count, 4, String(line))
            guard cells.count == 4, let status = Int32(cells[1]) else { continue }
            let command = cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            // PostgreSQL rows describe a build with the PostgreSQL trait; without it every postgres:// storage
            // is a usage error naming the trait (TuneCommandTests checks that).
            if command.contains("postgres://"), !PostgresStorageText.isAvailable { continue }
            var arguments = command.split(separator: " ").dropFirst().map(String.init)
            arguments = arguments.map { argument in
                var argument = argument
                argument = argument.replacingOccurrences(of: "{missing}", with: directory + "/missing")
                argument = argument.replacingOccurrences(of: "{dir}", with: directory)
                argument = argument.replacingOccurrences(of: "{out}", with: directory + "/out.bin")
                if let open = argument.firstIndex(of: "{"), let close = argument.firstIndex(of: "}") {
                    argument.replaceSubrange(open...close, with: directory + "/" + argument[argument.index(after: open)..<close])
                }
                return argument
            }
            rows.append(Row(arguments: arguments, status: status, kind: cells[2],
                            fragment: cells[3].trimmingCharacters(in: CharacterSet(charactersIn: "`"))))
        }
        return rows
    }

    func testEveryRowOfTheTable() throws {
        try writeFixtures()
        let rows = try rows()
        XCTAssertGreaterThanOrEqual(rows.count, 35)
        for row in rows {
            let result = try CommandLineRunner.run(row.arguments)
            let shown = "descent \(row.arguments.joined(separator: " "))"
            XCTAssertEqual(result.status, row.status, "\(shown)\n\(result.standardError)")
            XCTAssertTrue(result.standardError.contains(row.fragment),
                          "\(shown): expected '\(row.fragment)' in:\n\(result.standardError.prefix(1500))")
            XCTAssertFalse(result.standardOutput.contains("epoch 1 "), "\(shown) should fail before training")
            // Every command but train (whose summary is its own) ends --json with the failure object.
            guard let command = row.arguments.first, command != "train", command != "--no-such-flag" else { continue }
            let json = try CommandLineRunner.run(row.arguments + ["--json"])
            XCTAssertEqual(json.status, row.status, shown + " --json")
            let last = json.standardOutput.split(separator: "\n").last.map(String.init) ?? ""
            let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
            XCTAssertEqual(object?["status"] as? String, "failed", "\(shown) --json: last line \(last)")
            XCTAssertEqual((object?["error"] as? [String: Any])?["kind"] as? String, row.kind, "\(shown) --json: \(last)")
        }
    }
}

/// The conformance commands: failing cases on standard error too, and `--json` on success.
final class ConformanceOutputTests: XCTestCase {
    func testFailingCasesGoToStandardErrorAndJSONEndsEveryRun() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("failing-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(#"{"cases": [{"name": "ok", "source": "optax", "schedule": "constant_schedule", "params": {"value": 0.5}, "steps": 2, "lr": [0.5, 0.5]}, {"name": "off", "source": "pytorch", "schedule": "ExponentialLR", "base_lr": 0.1, "params": {"gamma": 0.5}, "steps": 2, "lr": [0.1, 0.06]}]}"#.utf8).write(to: url)
        let failing = try CommandLineRunner.run(["conformance", "schedules", url.path, "--json"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.standardError.contains("FAIL off"), failing.standardError)   // was: standard output only
        XCTAssertFalse(failing.standardError.contains("PASS ok"), failing.standardError)
        let last = try XCTUnwrap(failing.standardOutput.split(separator: "\n").last)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        XCTAssertEqual(object["passed"] as? Int, 1)
        XCTAssertEqual(object["failures"] as? [String], ["off"])

        let shared = CommandLineRunner.repositoryRoot.appendingPathComponent("conformance/optimizers.json").path
        let passing = try CommandLineRunner.run(["conformance", "optimizers", shared, "--json"])
        XCTAssertEqual(passing.status, 0, passing.standardError)
        XCTAssertEqual(passing.standardOutput.split(separator: "\n").last, #"{"failed":0,"passed":19,"status":"passed"}"#)
    }
}
