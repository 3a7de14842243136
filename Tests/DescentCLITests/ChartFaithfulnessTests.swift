@testable import DescentCLI
@testable import DescentCLITune
import Descent
import DescentTune
import Foundation
import XCTest

/// Charts that do not mislead (issue #22): rollbacks drawn once, epochs counted from 1, rounded
/// event lines, explorer paths told apart and described as they move, and the study report's charts.
final class ChartFaithfulnessTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-charts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The `d` of the `<path>` of the series named `name` in `html`, as (x, y) pixel pairs.
    private func points(ofSeries name: String, in html: String) throws -> [(Double, Double)] {
        let start = try XCTUnwrap(html.range(of: "<g class=\"dc-line\" data-name=\"\(name)\"><path d=\""), "no series '\(name)'")
        let end = try XCTUnwrap(html.range(of: "\"", range: start.upperBound..<html.endIndex))
        return html[start.upperBound..<end.lowerBound].split(whereSeparator: { $0 == "M" || $0 == "L" }).compactMap { pair in
            let numbers = pair.split(separator: " ").compactMap { Double($0) }
            return numbers.count == 2 ? (numbers[0], numbers[1]) : nil
        }
    }

    /// SGD at 20 on iris blows up at step 10 and the guard rolls back to the start, twice: the same
    /// steps are done three times. The kept path is drawn once (x strictly increasing), the two
    /// discarded attempts faded behind it, the rollbacks marked; the event lines print rounded losses.
    func testRollbackStepsAreDrawnOnceWithTheDiscardedAttemptsFaded() throws {
        let report = path("rollbacks.html")
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--optimizer", "sgd", "--learning-rate", "20",
                                                "--epochs", "6", "--report", report])
        XCTAssertEqual(result.status, 0, result.standardError)
        let events = result.standardOutput.split(separator: "\n").filter { $0.contains("diverged; rolled back") }
        XCTAssertFalse(events.isEmpty, result.standardOutput)
        for line in events {
            // "step 10: loss 2.785e16 diverged; …" or "loss 295257": rounded, not a raw Double's 17 digits and "e+".
            let loss = try XCTUnwrap(line.split(separator: " ").dropFirst(3).first)
            XCTAssertFalse(loss.contains("e+"), String(line))
            XCTAssertLessThanOrEqual(loss.count, 8, String(line))
            XCTAssertNotNil(Double(loss), String(line))
        }
        let html = try String(contentsOfFile: report, encoding: .utf8)
        let kept = try points(ofSeries: "minibatch loss", in: html)
        XCTAssertGreaterThan(kept.count, 2)
        for (a, b) in zip(kept, kept.dropFirst()) { XCTAssertLessThan(a.0, b.0, "a step drawn twice: the kept path goes back") }
        let rate = try points(ofSeries: "learning rate", in: html)
        for (a, b) in zip(rate, rate.dropFirst()) { XCTAssertLessThan(a.0, b.0, "a rate segment drawn twice") }
        // The discarded attempts: one grey thin series for the loss, one for the rate.
        let discarded = try XCTUnwrap(html.range(of: "steps rolled back\"><path d=\""), "no faded series of the discarded steps")
        let tag = html[discarded.upperBound...].prefix(while: { $0 != ">" })
        XCTAssertTrue(tag.contains("stroke=\"#8e8e93\"") && tag.contains("stroke-opacity=\"0.5\""), String(tag))
        XCTAssertTrue(html.contains(">rollback"), "the rollbacks are marked")
        XCTAssertTrue(html.contains("rolled back to the state after step"), "the events say where each retry started")
        // Both rollbacks come at step 10, but after epochs 2 and 4 (the epochs count on while the steps rewind):
        // one merged marker on the step chart, two apart on the epoch chart.
        if events.count == 2 {
            XCTAssertTrue(html.contains(">rollback ×2</text>"), "one marker at step 10")
            XCTAssertEqual(html.components(separatedBy: ">rollback</text>").count - 1, 2, "two markers on the epoch axis")
        }
    }

    func testTerminalEpochChartsCountFromOne() throws {
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "5"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let lines = result.standardOutput.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let title = try XCTUnwrap(lines.firstIndex(of: "training loss per epoch"), result.standardOutput)
        // Title, 8 rows, the axis, then its labels.
        let labels = lines[title + 10]
        XCTAssertTrue(labels.hasPrefix("1 ") && labels.hasSuffix(" 5"), "epochs 1…5, got '\(labels)'")
    }

    func testExplorerDrawsOneMapPerRateAndSaysHowEachPathMoves() throws {
        let out = path("explore.html")
        let result = try CommandLineRunner.run(["explore", "--landscape", "bowl", "--learning-rate", "0.01,0.5,1.05", "--out", out])
        XCTAssertEqual(result.status, 0, result.standardError)
        let line = try XCTUnwrap(result.standardOutput.split(separator: "\n").first { $0.hasPrefix("rate 1.05 ") })
        XCTAssertTrue(line.contains("zig-zags across the minimum"), String(line))
        XCTAssertFalse(result.standardOutput.contains("spiral"), result.standardOutput)
        let html = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertEqual(html.components(separatedBy: "class=\"descent-chart descent-map\"").count - 1, 3, "small multiples: one map per rate")
        for index in 0..<3 { XCTAssertTrue(html.contains("id=\"dc-map-\(index)-clip\""), "each map has its own clip path") }
        XCTAssertTrue(html.contains("small multiples"))
    }

    /// With momentum β the limit is 2(1 + β)/λmax, as the range test quotes it: ravine λmax = 20, β = 0.9 → 0.19.
    func testExplorerQuotesTheMomentumLimit() throws {
        let result = try CommandLineRunner.run(["explore", "--landscape", "ravine", "--momentum", "0.9", "--learning-rate", "0.05,0.15",
                                                "--out", path("ravine.html"), "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.split(separator: "\n").last!.utf8)) as? [String: Any])
        XCTAssertEqual(try XCTUnwrap(object["stability_limit"] as? Double), 2 * (1 + 0.9) / 20, accuracy: 1e-12)
        XCTAssertEqual(object["stability_limit_formula"] as? String, "2(1 + β)/λmax")
        let text = try CommandLineRunner.run(["explore", "--landscape", "ravine", "--momentum", "0.9", "--out", path("ravine2.html")])
        XCTAssertTrue(text.standardOutput.contains("stable limit 2(1 + β)/λmax = 0.19"), text.standardOutput)
    }

    // MARK: - The study report

    private func study(_ trials: [TrialRecord], search: String) throws -> HTMLReport {
        let space = try SearchSpace(parsing: search)
        return StudyReport(study: StudyRecord(id: 1, name: "s", direction: .minimize, configuration: "search=\(search)"),
                           trials: trials, space: space).document()
    }

    private func trial(_ number: Int, _ value: Double?, state: TrialState = .complete, rate: Double, batch: Int, optimizer: String,
                       curve: [Double]) -> TrialRecord {
        TrialRecord(id: Int64(number + 1), number: number, state: state, value: value,
                    parameters: ["learning_rate": .float(rate), "batch_size": .int(batch), "optimizer": .choice(optimizer)],
                    intermediate: Dictionary(uniqueKeysWithValues: curve.enumerated().map { ($0 + 1, $1) }))
    }

    /// Good trials at 0.04–0.15 beside one at 3.3: a log axis; every searched parameter charted, the
    /// categorical one as colour; the best five curves in colour, the others grey; hover text on points.
    func testStudyReportChartsEveryParameterOnALogAxisWithTheBestCurvesHighlighted() throws {
        var trials: [TrialRecord] = []
        let values = [0.15, 3.3, 0.04, 0.09, 0.12, 0.07, 0.11, 0.05, 0.13, 0.08]
        for (number, value) in values.enumerated() {
            trials.append(trial(number, value, rate: 1e-3 * Double(number + 1), batch: 16 << (number % 3),
                                optimizer: number % 2 == 0 ? "adam" : "sgd", curve: [1, value * 2, value]))
        }
        trials.append(trial(10, nil, state: .pruned, rate: 0.5, batch: 32, optimizer: "sgd", curve: [2.5]))
        let report = try study(trials, search: "learning_rate=loguniform(1e-4,1); batch_size=int(16,64); optimizer=choice(adam,sgd)")
        let charts = report.sections.flatMap(\.blocks).compactMap { block -> SVGLineChart? in
            if case let .chart(chart) = block { return chart } else { return nil }
        }
        let history = try XCTUnwrap(charts.first { $0.title == "Optimisation history" })
        XCTAssertEqual(history.yAxis.scale, .logarithmic, "values from 0.04 to 3.3 span two decades")
        XCTAssertEqual(charts.filter { $0.title.hasPrefix("Value against") }.map(\.title), ["Value against learning_rate", "Value against batch_size"])
        let byOptimizer = try XCTUnwrap(charts.first { $0.title == "Value by optimizer" })
        XCTAssertEqual(byOptimizer.xCategories, ["adam", "sgd"])
        XCTAssertEqual(byOptimizer.series.map { $0.y.count }, [5, 5])
        // The numeric charts are coloured by the categorical parameter.
        let rateChart = try XCTUnwrap(charts.first { $0.title == "Value against learning_rate" })
        XCTAssertEqual(rateChart.series.map(\.name), ["optimizer=adam", "optimizer=sgd"])
        XCTAssertEqual(rateChart.xScale, .logarithmic)
        // Intermediate curves: the five best complete trials (values 0.04, 0.05, 0.07, 0.08, 0.09) in colour, six others grey.
        let curves = try XCTUnwrap(charts.first { $0.title == "Validation loss per epoch" })
        XCTAssertEqual(curves.series.first?.name, "6 other trials (pruned ones stop early)")
        XCTAssertEqual(curves.series.first?.color, StudyReport.otherColor)
        XCTAssertEqual(curves.series.dropFirst().map(\.name), ["#2 (best, 0.04)", "#7 (0.05)", "#5 (0.07)", "#9 (0.08)", "#3 (0.09)"])
        XCTAssertEqual(Set(curves.series.dropFirst().compactMap(\.color)).count, 5, "five distinct colours")
        // Hover values on the history's points.
        let svg = history.svg()
        XCTAssertTrue(svg.contains("<title>trial #1: 3.3 · batch_size=32 learning_rate=0.002 optimizer=sgd</title>"), svg)
    }

    func testStudyHistoryStaysLinearWhenValuesDoNotSpanADecade() throws {
        let trials = [0.5, 0.6, 0.9].enumerated().map { trial($0, $1, rate: 0.01, batch: 16, optimizer: "adam", curve: [1, $1]) }
        let report = try study(trials, search: "learning_rate=loguniform(1e-4,1)")
        let history = report.sections.flatMap(\.blocks).compactMap { block -> SVGLineChart? in
            if case let .chart(chart) = block, chart.title == "Optimisation history" { return chart } else { return nil }
        }.first
        XCTAssertEqual(history?.yAxis.scale, .linear)
    }

    // MARK: - descent report

    private func trainLog(_ name: String, rate: String) throws -> String {
        let log = path(name)
        let result = try CommandLineRunner.run(["train", "--dataset", "iris", "--epochs", "3", "--learning-rate", rate, "--log", log, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        return log
    }

    func testReportOverlaysSeveralRunsOnOnePage() throws {
        let slow = try trainLog("slow.jsonl", rate: "0.003"), fast = try trainLog("fast.jsonl", rate: "0.03")
        let out = path("runs.html")
        let result = try CommandLineRunner.run(["report", slow, fast, "--out", out, "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.split(separator: "\n").last!.utf8)) as? [String: Any])
        XCTAssertEqual(object["status"] as? String, "completed")
        let runs = try XCTUnwrap(object["runs"] as? [[String: Any]])
        XCTAssertEqual(runs.map { $0["name"] as? String }, ["slow", "fast"])
        XCTAssertEqual(runs.map { $0["epochs"] as? Int }, [3, 3])
        XCTAssertEqual(runs.map { $0["steps"] as? Int }, [12, 12], "120 training rows in minibatches of 32, 3 epochs")
        XCTAssertEqual(runs.first?["metric"] as? String, "accuracy")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        for title in ["Training loss per step (smoothed)", "Learning rate per step", "Validation loss per epoch",
                      "Training loss per epoch", "Validation accuracy per epoch"] {
            XCTAssertTrue(html.contains(">\(title)</text>"), title)
        }
        // Each chart has both runs, in the same two colours.
        XCTAssertEqual(html.components(separatedBy: "data-name=\"slow\"").count - 1, 5)
        XCTAssertEqual(html.components(separatedBy: "data-name=\"fast\"").count - 1, 5)
        XCTAssertFalse(html.contains("https://"))
        // The learning rates as logged: 0.003 and 0.03 (constant schedule).
        XCTAssertTrue(html.contains("learning rate"))
        let text = try CommandLineRunner.run(["report", slow, fast, "--out", out])
        XCTAssertTrue(text.standardOutput.hasPrefix("slow  3 epochs, 12 steps, 0 rollbacks; best validation loss "), text.standardOutput)
    }

    func testReportErrorsNameTheFileAndLine() throws {
        let good = try trainLog("good.jsonl", rate: "0.01")
        let bad = path("bad.jsonl")
        var text = try String(contentsOfFile: good, encoding: .utf8).split(separator: "\n").prefix(3).joined(separator: "\n")
        text += "\n{\"kind\":\"step\",\"step\":\"four\"}\n"
        try text.write(toFile: bad, atomically: true, encoding: .utf8)
        var result = try CommandLineRunner.run(["report", good, bad, "--out", path("x.html"), "--json"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("\(bad):4: "), result.standardError)
        XCTAssertTrue(result.standardOutput.split(separator: "\n").last?.contains("\"kind\":\"input\"") == true, result.standardOutput)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("x.html")), "no page from a bad log")

        let empty = path("empty.jsonl")
        try Data().write(to: URL(fileURLWithPath: empty))
        result = try CommandLineRunner.run(["report", empty, "--out", path("x.html")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("the log '\(empty)' has no entries"), result.standardError)

        let header = path("header.jsonl")
        try (String(contentsOfFile: good, encoding: .utf8).split(separator: "\n").first! + "\n").write(toFile: header, atomically: true, encoding: .utf8)
        result = try CommandLineRunner.run(["report", header, "--out", path("x.html")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("\(header): no steps or epochs logged"), result.standardError)

        result = try CommandLineRunner.run(["report", path("missing.jsonl"), "--out", path("x.html")])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("missing.jsonl': no such file"), result.standardError)
    }

    func testReportUsageErrors() throws {
        let good = try trainLog("only.jsonl", rate: "0.01")
        var result = try CommandLineRunner.run(["report", good, "--out", good])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("--out '\(good)' is the input log file"), result.standardError)
        result = try CommandLineRunner.run(["report"] + Array(repeating: good, count: 8) + ["--out", path("x.html")])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.standardError.contains("at most 7 logs"), result.standardError)
    }
}
