import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentDistributed
import DescentOptim
import DescentTensor
import DescentTrain
import Dispatch
import Foundation

/// `descent bench train --workload NAME`: seconds per training epoch of a fixed workload
/// (`TrainingWorkload`), measured with the library's own training loop (`Trainer`).
/// `--profile` adds where a step's time goes (`StepTimes`), and the JSON always has `seconds_per_step` by phase.
///
/// One warm-up epoch, then `--epochs` timed epochs; the result is the median epoch. With
/// `--json` the last line is `{"workload": NAME, "seconds_per_epoch": …, "samples_per_second": …, "cpu_seconds_per_epoch": …}`
/// (the median epoch's CPU time, all threads: steadier than wall time on a busy machine).
/// `benchmarks/compare_pytorch.py` runs PyTorch on the same workloads in the same run.
///
/// ```
/// $ descent bench train --workload mlp-digits --json
/// mlp-digits: 1797 samples per epoch, batch 32, 2 threads: median 0.0071 s/epoch (252,000 samples/s)
/// {"workload": "mlp-digits", "seconds_per_epoch": 0.0071, "samples_per_second": 252000}
/// ```
struct BenchTrainCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Seconds per training epoch of a fixed workload (mlp-mnist, mlp-digits, cnn-digits)."
    )

    @Option(help: "The workload: \(TrainingWorkload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workload: String

    @Option(help: "Timed epochs, after one warm-up epoch (the median is reported).")
    var epochs: Int = 5

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: ArgumentHelp("Print where a step's time goes (batch, forward and backward, all-reduce, optimizer, …) in milliseconds.",
                             discussion: "Under mpirun a barrier before each all-reduce tells the wait for the slower process from the transfer (one more collective per step); ranks other than 0 print their phases on standard error."))
    var profile = false

    @Flag(help: "Print the result as JSON on the last line.")
    var json = false

    package func validate() throws {
        guard TrainingWorkload(rawValue: workload) != nil else {
            throw ValidationError("--workload '\(workload)' is not one of \(TrainingWorkload.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...10_000).contains(epochs) else { throw ValidationError("--epochs must be in 1...10000, got \(epochs)") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1...1024, got \(threads)") }
    }

    package func run() async throws {
        let workload = TrainingWorkload(rawValue: workload)!
        // Under mpirun: each process takes the workload's batch of every global batch (weak scaling), and
        // rank 0 reports the job's samples per second and the all-reduces' share of the time.
        let job: DataParallelJob
        do {
            job = try DataParallelJob.start()
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
        if !job.communicator.isPrimary { DataParallelJob.silenceStandardOutput() }
        defer { job.end(after: nil) }
        Parallel.threadCount = threads ?? job.launch.threadsPerProcess()
        let data = try workload.makeDataset(seed: 1)
        let model = try workload.makeModel(seed: 0)
        var optimizer = try Optimizer(Adam(), learningRate: 1e-3)
        // The run as a specification (one warm-up epoch more than measured): its trainer's settings, as train builds them.
        var trainer = Trainer(configuration: workload.specification(epochs: epochs + 1).trainingConfiguration,
                              communicator: job.communicator)
        trainer.separatesWaitFromTransfer = profile && job.size > 1
        var ends: [UInt64] = [DispatchTime.now().uptimeNanoseconds]
        var processorEnds: [Double] = [Self.processorSeconds()]
        let outcome = try trainer.run(model, optimizer: &optimizer, training: data, observe: { event in
            if case .epochEnded = event {
                ends.append(DispatchTime.now().uptimeNanoseconds)
                processorEnds.append(Self.processorSeconds())
            }
        })
        let wallSeconds: Double = Double(ends[ends.count - 1] - ends[0]) / 1e9
        let communicationShare: Double = outcome.communicationSeconds / wallSeconds
        // Epoch i took ends[i] - ends[i - 1]; the first (warm-up) is left out.
        let times: [Double] = (2..<ends.count).map { (epoch: Int) -> Double in Double(ends[epoch] - ends[epoch - 1]) / 1e9 }.sorted()
        let processorTimes: [Double] = (2..<processorEnds.count).map { (epoch: Int) -> Double in processorEnds[epoch] - processorEnds[epoch - 1] }
            .sorted()
        let median = times[times.count / 2]
        let rate = Double(data.count) / median
        // Built in steps: one long `+` chain of interpolations took the type checker 2.5 s (a release build's critical path).
        let processorMedian: Double = processorTimes[processorTimes.count / 2]
        var line = "\(workload.rawValue): \(data.count) samples per epoch, "
        if job.size > 1 { line += "\(job.size) processes × " }
        line += "batch \(workload.batchSize), \(Parallel.threadCount) threads: "
        line += "median \(String(format: "%.4f", median)) s/epoch (min \(String(format: "%.4f", times[0])) s, "
        line += "CPU \(String(format: "%.4f", processorMedian)) s), \(Int(rate.rounded())) samples/s"
        print(line)
        let stepTimes = outcome.stepTimes
        if profile {
            // Per step, over every epoch (the warm-up included), in milliseconds.
            let phases: [String] = stepTimes.phases.map { (phase) -> String in
                "\(phase.name) \(String(format: "%.3f", 1000 * stepTimes.perStep(phase.seconds)))"
            }
            var profileLine = "per step (ms, \(stepTimes.steps) steps"
            if let reduction = outcome.gradientReduction { profileLine += ", \(reduction.rawValue)" }
            profileLine += "): " + phases.joined(separator: ", ")
            profileLine += ", measured \(String(format: "%.3f", 1000 * stepTimes.perStep(stepTimes.total)))"
            profileLine += "; outside the phases: between them \(String(format: "%.3f", 1000 * stepTimes.perStep(stepTimes.betweenPhases)))"
            profileLine += ", epochs' work \(String(format: "%.3f", 1000 * stepTimes.perStep(stepTimes.epochWork)))"
            if job.communicator.isPrimary {
                print(profileLine)
            } else {
                // The other ranks' phases on standard error (their standard output is silenced): whose wait is longer
                // tells which process the others wait for.
                FileHandle.standardError.write(Data("rank \(job.communicator.rank) \(profileLine)\n".utf8))
            }
        }
        if json {
            let phases: String = stepTimes.phases.map { (phase) -> String in "\"\(phase.name)\": \(stepTimes.perStep(phase.seconds))" }
                .joined(separator: ", ")
            let share: Double = communicationShare.isFinite ? communicationShare : 0
            var object = "{\"workload\": \"\(workload.rawValue)\", \"seconds_per_epoch\": \(median), \"samples_per_second\": \(rate), "
            object += "\"cpu_seconds_per_epoch\": \(processorMedian), \"world_size\": \(job.size), "
            object += "\"threads\": \(Parallel.threadCount), "
            if job.size > 1 { object += "\"mpi_wait\": \"\(MPICommunicator.waitPolicy.rawValue)\", " }
            if let reduction = outcome.gradientReduction { object += "\"gradient_reduction\": \"\(reduction.rawValue)\", " }
            object += "\"communication_share\": \(share), "
            object += "\"seconds_per_step\": {\(phases)}}"
            print(object)
        }
    }

    /// CPU seconds used by the whole process so far (all threads): steadier than wall time on a busy machine.
    static func processorSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
