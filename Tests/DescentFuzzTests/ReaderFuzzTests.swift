import DescentConformance
import DescentData
import DescentOptim
import DescentSchedules
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// Seeded property tests of every reader of user input: each mutated input either reads or throws
/// the reader's own typed error. A trap, a stack overflow or a hang would end or stall the test
/// process, so CI catches it. See ``SeededMutator`` for the mutations and how to run longer.
final class ReaderFuzzTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func bytes(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: Self.root.appendingPathComponent(relativePath)))
    }

    /// Runs `body` on `rounds` mutants of the seeds, failing on an error that is not `expected`.
    private func fuzz(_ seeds: [[UInt8]], rounds: Int, salt: UInt64, expected: (any Error) -> Bool,
                      _ body: ([UInt8]) throws -> Void) {
        var mutator = SeededMutator(seed: SeededMutator.runSeed ^ salt)
        var failures = 0
        // DESCENT_FUZZ_TRACE=FILE writes each input there before it is read: after a crash, FILE holds it.
        let trace = ProcessInfo.processInfo.environment["DESCENT_FUZZ_TRACE"]
        for round in 0..<SeededMutator.rounds(rounds) {
            let input = mutator.mutate(seeds[round % seeds.count])
            if let trace { _ = FileManager.default.createFile(atPath: trace, contents: Data(input)) }
            do {
                try body(input)
            } catch where expected(error) {
                continue
            } catch {
                failures += 1
                if failures <= 5 {
                    XCTFail("round \(round): untyped error \(type(of: error)): \(error) for input \(String(decoding: input.prefix(200), as: UTF8.self))")
                }
            }
        }
    }

    func testCSVReader() throws {
        let iris = try bytes("Sources/DescentData/Resources/iris.csv")
        let lines = iris.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let head = Array(lines.prefix(25).joined(separator: [UInt8(ascii: "\n")]))
        let seeds = [head, Array("\u{FEFF}\"a, b\",\"c\"\"d\",y\r\n1,2,x\r\n\"3\",4,\"y\nz\"\r\n5,6,x\n".utf8),
                     Array("a,b,y\n1,,0\n2,3,1\n4,5,0\n".utf8)]
        fuzz(seeds, rounds: 1500, salt: 1, expected: { $0 is DataError }) { input in
            for task in [nil, PredictionTask.regression] {
                _ = try Dataset.parseCSV(bytes: input, source: "fuzz.csv", task: task)
            }
        }
    }

    func testSafetensorsReader() throws {
        let weights = try Safetensors.encode(["layer.weight": try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                                              "layer.bias": Tensor([0.5, -0.5])], metadata: ["format": "pt"])
        let seeds = [weights, try bytes("Tests/DescentDataTests/Fixtures/python_mixed_dtypes.safetensors"),
                     try bytes("Tests/DescentDataTests/Fixtures/python_weights.safetensors")]
        fuzz(seeds, rounds: 1500, salt: 2, expected: { $0 is DataError }) { input in
            _ = try Safetensors.decode(input, source: "fuzz.safetensors")
        }
    }

    func testNPYReader() throws {
        let seeds = [NPY.encode(try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])),
                     try bytes("Tests/DescentDataTests/Fixtures/numpy_f8.npy"),
                     try bytes("Tests/DescentDataTests/Fixtures/numpy_fortran.npy"),
                     try bytes("Tests/DescentDataTests/Fixtures/numpy_f4_big_endian.npy")]
        fuzz(seeds, rounds: 1500, salt: 3, expected: { $0 is DataError }) { input in
            _ = try NPY.decode(input, source: "fuzz.npy")
        }
    }

    func testScheduleParserAndTheSchedulesItBuilds() {
        let texts = ScheduleParser.knownNames + [
            "warmup(500) >> cosine(to: 1e-5)", "onecycle(warmup: 0.25, anneal: linear, three_phase: true)",
            "constant(0.01, steps: 100) >> step(every: 1000, gamma: 0.5)",
            "join([linear(from: 0.0, to: 0.1, steps: 10), exponential(from: 0.1, decay: 0.9)], at: [10])",
            "scaled(cosine, batch: 1024, base_batch: 256, warmup: 5)", "chain([warmup(10), cosine(steps: 90)])",
            "cyclic(low: 0.001, high: 0.1, up: 20, mode: triangular2)", "wsd(warmup: 10, decay: 20, shape: sqrt)",
            "cosine_restarts(steps: 10, t_mul: 2, m_mul: 0.5)", "restarts(period: 7, multiplier: 2)",
            "piecewise(at: [10, 20], scales: [0.5, 0.1])", "interpolate(cosine, at: [5, 50], scales: [10, 0.1])",
        ]
        var mutator = SeededMutator(seed: SeededMutator.runSeed ^ 4)
        let stepChoices = [1, 2, 10, 1000, 1_000_000_007, ScheduleParser.maximumTotalSteps]
        fuzz(texts.map { Array($0.utf8) }, rounds: 3000, salt: 5, expected: { $0 is ScheduleError }) { input in
            let text = String(decoding: input, as: UTF8.self)
            let total = stepChoices[mutator.below(stepChoices.count)]
            let schedule = try ScheduleParser.parse(text, totalSteps: mutator.below(4) == 0 ? nil : total,
                                                    baseLearningRate: mutator.below(4) == 0 ? nil : 0.1)
            // Evaluate where arithmetic is most likely to overflow: the ends of the run and beyond.
            for step in [0, 1, total / 2, total - 1, total, ScheduleParser.maximumTotalSteps - 1] {
                _ = schedule(step)
                _ = schedule.momentum(at: step)
            }
            // The text form reads back.
            _ = try ScheduleParser.parse(schedule.description)
        }
    }

    func testScheduleConformanceReader() throws {
        let seeds = try conformanceCaseSeeds(["conformance/schedules.json", "conformance/schedules-extra.json"])
        fuzz(seeds, rounds: 600, salt: 6, expected: { $0 is ScheduleError }) { input in
            _ = try ScheduleConformance.run(data: Data(input), fileName: "fuzz.json")
        }
    }

    func testOptimizerAndRangeTestConformanceReaders() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: file) }
        let optimizerSeeds = try conformanceCaseSeeds(["conformance/optimizers.json", "conformance/optimizers-extra.json"])
        fuzz(optimizerSeeds, rounds: 300, salt: 7, expected: { $0 is ConformanceError }) { input in
            try Data(input).write(to: file)
            _ = try OptimizerConformance.run(fileURL: file)
        }
        let finderSeeds = try conformanceCaseSeeds(["conformance/lr_finder.json"])
        fuzz(finderSeeds, rounds: 300, salt: 8, expected: { $0 is ConformanceError }) { input in
            try Data(input).write(to: file)
            _ = try RangeTestConformance.run(fileURL: file)
        }
    }

    /// One small file per case of the given conformance files: `{"cases": [CASE]}`.
    private func conformanceCaseSeeds(_ files: [String]) throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for file in files {
            let root = try JSONSerialization.jsonObject(with: Data(try bytes(file))) as? [String: Any]
            for entry in root?["cases"] as? [Any] ?? [] {
                let data = try JSONSerialization.data(withJSONObject: ["cases": [entry]], options: [.sortedKeys])
                seeds.append([UInt8](data))
            }
        }
        XCTAssertFalse(seeds.isEmpty)
        return seeds
    }
}
