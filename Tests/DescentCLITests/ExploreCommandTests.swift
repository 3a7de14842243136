import Foundation
import XCTest

/// `descent explore` run as a user runs it: the done-when on the bowl, every landscape, and bad input.
final class ExploreCommandTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-explore-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The done-when: three paths; 0.01 crawled, 0.5 converged, 1.05 diverged (bowl: 2/λ = 1).
    func testBowlRatesCrawlConvergeAndDiverge() throws {
        let out = directory.appendingPathComponent("x.html").path
        let result = try CommandLineRunner.run(["explore", "--landscape", "bowl", "--optimizer", "sgd",
                                                "--learning-rate", "0.01,0.5,1.05", "--steps", "40", "--out", out])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let verdicts = ["0.01": "crawled", "0.5": "converged", "1.05": "diverged"]
        for (rate, verdict) in verdicts {
            let line = try XCTUnwrap(lines.first { $0.hasPrefix("rate \(rate) ") }, result.standardOutput)
            XCTAssertTrue(line.contains(" \(verdict) "), line)
        }
        XCTAssertTrue(result.standardOutput.contains("2/λmax = 1 (exact"), result.standardOutput)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        // Three animated paths on the map, three series beside it, 2/λmax marked, the stepper's script.
        XCTAssertEqual(html.components(separatedBy: "<g class=\"dc-path\"").count - 1, 3)
        XCTAssertEqual(html.components(separatedBy: "polyline points=").count - 1, 6)
        XCTAssertTrue(html.contains("2/λmax = 1"))
        XCTAssertTrue(html.contains("<script>"))
        XCTAssertFalse(html.contains("https://"), "nothing fetched from the network")
    }

    func testJSONAndEveryLandscapeWithAdamAndASchedule() throws {
        for landscape in ["ravine", "rosenbrock", "himmelblau", "beale"] {
            let out = directory.appendingPathComponent("\(landscape).html").path
            let result = try CommandLineRunner.run(["explore", "--landscape", landscape, "--optimizer", "adam", "--learning-rate", "0.05",
                                                    "--steps", "30", "--schedule", "warmup(5) >> constant", "--out", out, "--json"])
            XCTAssertEqual(result.status, 0, result.standardError)
            let last = try XCTUnwrap(result.standardOutput.split(separator: "\n").last)
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
            XCTAssertEqual(object["landscape"] as? String, landscape)
            let paths = try XCTUnwrap(object["paths"] as? [[String: Any]])
            XCTAssertEqual(paths.count, 1)
            XCTAssertNotNil(paths[0]["verdict"] as? String)
            XCTAssertTrue(FileManager.default.fileExists(atPath: out))
        }
    }

    func testBadInputIsAUsageErrorAndLeavesAnExistingFileAlone() throws {
        let existing = directory.appendingPathComponent("keep.html")
        try Data("old".utf8).write(to: existing)
        let cases: [([String], String)] = [
            (["--landscape", "volcano"], "volcano"),
            (["--optimizer", "magic"], "magic"),
            (["--learning-rate", "0.1,-1"], "-1"),
            (["--learning-rate", "0.1,abc"], "abc"),
            (["--learning-rate", "0"], "positive"),
            (["--steps", "0"], "--steps"),
            (["--start", "9,9"], "outside"),
            (["--start", "1"], "--start"),
            (["--schedule", "cosine(("], "--schedule"),
            (["--out", directory.path], "directory"),
            (["--out", "/nonexistent-dir/x.html"], "does not exist"),
        ]
        for (arguments, expected) in cases {
            var all = ["explore"] + arguments
            if !arguments.contains("--out") { all += ["--out", existing.path] }
            let result = try CommandLineRunner.run(all)
            XCTAssertEqual(result.status, 2, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains(expected), "\(arguments): \(result.standardError)")
        }
        XCTAssertEqual(try String(contentsOf: existing, encoding: .utf8), "old")
        // A good run replaces it whole.
        let good = try CommandLineRunner.run(["explore", "--steps", "5", "--out", existing.path])
        XCTAssertEqual(good.status, 0, good.standardError)
        XCTAssertTrue(try String(contentsOf: existing, encoding: .utf8).hasSuffix("</html>\n"))
    }
}
