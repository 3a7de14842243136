@testable import DescentCLI
@testable import DescentCLIShared
import DescentData
import DescentFiles
import DescentNN
import DescentOptim
import DescentSchedules
import DescentTensor
import DescentTrain
@testable import DescentTune
import Foundation
import XCTest

/// Seeded generators of the inputs a hostile user writes by hand — configuration files (aliases,
/// octal and other non-decimal numbers, huge scalars, deep nesting), checkpoints (every numeric field
/// at its edges) and study database rows (text, blobs, NULLs and extreme numbers in every column) —
/// and the property each reader must keep: it reads, or throws its own typed error; it never traps,
/// overflows the stack, hangs or expands input exponentially. Rounds multiply with
/// `DESCENT_FUZZ_ROUNDS`; `DESCENT_FUZZ_SEED` changes the seed (see ``SeededMutator``).
final class HostileInputFuzzTests: XCTestCase {
    private var trace: String? { ProcessInfo.processInfo.environment["DESCENT_FUZZ_TRACE"] }

    // MARK: configuration files

    /// A YAML or TOML configuration built to break the reader.
    struct ConfigurationGenerator {
        var random: SeededMutator

        static let keys = ["dataset", "epochs", "learning-rate", "hidden", "schedule", "batch-size", "seed", "json", "patience"]
        static let numbers = ["010", "0o17", "0x1F", "0b101", "1_000", "1:30", "1:30.5", "-010", "+7", "00", "0", "1e308", "1e400",
                              "-1e400", ".inf", "-.inf", ".nan", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
                              "0.000", "012.5", "1e-400", "2", "64"]

        mutating func pick<T>(_ options: [T]) -> T { options[random.below(options.count)] }

        /// `levels` anchored lists of `width` aliases to the level below: width^levels values expanded.
        mutating func aliases() -> String {
            let levels = 1 + random.below(12), width = 1 + random.below(12)
            var text = "a0: &a0 [\"lol\"]\n"
            for level in 1...levels {
                text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: width).joined(separator: ", ") + "]\n"
            }
            // Sometimes the expansion sits under a real key, or as a mapping key (hashed while the mapping is built).
            switch random.below(3) {
            case 0: text += "hidden: *a\(levels)\n"
            case 1: text += "? *a\(levels)\n: 1\n"
            default: break
            }
            return text
        }

        mutating func nesting() -> String {
            let depth = random.below(2_000)
            switch random.below(3) {
            case 0: return "hidden: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + "\n"
            case 1: return "hidden: " + String(repeating: "{a: ", count: depth) + "1" + String(repeating: "}", count: depth) + "\n"
            default: return (0..<Swift.min(depth, 300)).map { String(repeating: "  ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"
            }
        }

        mutating func numbers() -> String {
            (0..<(1 + random.below(5))).map { _ in "\(pick(Self.keys)): \(pick(Self.numbers))" }.joined(separator: "\n") + "\n"
        }

        mutating func hugeScalar() -> String {
            let size = [1, 80, 10_000, 1_000_000][random.below(4)]
            let body = String(repeating: pick(["9", "x", "é", "[", "'", "\\"]), count: size)
            return "dataset: iris\n\(pick(Self.keys)): \(pick(["", "\"", "'"]))\(body)\(pick(["", "\"", "'"]))\n"
        }

        mutating func toml() -> String {
            let value = pick(["[]", "[[]]", "[1, [2]]", String(repeating: "[", count: 300), "010", "0o17", "1_000", "inf", "nan",
                              "\"" + String(repeating: "9", count: 100_000) + "\"", "{a = 1}", "1979-05-27", "9223372036854775808"])
            return "dataset = \"iris\"\n\(pick(Self.keys)) = \(value)\n"
        }

        mutating func next() -> (text: String, format: String) {
            switch random.below(6) {
            case 0: return (aliases(), "yaml")
            case 1: return (nesting(), "yaml")
            case 2: return (numbers(), "yaml")
            case 3: return (hugeScalar(), pick(["yaml", "toml"]))
            case 4: return (toml(), "toml")
            default:
                let seed = pick(["dataset: digits\nlearning-rate: 0.05\nhidden: [64, 32]\nschedule: \"warmup(5) >> cosine\"\n",
                                 "dataset = \"digits\"\nlearning_rate = 0.05\nhidden = [64, 32]\nepochs = 3\n"])
                return (String(decoding: random.mutate(Array(seed.utf8)), as: UTF8.self), seed.contains("=") ? "toml" : "yaml")
            }
        }
    }

    func testConfigurationFiles() {
        var generator = ConfigurationGenerator(random: SeededMutator(seed: SeededMutator.runSeed ^ 11))
        var failures = 0
        for round in 0..<SeededMutator.rounds(300) {
            let (text, format) = generator.next()
            if let trace { _ = FileManager.default.createFile(atPath: trace, contents: Data(text.utf8)) }
            do {
                let file = try ConfigurationFile(text: text, format: format, path: "fuzz.\(format)")
                _ = try SpecificationFile.read(file)
            } catch let error as ConfigurationError {
                // Errors are one line, the echoed input cut.
                if error.description.contains("\n") || error.description.count > 600 {
                    failures += 1
                    if failures <= 5 { XCTFail("round \(round): error not one short line: \(error.description.prefix(300))") }
                }
            } catch {
                failures += 1
                if failures <= 5 { XCTFail("round \(round): untyped error \(type(of: error)): \(error) for \(text.prefix(200))") }
            }
        }
    }

    func testAliasesAreMeasuredWithoutExpanding() throws {
        // 12 levels of 12 aliases: 12^12 ≈ 8.9 × 10^12 values, refused after reading 12 lines.
        var text = "a0: &a0 [1]\n"
        for level in 1...12 { text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 12).joined(separator: ",") + "]\n" }
        XCTAssertThrowsError(try YAMLReader.parse(text)) { error in
            guard let error = error as? ConfigurationReadError, error.reason.contains("aliases expand to more than") else { return XCTFail("\(error)") }
            XCTAssertLessThanOrEqual(error.line, 6, "refused as soon as the count passes the limit")
        }
        // The count is exact: the mapping, 2 keys, [1, 2] (3 nodes) and [*x, *x] (1 + 3 + 3).
        XCTAssertNoThrow(try YAMLReader.parse("a: &x [1, 2]\nb: [*x, *x]\n", maximumNodes: 13))
        XCTAssertThrowsError(try YAMLReader.parse("a: &x [1, 2]\nb: [*x, *x]\n", maximumNodes: 12))
    }

    // MARK: checkpoints

    /// A real checkpoint: a 4-3 linear classifier trained 2 epochs on 12 rows, with the guard and a plateau controller.
    private func checkpoint() throws -> (json: Any, data: Dataset, configuration: TrainingConfiguration) {
        let features = try Tensor(shape: [12, 4], scalars: (0..<48).map { Float(($0 * 7) % 11) / 11 })
        let data = try Dataset(features: features, targets: .classes((0..<12).map { $0 % 3 }, names: ["a", "b", "c"]))
        var configuration = TrainingConfiguration(epochs: 2, batchSize: 5, seed: 1)
        configuration.earlyStoppingPatience = 3
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 3, using: &generator)])
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        optimizer.controllers.append(try ReduceOnPlateau(patience: 1))
        var saved: Data?
        _ = try Trainer(configuration: configuration).run(model, optimizer: &optimizer, training: data, validation: data,
                                                         saveCheckpoint: { saved = try $0.encoded() })
        // Without its checksum (as an older descent wrote it): each changed number must meet its range check, not the checksum.
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: try XCTUnwrap(saved)) as? [String: Any])
        XCTAssertNotNil(object.removeValue(forKey: ContentChecksum.key))
        return (object, data, configuration)
    }

    /// The paths of every number in `value` (tensor bytes are strings and left alone).
    private func numericPaths(_ value: Any, _ path: [Any] = []) -> [[Any]] {
        if let object = value as? [String: Any] { return object.keys.sorted().flatMap { numericPaths(object[$0]!, path + [$0]) } }
        if let array = value as? [Any] { return array.indices.flatMap { numericPaths(array[$0], path + [$0]) } }
        // (Booleans are numbers here too: a number where a boolean belongs is as hostile.)
        if value is NSNumber { return [path] }
        return []
    }

    private func replacing(_ value: Any, at path: ArraySlice<Any>, with new: Any) -> Any {
        guard let first = path.first else { return new }
        if var object = value as? [String: Any], let key = first as? String, let inner = object[key] {
            object[key] = replacing(inner, at: path.dropFirst(), with: new)
            return object
        }
        if var array = value as? [Any], let index = first as? Int, array.indices.contains(index) {
            array[index] = replacing(array[index], at: path.dropFirst(), with: new)
            return array
        }
        return value
    }

    func testCheckpointNumbersAtTheirEdges() throws {
        let (json, data, configuration) = try checkpoint()
        let paths = numericPaths(json)
        XCTAssertGreaterThan(paths.count, 20, "the checkpoint's numbers were found")
        let edges: [Any] = [-1, 0, 1, Int.min, Int.max, Int(Int32.max) + 1, -(1 << 53), 1e308, -1e308, 0.5, 1e-320, "nan", "inf", "-inf"]
        var random = SeededMutator(seed: SeededMutator.runSeed ^ 12)
        var failures = 0
        // Every field at two edges chosen by the seed; more with DESCENT_FUZZ_ROUNDS.
        for round in 0..<(paths.count * SeededMutator.rounds(2)) {
            let path = paths[round % paths.count]
            let edge = edges[random.below(edges.count)]
            let mutated = replacing(json, at: path[...], with: edge)
            let bytes = try JSONSerialization.data(withJSONObject: mutated)
            if let trace { _ = FileManager.default.createFile(atPath: trace, contents: bytes) }
            do {
                let checkpoint = try TrainingCheckpoint<Adam>.decode(bytes, source: "fuzz.json", optimizer: "Adam")
                var longer = configuration
                longer.epochs = 3
                var generator = SeededGenerator(seed: 0)
                let model = Sequential([try Linear(4, 3, using: &generator)])
                var optimizer = try Optimizer(Adam(), learningRate: 0.01)
                optimizer.controllers.append(try ReduceOnPlateau(patience: 1))
                _ = try Trainer(configuration: longer).run(model, optimizer: &optimizer, training: data, validation: data,
                                                         resumingFrom: checkpoint)
            } catch is TrainingError {
                continue
            } catch {
                failures += 1
                if failures <= 5 { XCTFail("\(path) = \(edge): untyped error \(type(of: error)): \(error)") }
            }
        }
    }

    // MARK: study rows

    func testStudyRows() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-fuzz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let space = try SearchSpace(parsing: "learning_rate=loguniform(1e-4,1); batch_size=choice(16,32); hidden=int(2,64)")
        let columns: [(table: String, column: String)] = [
            ("descent_studies", "name"), ("descent_studies", "direction"), ("descent_studies", "configuration"), ("descent_studies", "id"),
            ("descent_trials", "number"), ("descent_trials", "state"), ("descent_trials", "value"), ("descent_trials", "parameters"),
            ("descent_trials", "worker"), ("descent_trials", "started"), ("descent_trials", "finished"), ("descent_trials", "message"),
            ("descent_trials", "id"), ("descent_intermediate", "step"), ("descent_intermediate", "value"), ("descent_intermediate", "trial_id"),
        ]
        let values: [SQLiteValue] = [
            .null, .text("abc"), .text(""), .text("1e308"), .text("nan"), .integer(.min), .integer(.max), .integer(-1), .integer(0),
            .real(1e308), .real(-1e308), .real(.nan), .real(0.5), .blob([0, 255, 0xC3]),
            .text("{\"batch_size\":1e300,\"hidden\":99999999999999999999999,\"learning_rate\":\"x\"}"),
            .text("{\"batch_size\":"), .text("[1,2]"), .text(String(repeating: "x", count: 100_000)), .text("running"), .text("complete"),
            .text("pruned"), .text("maximize"),
        ]
        var random = SeededMutator(seed: SeededMutator.runSeed ^ 13)
        var failures = 0
        for round in 0..<SeededMutator.rounds(40) {
            let file = directory.appendingPathComponent("round\(round).sqlite").path
            let storage = try SQLiteStudyStorage(path: file)
            let study = try Study(name: "s", space: space, configuration: "fuzz", storage: storage, sampler: RandomSampler(seed: 1),
                                  pruner: MedianPruner())
            try study.optimize(trials: 3) { trial in
                try trial.report(step: 1, value: 0.5)
                return trial.parameters["learning_rate"]?.number ?? 1
            }
            // Change one to three cells as another program (or a hand) would.
            do {
                let connection = try SQLiteConnection(path: file, busyTimeout: 5)
                for _ in 0...random.below(3) {
                    let (table, column) = columns[random.below(columns.count)]
                    let value = values[random.below(values.count)]
                    _ = try? connection.transaction(.immediate) { db in try db.run("UPDATE \(table) SET \(column) = ?", [value]) }
                }
            }
            do {
                let reopened = try SQLiteStudyStorage(path: file)
                for record in try reopened.allStudies() {
                    let trials = try reopened.trials(studyID: record.id)
                    _ = StudyExport.json(study: record, trials: trials)
                    _ = StudyExport.csv(trials: trials, parameterNames: ["batch_size", "hidden", "learning_rate"])
                    _ = trials.map { space.normalized($0.parameters) }
                    let again = try Study(name: record.name, space: space, configuration: record.configuration, storage: reopened,
                                          sampler: TPESampler(seed: 2),
                                          pruner: round % 2 == 0 ? MedianPruner(startupTrials: 1) : SuccessiveHalvingPruner())
                    // A row made 'running' by the mutation is another worker's trial: do not wait the usual 30 s for it.
                    again.pollInterval = 0.001
                    again.gracePeriod = 0.01
                    try again.optimize(trials: trials.count + 1) { trial in
                        // The pruners read every trial's steps (the changed ones too).
                        try trial.report(step: 1, value: 0.4)
                        return trial.parameters["learning_rate"]?.number ?? 1
                    }
                }
            } catch is StudyStorageError {
                continue
            } catch {
                failures += 1
                if failures <= 5 { XCTFail("round \(round): untyped error \(type(of: error)): \(error)") }
            }
        }
    }
}
