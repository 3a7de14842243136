import Descent
import Foundation
import XCTest

/// `mpirun -np N descent train …` end to end: N processes with batch B follow one process with
/// batch N·B, and a job that loses a rank stops, names it, and resumes from its last checkpoint.
///
/// These tests need Open MPI's `mpirun` (Debian: `apt-get install openmpi-bin libopenmpi-dev`);
/// without it they are skipped with a message saying so. They run `mpirun --oversubscribe` (more
/// processes than cores), as root when the tests do (`OMPI_ALLOW_RUN_AS_ROOT=1`), with one thread
/// per process and the shared-memory transport's single-copy mechanism off (containers forbid the
/// cross-memory attach it uses).
final class MPITrainTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-mpi-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Open MPI's launcher, or a skip that says what is missing.
    private func mpirun() throws -> String {
        let candidates = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/mpirun" }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("MPI tests skipped: Open MPI's mpirun is not installed (apt-get install openmpi-bin libopenmpi-dev)")
        }
        guard ["/usr/lib/x86_64-linux-gnu/libmpi.so.40", "/usr/lib/aarch64-linux-gnu/libmpi.so.40", "/usr/lib64/openmpi/lib/libmpi.so.40"]
            .contains(where: FileManager.default.fileExists) || ProcessInfo.processInfo.environment["LD_LIBRARY_PATH"] != nil else {
            throw XCTSkip("MPI tests skipped: mpirun is there but Open MPI's libmpi.so.40 is not (apt-get install libopenmpi-dev)")
        }
        return found
    }

    private func launch(_ processes: Int, _ arguments: [String], environment extra: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try mpirun())
        process.arguments = ["--oversubscribe", "-np", "\(processes)", "--mca", "btl_vader_single_copy_mechanism", "none"]
            + extra.keys.sorted().flatMap { ["-x", $0] } + [CommandLineRunner.executable.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        process.environment = environment
        return process
    }

    /// Runs `mpirun -np processes descent …` to the end and returns its status, output and errors.
    private func run(_ processes: Int, _ arguments: [String], environment: [String: String] = [:]) throws -> CommandLineRunner.Result {
        let process = try launch(processes, arguments, environment: environment)
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        nonisolated(unsafe) var errorData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errorData = error.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CommandLineRunner.Result(status: process.terminationStatus,
                                        standardOutput: String(decoding: outputData, as: UTF8.self),
                                        standardError: String(decoding: errorData, as: UTF8.self))
    }

    private func summary(_ output: String) throws -> [String: Any] {
        let line = try XCTUnwrap(output.split(separator: "\n").last, output)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
    }

    private func weights(_ file: String) throws -> [String: [Float]] {
        try ModelFile.load(path: file).tensors.mapValues(\.scalars)
    }

    private func assertClose(_ actual: [String: [Float]], _ expected: [String: [Float]], tolerance: Float,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.keys.sorted(), expected.keys.sorted(), file: file, line: line)
        for (name, values) in expected {
            guard let other = actual[name], other.count == values.count else { continue }
            let worst = zip(values, other).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, tolerance, "\(name): largest difference \(worst)", file: file, line: line)
        }
    }

    /// SGD on the digits, 2 epochs of 32-example global batches (90 steps, the last batch uneven), at a rate
    /// high enough that the guard rolls back: N processes × batch 32/N must take the same steps, the same
    /// rollbacks and end at the same weights (up to float rounding in the sums) as one process with batch 32.
    /// At rate 1 the guard rolls back twice and the run recovers (weights agree to 1e-6 here); at rate 2 it
    /// keeps diverging, and the rounding of the sums, amplified, moves the weights by 0.14 with the same rollbacks.
    private func assertProcessesFollowOneProcess(_ processes: Int) throws {
        _ = try mpirun()
        func arguments(batch: Int, weights: String) -> [String] {
            ["train", "--dataset", "digits", "--hidden", "16", "--epochs", "2", "--optimizer", "sgd", "--momentum", "0.9",
             "--learning-rate", "1", "--batch-size", "\(batch)", "--scale-rate", "none", "--threads", "1",
             "--save-weights", weights, "--json"]
        }
        let single = try CommandLineRunner.run(arguments(batch: 32, weights: path("one.safetensors")))
        XCTAssertEqual(single.status, 0, single.standardError)
        let parallel = try run(processes, arguments(batch: 32 / processes, weights: path("many.safetensors")))
        XCTAssertEqual(parallel.status, 0, parallel.standardError + parallel.standardOutput)
        let expected = try summary(single.standardOutput), actual = try summary(parallel.standardOutput)
        XCTAssertEqual(actual["world_size"] as? Int, processes)
        XCTAssertEqual(actual["global_batch_size"] as? Int, 32)
        XCTAssertGreaterThan(expected["rollbacks"] as? Int ?? 0, 0, "the rate must be high enough for the guard to act")
        XCTAssertEqual(actual["rollbacks"] as? Int, expected["rollbacks"] as? Int)
        XCTAssertEqual(actual["rate_scale"] as? Double, expected["rate_scale"] as? Double)
        let oneEpochs = try XCTUnwrap(expected["epochs"] as? [[String: Any]]), manyEpochs = try XCTUnwrap(actual["epochs"] as? [[String: Any]])
        XCTAssertEqual(oneEpochs.count, manyEpochs.count)
        for (one, many) in zip(oneEpochs, manyEpochs) {
            XCTAssertEqual(one["learning_rate"] as? Double ?? .nan, many["learning_rate"] as? Double ?? 0, accuracy: 1e-12)
            XCTAssertEqual(one["training_loss"] as? Double ?? .nan, many["training_loss"] as? Double ?? 0, accuracy: 1e-3)
        }
        assertClose(try weights(path("many.safetensors")), try weights(path("one.safetensors")), tolerance: 1e-4)
        // Only rank 0 wrote: one model file, one JSON line.
        XCTAssertEqual(parallel.standardOutput.split(separator: "\n").filter { $0.hasPrefix("{") }.count, 1)
    }

    func testTwoProcessesFollowOneProcessWithTheGlobalBatch() throws { try assertProcessesFollowOneProcess(2) }

    func testFourProcessesFollowOneProcessWithTheGlobalBatch() throws { try assertProcessesFollowOneProcess(4) }

    /// The two ways of summing gradients on one machine agree: through the MPI-3 shared window (the default when
    /// every process is on this machine) and through `MPI_Allreduce` (`DESCENT_MPI_REDUCE=allreduce`, the way across
    /// machines). With 2 processes each element is one float addition either way (a + b = b + a exactly), so the
    /// weights after 2 epochs (90 steps, the last batch 5 rows: shards of 2 and 3) and the rollbacks are identical.
    func testTheSharedWindowAndTheAllReduceGiveTheSameWeights() throws {
        _ = try mpirun()
        func arguments(_ weights: String) -> [String] {
            ["train", "--dataset", "digits", "--hidden", "16", "--epochs", "2", "--optimizer", "sgd", "--momentum", "0.9",
             "--learning-rate", "1", "--batch-size", "16", "--scale-rate", "none", "--threads", "1", "--save-weights", path(weights), "--json"]
        }
        let shared = try run(2, arguments("shared.safetensors"), environment: ["DESCENT_MPI_REDUCE": "shared"])
        XCTAssertEqual(shared.status, 0, shared.standardError)
        let reduced = try run(2, arguments("allreduce.safetensors"), environment: ["DESCENT_MPI_REDUCE": "allreduce"])
        XCTAssertEqual(reduced.status, 0, reduced.standardError)
        let sharedSummary = try summary(shared.standardOutput), reducedSummary = try summary(reduced.standardOutput)
        XCTAssertEqual(sharedSummary["gradient_reduction"] as? String, "shared_window")
        XCTAssertEqual(reducedSummary["gradient_reduction"] as? String, "allreduce")
        XCTAssertEqual(sharedSummary["rollbacks"] as? Int, reducedSummary["rollbacks"] as? Int)
        assertClose(try weights(path("shared.safetensors")), try weights(path("allreduce.safetensors")), tolerance: 0)
        // Where MPI cannot make a shared window (the pt2pt one-sided component has none), the job takes MPI_Allreduce.
        let fallback = try run(2, arguments("fallback.safetensors"), environment: ["OMPI_MCA_osc": "pt2pt"])
        XCTAssertEqual(fallback.status, 0, fallback.standardError)
        XCTAssertEqual(try summary(fallback.standardOutput)["gradient_reduction"] as? String, "allreduce")
        assertClose(try weights(path("fallback.safetensors")), try weights(path("allreduce.safetensors")), tolerance: 0)
    }

    /// An uneven last batch smaller than the processes, through the shared window: the digits' 1,797 rows in global
    /// batches of 4 × 449 = 1,796 leave a last batch of 1 row, so 3 of the 4 processes contribute empty shards
    /// (zero gradients, weight 0). Every epoch's two steps must match one process with batch 1,796 (its last batch
    /// the same single row), and the MPI_Allreduce path (which adds the 4 parts in another order: float rounding).
    func testAnUnevenLastBatchThroughTheSharedWindowFollowsOneProcess() throws {
        _ = try mpirun()
        func arguments(batch: Int, weights: String) -> [String] {
            ["train", "--dataset", "digits", "--hidden", "16", "--epochs", "6", "--optimizer", "adam", "--learning-rate", "0.01",
             "--batch-size", "\(batch)", "--scale-rate", "none", "--threads", "1", "--save-weights", path(weights), "--json"]
        }
        let single = try CommandLineRunner.run(arguments(batch: 1796, weights: "one.safetensors"))
        XCTAssertEqual(single.status, 0, single.standardError)
        let shared = try run(4, arguments(batch: 449, weights: "shared.safetensors"), environment: ["DESCENT_MPI_REDUCE": "shared"])
        XCTAssertEqual(shared.status, 0, shared.standardError + shared.standardOutput)
        let reduced = try run(4, arguments(batch: 449, weights: "allreduce.safetensors"), environment: ["DESCENT_MPI_REDUCE": "allreduce"])
        XCTAssertEqual(reduced.status, 0, reduced.standardError + reduced.standardOutput)
        let sharedSummary = try summary(shared.standardOutput)
        XCTAssertEqual(sharedSummary["gradient_reduction"] as? String, "shared_window")
        XCTAssertEqual(sharedSummary["global_batch_size"] as? Int, 1796)
        let oneEpochs = try XCTUnwrap(try summary(single.standardOutput)["epochs"] as? [[String: Any]])
        let manyEpochs = try XCTUnwrap(sharedSummary["epochs"] as? [[String: Any]])
        XCTAssertEqual(oneEpochs.count, manyEpochs.count)
        for (one, many) in zip(oneEpochs, manyEpochs) {
            XCTAssertEqual(one["training_loss"] as? Double ?? .nan, many["training_loss"] as? Double ?? 0, accuracy: 1e-4)
        }
        assertClose(try weights(path("shared.safetensors")), try weights(path("one.safetensors")), tolerance: 1e-4)
        assertClose(try weights(path("shared.safetensors")), try weights(path("allreduce.safetensors")), tolerance: 1e-5)
    }

    /// The rate follows the global batch: SGD linear, with Goyal's warmup added, said in words and in the JSON.
    func testTheRateIsScaledAndWarmedUp() throws {
        let result = try run(2, ["train", "--dataset", "iris", "--hidden", "8", "--epochs", "10", "--optimizer", "sgd",
                                 "--learning-rate", "0.05", "--batch-size", "8", "--threads", "1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("2 processes × batch 8 = 16: rate 0.05 → 0.1 (linear)"), result.standardOutput)
        let adam = try run(2, ["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2", "--optimizer", "adam",
                               "--learning-rate", "0.01", "--batch-size", "8", "--threads", "1", "--json"])
        let scaling = try XCTUnwrap(try summary(adam.standardOutput)["rate_scaling"] as? [String: Any])
        XCTAssertEqual(scaling["rule"] as? String, "sqrt")
        XCTAssertEqual(scaling["learning_rate"] as? Double ?? 0, 0.01 * 2.0.squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(scaling["warmup_steps"] is NSNull, "√2 < 2: no warmup")
        let four = try run(4, ["train", "--dataset", "iris", "--hidden", "8", "--epochs", "10", "--optimizer", "sgd",
                               "--learning-rate", "0.05", "--batch-size", "4", "--threads", "1"])
        XCTAssertTrue(four.standardOutput.contains("4 processes × batch 4 = 16: rate 0.05 → 0.2 (linear), warmup 2 epochs added"),
                      four.standardOutput)
    }

    /// The pid of the process of `rank` that `mpirun` (pid `parent`) started, from /proc.
    private func pid(ofRank rank: Int, under parent: Int32) -> Int32? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        for entry in entries {
            guard let pid = Int32(entry), let status = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8) else { continue }
            let fields = status.split(separator: ")").last?.split(separator: " ") ?? []
            guard fields.count > 2, Int32(fields[1]) == parent,
                  let environment = FileManager.default.contents(atPath: "/proc/\(entry)/environ") else { continue }
            if environment.split(separator: 0).contains(where: { String(decoding: $0, as: UTF8.self) == "OMPI_COMM_WORLD_RANK=\(rank)" }) {
                return pid
            }
        }
        return nil
    }

    /// Rank 1 killed with SIGKILL after the first checkpoint: the job ends with a message naming rank 1, the
    /// checkpoint is whole, and `--resume` ends with the weights of the job left alone.
    func testAJobThatLosesARankStopsNamingItAndResumes() throws {
        _ = try mpirun()
        func arguments(_ name: String) -> [String] {
            ["train", "--dataset", "digits", "--hidden", "16", "--epochs", "12", "--optimizer", "adam", "--learning-rate", "0.01",
             "--batch-size", "16", "--threads", "1", "--checkpoint-dir", path(name), "--save-weights", path(name + ".safetensors"), "--json"]
        }
        let reference = try run(2, arguments("reference"))
        XCTAssertEqual(reference.status, 0, reference.standardError)

        let process = try launch(2, arguments("killed"))
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let checkpoint = path("killed") + "/checkpoint.json"
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint) && process.isRunning && Date() < deadline { usleep(2_000) }
        usleep(100_000)
        var killed = false
        if let victim = pid(ofRank: 1, under: process.processIdentifier) { killed = kill(victim, SIGKILL) == 0 }
        let errors = String(decoding: error.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            + String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if killed && process.terminationStatus != 0 {
            XCTAssertTrue(errors.contains("rank 1"), errors)
            // The checkpoint is whole: it decodes, and the resume goes on from it.
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: checkpoint))))
        }
        let resumed = try run(2, arguments("killed") + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        XCTAssertEqual(try summary(resumed.standardOutput)["status"] as? String, "completed")
        assertClose(try weights(path("killed.safetensors")), try weights(path("reference.safetensors")), tolerance: 0)
    }

    /// SIGTERM to one rank (as a scheduler sends it): the request travels with the step's sums, every rank
    /// stops after the same step, rank 0 saves a checkpoint in the middle of the epoch, and the resumed job
    /// ends at the weights of the job left alone.
    func testAStopRequestOnOneRankStopsEveryRankAtTheSameStep() throws {
        _ = try mpirun()
        func arguments(_ name: String) -> [String] {
            ["train", "--dataset", "digits", "--hidden", "16", "--epochs", "12", "--optimizer", "adam", "--learning-rate", "0.01",
             "--batch-size", "16", "--threads", "1", "--checkpoint-dir", path(name), "--save-weights", path(name + ".safetensors"), "--json"]
        }
        let reference = try run(2, arguments("reference"))
        XCTAssertEqual(reference.status, 0, reference.standardError)
        let process = try launch(2, arguments("stopped"))
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let checkpoint = path("stopped") + "/checkpoint.json"
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: checkpoint) && process.isRunning && Date() < deadline { usleep(2_000) }
        usleep(50_000)
        var signalled = false
        if let victim = pid(ofRank: 1, under: process.processIdentifier) { signalled = kill(victim, SIGTERM) == 0 }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if signalled && process.terminationStatus != 0 {
            XCTAssertEqual(try summary(text)["status"] as? String, "interrupted", text)
        }
        let resumed = try run(2, arguments("stopped") + ["--resume"])
        XCTAssertEqual(resumed.status, 0, resumed.standardError)
        assertClose(try weights(path("stopped.safetensors")), try weights(path("reference.safetensors")), tolerance: 0)
    }

    /// A checkpoint of a 2-process job is refused by a job of another size, naming world_size.
    func testResumingWithAnotherWorldSizeIsRefused() throws {
        _ = try mpirun()
        let arguments = ["train", "--dataset", "iris", "--hidden", "8", "--epochs", "2", "--learning-rate", "0.01", "--batch-size", "8", "--threads", "1",
                         "--checkpoint-dir", path("run")]
        let first = try run(2, arguments)
        XCTAssertEqual(first.status, 0, first.standardError)
        let alone = try CommandLineRunner.run(arguments + ["--epochs", "3", "--resume"])
        XCTAssertNotEqual(alone.status, 0)
        XCTAssertTrue(alone.standardError.contains("world_size"), alone.standardError)
    }
}
