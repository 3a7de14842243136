import DescentCLIShared
import DescentCLITrain
import DescentOptim
import DescentTrain
import Foundation

/// The `descent train` command that follows a range test: the same data and model flags as given, the
/// range-test-only ones left out, the optimizer the test swept named explicitly (`--optimizer`, and
/// `--momentum` for SGD) and the valley as `--learning-rate`. A rate is only good for the family it was
/// found with — SGD's are 10–100× the Adam family's — so the command never leaves the optimizer to
/// train's default (adamw).
///
/// ```
/// $ descent range-test --dataset digits --optimizer sgd --repeats 1 --ceiling
/// …
/// Next (the valley, with the optimizer this test swept: its rates suit sgd; the Adam family takes rates 10–100× lower):
///   descent train --dataset digits --learning-rate 2.29e-02 --momentum 0.9 --optimizer sgd
/// ```
extension RangeTestCommand {
    /// Options of the sweep alone (each with a value), left out of the train command.
    static let sweepOptions: Set<String> = ["--start", "--end", "--iterations", "--repeats", "--report", "--save-config"]
    /// Flags of the sweep alone.
    static let sweepFlags: Set<String> = ["--ceiling", "--noise-scale", "--json"]

    /// `arguments` (a `descent range-test …` command line) as the `descent train …` that trains at `rate` with the
    /// optimizer swept: the sweep's own options dropped, `--optimizer` (and SGD's `--momentum`) and `--learning-rate` set.
    static func trainArguments(_ arguments: [String], optimizer: OptimizerChoice, momentum: Double, rate: Double) -> [String] {
        var kept = Array(arguments.prefix(1)) + ["train"]
        var index = 2
        while index < arguments.count {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if sweepOptions.contains(argument) { index += 2; continue }
            if sweepOptions.contains(name) || sweepFlags.contains(argument) { index += 1; continue }
            kept.append(argument)
            index += 1
        }
        var settings = ["--optimizer": optimizer.rawValue, "--learning-rate": Self.rate(rate)]
        if optimizer == .sgd { settings["--momentum"] = "\(momentum)" }
        return DiagnosisText.edited(kept, settings)
    }

    /// The train command at the valley (nil when the test suggests nothing), as one line.
    func nextCommand(_ repeated: RepeatedRangeTestResult) -> String? {
        guard let valley = repeated.medians?.valley, valley.isFinite, valley > 0 else { return nil }
        return TrainReport.commandLine(Self.trainArguments(CommandLine.arguments, optimizer: optimizer, momentum: momentum, rate: valley))
    }

    /// The lines that introduce the next command: which optimizer its rate is for, and that train can choose one itself.
    func nextLines(_ repeated: RepeatedRangeTestResult) -> [String] {
        guard let command = nextCommand(repeated) else { return [] }
        let family = optimizer.family == .momentumSGD
            ? "its rates suit \(optimizer.rawValue); the Adam family takes rates 10–100× lower"
            : "its rates suit \(optimizer.rawValue); SGD with momentum takes rates 10–100× higher"
        return ["Next (the valley, with the optimizer this test swept: \(family)):", "  \(command)",
                "  (without --learning-rate, train chooses the rate itself for its optimizer: a range test, then a race on validation loss)"]
    }
}
