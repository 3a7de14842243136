import DescentData
import DescentDiagnosis
import DescentNN
import DescentOptim
import DescentTensor
@testable import DescentTrain
import Foundation
import XCTest

/// The JSON Lines training log: what a line holds, a real run read back into the curves the trainer
/// showed, a killed and resumed run, and malformed logs named by file and line.
final class TrainingLogTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A clock that ticks a quarter second each time it is read.
    private func fakeClock() -> () -> Double {
        nonisolated(unsafe) var time = 100.0
        return { time += 0.25; return time }
    }

    private func lines(_ file: String) throws -> [[String: Any]] {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map {
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
    }

    private let events: [TrainingEvent] = [
        .stepEnded(step: 1, loss: 2.25, learningRate: 0.1),
        .stepEnded(step: 2, loss: 1.5, learningRate: 0.1),
        .epochEnded(TrainingRecord(epoch: 1, step: 2, learningRate: 0.1, trainingLoss: 1.875, validationLoss: 1.25, validationMetric: 0.5)),
        .stepEnded(step: 3, loss: .infinity, learningRate: 0.1),
        .rolledBack(step: 3, loss: .infinity, rateScale: 0.5),
        .stepEnded(step: 3, loss: 1.0, learningRate: 0.05),
        .stepEnded(step: 4, loss: 0.75, learningRate: 0.05),
        .epochEnded(TrainingRecord(epoch: 2, step: 4, learningRate: 0.05, trainingLoss: 0.875, validationLoss: .nan, validationMetric: 0.75)),
        .stoppedEarly(epoch: 2, bestEpoch: 1),
    ]

    func testEachLineHoldsItsKindsFieldsAndNonFiniteValuesAreNull() throws {
        let file = path("run.jsonl")
        let baseline = TrivialBaseline(metricName: "accuracy", metric: 0.25, loss: 1.386)
        let log = try TrainingLog(path: file, baseline: baseline, clock: fakeClock())
        log.momentum = { step in 0.95 - 0.01 * Double(step) }
        for event in events { try log.record(event) }
        try log.finish()

        let text = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertEqual(text.split(separator: "\n").first, 
                       #"{"baseline":{"loss":1.386,"metric":0.25,"metric_name":"accuracy","perfect_metric":1},"format":1,"kind":"run","metric_name":"accuracy","resumed_from_epoch":0}"#)
        let entries = try lines(file)
        XCTAssertEqual(entries.map { $0["kind"] as? String },
                       ["run", "step", "step", "epoch", "step", "rollback", "step", "step", "epoch", "stopped_early"])
        let first = entries[1]
        XCTAssertEqual(first["step"] as? Int, 1)
        XCTAssertEqual(first["epoch"] as? Int, 1)
        XCTAssertEqual(first["loss"] as? Double, 2.25)
        XCTAssertEqual(first["learning_rate"] as? Double, 0.1)
        XCTAssertEqual(first["momentum"] as? Double, 0.95, "step 1 used the momentum of step index 0")
        XCTAssertEqual(first["seconds"] as? Double, 0.25)
        XCTAssertNil(first["gradient_norm"], "absent, not null, when not known")
        XCTAssertTrue(entries[4]["loss"] is NSNull, "an infinite loss is null")
        XCTAssertEqual(entries[4]["epoch"] as? Int, 2)
        XCTAssertEqual(entries[5]["rate_scale"] as? Double, 0.5)
        XCTAssertEqual(entries[5]["rollbacks"] as? Int, 1)
        let epoch = entries[8]
        XCTAssertEqual(epoch["training_loss"] as? Double, 0.875)
        XCTAssertTrue(epoch["validation_loss"] is NSNull)
        XCTAssertEqual(epoch["validation_metric"] as? Double, 0.75)
        XCTAssertEqual(epoch["metric_name"] as? String, "accuracy")
        XCTAssertEqual(epoch["rollbacks"] as? Int, 1)
        XCTAssertEqual(entries[9]["best_epoch"] as? Int, 1)
    }

    func testTheCurvesReadBackAreThoseRecordedDuringTheRun() throws {
        let file = path("run.jsonl")
        let baseline = TrivialBaseline(metricName: "accuracy", metric: 0.25, loss: 1.386)
        let log = try TrainingLog(path: file, baseline: baseline, clock: fakeClock())
        var recorded = TrainingCurves(baseline: baseline)
        for event in events {
            try log.record(event)
            recorded.record(event)
        }
        let error = TrainingError.diverged(step: 5, loss: .nan, rollbacks: 1)
        try log.record(error)
        recorded.record(error)
        try log.finish()
        let read = try TrainingLog.curves(contentsOf: file)
        XCTAssertEqual(read.entryCount, 11)
        XCTAssertNil(read.incompleteLastLine)
        // NaN ≠ NaN: compare the non-finite values apart.
        XCTAssertEqual(read.curves.steps.count, recorded.steps.count)
        XCTAssertTrue(read.curves.steps[2].loss.isNaN, "an infinite loss comes back as NaN: not finite either way")
        XCTAssertEqual(read.curves.steps.enumerated().filter { $0.offset != 2 }.map(\.element),
                       recorded.steps.enumerated().filter { $0.offset != 2 }.map(\.element))
        XCTAssertEqual(read.curves.epochs[0], recorded.epochs[0])
        XCTAssertTrue(try XCTUnwrap(read.curves.epochs[1].validationLoss).isNaN)
        XCTAssertEqual(read.curves.rollbacks.map(\.rateScale), [0.5])
        XCTAssertEqual(read.curves.earlyStop, recorded.earlyStop)
        XCTAssertEqual(read.curves.finalDivergence?.step, 5)
        XCTAssertEqual(read.curves.baseline, baseline)
    }

    func testARealRunReadsBackExactlyAndGetsTheSameDiagnosis() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 3).standardized().split
        var generator = SeededGenerator(seed: 3)
        let model = Sequential { try! Linear(4, 8, using: &generator); ReLU(); try! Linear(8, 3, using: &generator) }
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        let baseline = TrivialBaseline(for: split.validation)
        var curves = TrainingCurves(baseline: baseline)
        let file = path("iris.jsonl")
        let log = try TrainingLog(path: file, baseline: baseline)
        _ = try Trainer(configuration: TrainingConfiguration(epochs: 4, batchSize: 16))
            .fit(model, optimizer: &optimizer, training: split.train, validation: split.validation) { event in
                curves.record(event)
                try log.record(event)
            }
        try log.finish()
        var read = try TrainingLog.curves(contentsOf: file)
        XCTAssertNil(read.endStatus, "no end line: read as a killed run")
        XCTAssertEqual(read.curves, curves, "JSON keeps every Double exactly (shortest round-trip digits)")
        XCTAssertEqual(read.curves.steps.count, 4 * 8)
        XCTAssertEqual(diagnose(read.curves), diagnose(curves))
        let appended = try TrainingLog(path: file, appending: true, resumedFromEpoch: 4, resumedAtStep: 32)
        try appended.finish(status: "completed")
        read = try TrainingLog.curves(contentsOf: file)
        XCTAssertEqual(read.endStatus, "completed")
        XCTAssertEqual(read.curves, curves, "a resume at the end changes nothing")
    }

    func testAResumedRunAppendsAndTheKilledRunsExtraStepsAreDropped() throws {
        let file = path("resumed.jsonl")
        let record1 = TrainingRecord(epoch: 1, step: 2, learningRate: 0.1, trainingLoss: 1)
        let record2 = TrainingRecord(epoch: 2, step: 4, learningRate: 0.1, trainingLoss: 0.5)
        do {
            let log = try TrainingLog(path: file, clock: fakeClock())
            try log.record(.stepEnded(step: 1, loss: 1.2, learningRate: 0.1))
            try log.record(.stepEnded(step: 2, loss: 0.8, learningRate: 0.1))
            try log.record(.epochEnded(record1))
            try log.record(.stepEnded(step: 3, loss: 0.7, learningRate: 0.1))   // killed here, before epoch 2 ended
        }
        // The kill also cut a line in half.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"kind":"step","st"#.utf8))
        handle.closeFile()
        XCTAssertEqual(try TrainingLog.curves(contentsOf: file).incompleteLastLine, 6, "a killed run's log reads up to the kill")

        let resumed = try TrainingLog(path: file, appending: true, resumedFromEpoch: 1, clock: fakeClock())
        for event: TrainingEvent in [.stepEnded(step: 3, loss: 0.6, learningRate: 0.1), .stepEnded(step: 4, loss: 0.4, learningRate: 0.1),
                                     .epochEnded(record2)] {
            try resumed.record(event)
        }
        try resumed.finish()
        let entries = try lines(file)
        XCTAssertEqual(entries.count, 9, "the partial line was cut off before appending")
        XCTAssertEqual(entries[5]["resumed_from_epoch"] as? Int, 1)
        XCTAssertEqual(entries[6]["epoch"] as? Int, 2, "steps after the resume count from the resumed epoch")
        let read = try TrainingLog.curves(contentsOf: file)
        XCTAssertEqual(read.resumptions, 1)
        XCTAssertEqual(read.curves.steps.map(\.loss), [1.2, 0.8, 0.6, 0.4])
        XCTAssertEqual(read.curves.epochs, [record1, record2])
    }

    func testAResumeFromInsideAnEpochKeepsTheStepsUpToTheCheckpoint() throws {
        let file = path("interrupted.jsonl")
        do {
            let log = try TrainingLog(path: file, clock: fakeClock())
            for step in 1...2 { try log.record(.stepEnded(step: step, loss: Double(step), learningRate: 0.1)) }
            try log.record(.epochEnded(TrainingRecord(epoch: 1, step: 2, learningRate: 0.1, trainingLoss: 1.5)))
            // Steps 3 and 4, a rollback to step 2, steps 3 and 4 again; the checkpoint is at step 4; then 5 before the kill.
            for step in 3...4 { try log.record(.stepEnded(step: step, loss: 100, learningRate: 0.1)) }
            try log.record(.rolledBack(step: 5, loss: 1e9, rateScale: 0.5))
            for step in 3...5 { try log.record(.stepEnded(step: step, loss: Double(step), learningRate: 0.05)) }
        }
        let resumed = try TrainingLog(path: file, appending: true, resumedFromEpoch: 1, resumedAtStep: 4, rollbacks: 1, clock: fakeClock())
        try resumed.record(.stepEnded(step: 5, loss: 5.5, learningRate: 0.05))
        try resumed.finish()
        let read = try TrainingLog.curves(contentsOf: file).curves
        XCTAssertEqual(read.steps.map(\.step), [1, 2, 3, 4, 3, 4, 5])
        XCTAssertEqual(read.steps.last?.loss, 5.5)
        XCTAssertEqual(read.rollbacks.count, 1, "the rollback before the checkpoint stays")
    }

    func testAMalformedLineIsNamedByFileAndLine() throws {
        let file = path("bad.jsonl")
        let header = #"{"kind":"run","format":1}"#
        let cases: [(String, String)] = [
            ("not json", "not a JSON object"),
            (#"{"kind":"step","step":1,"learning_rate":0.1}"#, #""loss""#),
            (#"{"kind":"lap","step":1}"#, #"unknown "kind""#),
            (#"{"kind":"epoch","epoch":"one","step":1,"learning_rate":0.1,"training_loss":1}"#, #""epoch" must be an integer"#),
            ("[1, 2]", "not a JSON object"),
        ]
        for (line, reason) in cases {
            try Data((header + "\n\n" + line + "\n").utf8).write(to: URL(fileURLWithPath: file))
            XCTAssertThrowsError(try TrainingLog.curves(contentsOf: file), line) { error in
                guard case let .malformedLine(errorPath, number, message)? = error as? TrainingLogError else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(errorPath, file)
                XCTAssertEqual(number, 3)
                XCTAssertTrue(message.contains(reason), "\(line): \(message)")
                XCTAssertTrue("\(error)".hasPrefix("\(file):3: "), "\(error)")
            }
        }
        try Data().write(to: URL(fileURLWithPath: file))
        XCTAssertThrowsError(try TrainingLog.curves(contentsOf: file)) { XCTAssertEqual($0 as? TrainingLogError, .empty(path: file)) }
        XCTAssertThrowsError(try TrainingLog.curves(contentsOf: path("missing.jsonl"))) { error in
            XCTAssertEqual(error as? TrainingLogError, .cannotRead(path: self.path("missing.jsonl"), reason: "no such file"))
        }
    }

    func testOnlyARegularFileIsWritten() throws {
        XCTAssertThrowsError(try TrainingLog(path: directory.path)) { error in
            XCTAssertTrue("\(error)".contains("it is a directory"), "\(error)")
        }
        let target = path("target.txt")
        try Data("keep\n".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: path("link.jsonl"), withDestinationPath: target)
        XCTAssertThrowsError(try TrainingLog(path: path("link.jsonl"))) { error in
            XCTAssertTrue("\(error)".contains("symbolic link"), "\(error)")
        }
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "keep\n")
        XCTAssertThrowsError(try TrainingLog(path: path("no/such/dir/run.jsonl")))
    }
}

/// The gradient norm the trainer reports per step, against the norm of the gradients computed apart.
final class GradientNormEventTests: XCTestCase {
    func testTheFirstStepsNormIsTheNormOfTheFullBatchGradient() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 3).standardized().split
        var generator = SeededGenerator(seed: 1)
        let network = Sequential([try Linear(4, 3, using: &generator)])
        // One batch of all 120 rows: the mean loss, and so its gradient, does not depend on the shuffle.
        let objective = Objective(for: split.train)
        let (_, gradients) = try valueWithGradient(at: network) { model in
            try objective.loss(model(split.train.features), split.train.targets)
        }
        var squares = 0.0
        for gradient in gradients.values { squares += gradient.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } }
        XCTAssertEqual(globalGradientNorm(gradients), squares.squareRoot(), accuracy: 1e-12 * squares.squareRoot())

        var configuration = TrainingConfiguration(epochs: 1, batchSize: 120)
        configuration.measuresGradientNorm = true
        var optimizer = try Optimizer(SGD(), learningRate: 0.1)
        var norms: [Double?] = []
        _ = try Trainer(configuration: configuration).fit(network, optimizer: &optimizer, training: split.train) { event in
            if case let .stepEnded(_, _, _, norm) = event { norms.append(norm) }
        }
        XCTAssertEqual(norms.count, 1)
        XCTAssertEqual(try XCTUnwrap(norms[0]), squares.squareRoot(), accuracy: 1e-6 * squares.squareRoot())
        XCTAssertGreaterThan(squares, 0)

        var quiet: [Double?] = []
        _ = try Trainer(configuration: TrainingConfiguration(epochs: 1, batchSize: 120))
            .fit(network, optimizer: &optimizer, training: split.train) { event in
                if case let .stepEnded(_, _, _, norm) = event { quiet.append(norm) }
            }
        XCTAssertEqual(quiet, [nil], "not measured unless asked for")
    }

    func testTheNormOfTheWorkedExample() throws {
        let gradients = ["w": try Tensor(shape: [2], scalars: [3, 4]), "b": Tensor(12)]
        XCTAssertEqual(globalGradientNorm(gradients), 13)
    }
}
