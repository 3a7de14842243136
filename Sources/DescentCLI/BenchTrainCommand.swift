import ArgumentParser
import Descent
import Dispatch
import Foundation

/// `descent bench train --workload NAME`: seconds per training epoch of a fixed workload
/// (`TrainingWorkload`), measured with the library's own training loop (`Trainer`).
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
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Seconds per training epoch of a fixed workload (mlp-mnist, mlp-digits, cnn-digits)."
    )

    @Option(help: "The workload: \(TrainingWorkload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workload: String

    @Option(help: "Timed epochs, after one warm-up epoch (the median is reported).")
    var epochs: Int = 5

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print the result as JSON on the last line.")
    var json = false

    func validate() throws {
        guard TrainingWorkload(rawValue: workload) != nil else {
            throw ValidationError("--workload '\(workload)' is not one of \(TrainingWorkload.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...10_000).contains(epochs) else { throw ValidationError("--epochs must be in 1...10000, got \(epochs)") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1...1024, got \(threads)") }
    }

    func run() async throws {
        let workload = TrainingWorkload(rawValue: workload)!
        if let threads { Parallel.threadCount = threads }
        let data = try workload.makeDataset(seed: 1)
        let model = try workload.makeModel(seed: 0)
        // The run as a specification (one warm-up epoch more than measured): its trainer and its optimizer, as train builds them.
        let spec = workload.specification(epochs: epochs + 1)
        let (ends, processorEnds) = try spec.optimizer.withRule(Timed(spec: spec, model: model, data: data), momentum: spec.momentum)
        // Epoch i took ends[i] - ends[i - 1]; the first (warm-up) is left out.
        let times = (2..<ends.count).map { Double(ends[$0] - ends[$0 - 1]) / 1e9 }.sorted()
        let processorTimes = (2..<processorEnds.count).map { processorEnds[$0] - processorEnds[$0 - 1] }.sorted()
        let median = times[times.count / 2]
        let rate = Double(data.count) / median
        print("\(workload.rawValue): \(data.count) samples per epoch, batch \(workload.batchSize), \(Parallel.threadCount) threads: "
              + "median \(String(format: "%.4f", median)) s/epoch (min \(String(format: "%.4f", times[0])) s, "
              + "CPU \(String(format: "%.4f", processorTimes[processorTimes.count / 2])) s), \(Int(rate.rounded())) samples/s")
        if json {
            print("{\"workload\": \"\(workload.rawValue)\", \"seconds_per_epoch\": \(median), \"samples_per_second\": \(rate), "
                  + "\"cpu_seconds_per_epoch\": \(processorTimes[processorTimes.count / 2])}")
        }
    }

    /// The run of a workload timed epoch by epoch: the wall-clock and CPU readings at the start and at each epoch's end.
    private struct Timed: OptimizerRuleTask {
        let spec: RunSpecification, model: Sequential, data: Dataset
        func run<Rule: OptimizerRule>(_ rule: Rule) throws -> ([UInt64], [Double]) {
            var optimizer = try Optimizer(rule, learningRate: spec.learningRate.value ?? 1e-3, weightDecay: spec.weightDecay)
            var ends: [UInt64] = [DispatchTime.now().uptimeNanoseconds]
            var processorEnds: [Double] = [BenchTrainCommand.processorSeconds()]
            _ = try Trainer(configuration: spec.trainingConfiguration).fit(model, optimizer: &optimizer, training: data) { event in
                if case .epochEnded = event {
                    ends.append(DispatchTime.now().uptimeNanoseconds)
                    processorEnds.append(BenchTrainCommand.processorSeconds())
                }
            }
            return (ends, processorEnds)
        }
    }

    /// CPU seconds used by the whole process so far (all threads): steadier than wall time on a busy machine.
    static func processorSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
