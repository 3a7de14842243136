import ArgumentParser
import DescentCLIShared
import DescentOptim
import DescentTensor
import Dispatch
import Foundation

/// `descent bench adam`: seconds per Adam step over one tensor of many parameters.
///
/// Runs the library's own `Optimizer(Adam())` update (fused C kernel, split across
/// the cores, finite-gradient check included unless `--skip-finite-check`), a few
/// warm-up steps, then reports the median seconds per step. `--json` ends with
/// `{"seconds_per_step": ...}` (the median; the text line also gives the fastest step, the
/// steadier figure on a shared machine). Build with `-c release` for meaningful numbers;
/// `benchmarks/adam.sh` compares with PyTorch's fused Adam in the same run.
struct BenchAdamCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "adam",
        abstract: "Seconds per Adam step over many parameters."
    )

    @Option(help: "Number of parameters (one tensor).")
    var params: Int = 10_000_000

    @Option(help: "Timed steps.")
    var steps: Int = 50

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Skip the check that gradients are finite (PyTorch does not check).")
    var skipFiniteCheck = false

    @Flag(help: "Print the result as JSON on the last line.")
    var json = false

    package func validate() throws {
        guard params > 0 else { throw ValidationError("--params must be positive, got \(params)") }
        guard steps > 0 else { throw ValidationError("--steps must be positive, got \(steps)") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        let needed = Self.estimatedBytes(params: params)
        guard needed <= TrainingSetup.memoryBudget else {
            throw ValidationError("--params \(params) needs about \(String(format: "%.3g", needed / 1_073_741_824)) GiB "
                + "(16 bytes a parameter: the parameter, its gradient and Adam's two moments), more memory than the "
                + "\(String(format: "%.3g", TrainingSetup.memoryBudget / 1_073_741_824)) GiB allowed (half this machine's)")
        }
    }

    /// The bytes the benchmark holds (in Double, so it cannot overflow): four Float32 tensors of
    /// `params` elements. Example: 10⁹ parameters need 1.6e10 bytes ≈ 14.9 GiB.
    static func estimatedBytes(params: Int) -> Double { 16 * Double(params) }

    package func run() async throws {
        try await FailureJSON.run(json: json) { try benchmark() }
    }

    func benchmark() throws {
        if let threads { Parallel.threadCount = threads }
        var generator = SeededGenerator(seed: 42)
        var parameters = ["weight": try Tensor.randomNormal([params], using: &generator)]
        let gradients = ["weight": try Tensor.randomNormal([params], using: &generator)]
        var optimizer = try Optimizer(Adam(), learningRate: 1e-3)
        optimizer.checksFiniteGradients = !skipFiniteCheck
        for _ in 0..<3 { try optimizer.update(&parameters, along: gradients) }
        var times: [Double] = []
        for _ in 0..<steps {
            let start = DispatchTime.now().uptimeNanoseconds
            try optimizer.update(&parameters, along: gradients)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        times.sort()
        let median = times[times.count / 2]
        print("Adam step over \(params) parameters, \(Parallel.threadCount) threads, kernel level "
              + "\(OptimizerKernels.instructionSetDescription): median \(String(format: "%.3f", median * 1000)) ms/step "
              + "(min \(String(format: "%.3f", times[0] * 1000)) ms)")
        if json { print("{\"seconds_per_step\": \(median)}") }
    }
}
