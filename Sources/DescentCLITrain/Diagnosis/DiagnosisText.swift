import DescentDiagnosis
import DescentTrain
import Foundation

/// The diagnosis in words, as `train`, `diagnose`, the demo and the reports print it: the verdict,
/// the evidence as bullets, and the library's structured `Advice` phrased with this tool's commands
/// and flags (`descent range-test`, `--patience`, `--resume --epochs M`).
///
/// Given the command line of the run (`Rerun`), advice that changes a setting prints the command that
/// makes the change and nothing else: `--epochs 20` becomes `--epochs 40` (with `--resume` when the run
/// keeps checkpoints and its schedule does not depend on its length, so it goes on from where it stopped),
/// `--learning-rate 0.39` becomes `--learning-rate 3.90e-02`.
package enum DiagnosisText {
    /// The run the advice is about: its arguments (as `CommandLine.arguments`) and whether it kept checkpoints.
    package struct Rerun {
        var arguments: [String]
        var checkpointed: Bool

        package init(arguments: [String], checkpointed: Bool) {
            self.arguments = arguments
            self.checkpointed = checkpointed
        }
    }

    package static func lines(_ diagnosis: Diagnosis, rerun: Rerun? = nil) -> [String] {
        ["Diagnosis: \(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence)"]
            + diagnosis.evidence.map { "  - \($0)" }
            + ["Advice: \(advice(diagnosis, rerun: rerun))"]
    }

    /// The advice with the rate it names (`diagnosis.learningRate`) and, given the run's command, the command that follows it;
    /// for a rate outside what the optimizer normally uses that the verdict shows was trouble, how to find one for it
    /// (`unusualRateAdvice`); a run that went well at an unusual rate gets the fact in the evidence only.
    package static func advice(_ diagnosis: Diagnosis, rerun: Rerun? = nil) -> String {
        adviceForVerdict(diagnosis, rerun: rerun)
            + (diagnosis.unusualLearningRate.flatMap { $0.matchesVerdict ? "; " + unusualRateAdvice($0) : nil } ?? "")
    }

    /// "0.3 is unusual for adamw: if it came from `descent range-test --optimizer sgd`, run the range test for adamw
    /// (`descent range-test --optimizer adamw`) or leave --learning-rate out (auto chooses one for adamw)".
    static func unusualRateAdvice(_ unusual: UnusualLearningRate) -> String {
        let rate = String(format: "%.3g", unusual.learningRate)
        let other: String? = switch unusual.likelyFamily {
        case .momentumSGD?: "--optimizer sgd"
        case .adaptive?: "--optimizer adam or adamw"
        default: nil
        }
        return "\(rate) is unusual for \(unusual.optimizer)"
            + (other.map { ": if it came from `descent range-test \($0)`, run the range test for \(unusual.optimizer) (`descent range-test --optimizer \(unusual.optimizer)`) or" } ?? ": to check it, run `descent range-test --optimizer \(unusual.optimizer)` or")
            + " leave --learning-rate out (auto chooses one for \(unusual.optimizer))"
    }

    private static func adviceForVerdict(_ diagnosis: Diagnosis, rerun: Rerun?) -> String {
        let rate = diagnosis.learningRate.map(Advice.rate)
        switch diagnosis.advice {
        case .lowerLearningRate(let factor, let keepGuard):
            guard let rate else { return advice(diagnosis.advice) }
            return "lower the learning rate ~\(Advice.times(factor))× to \(rate)" + (keepGuard ? " and keep the divergence guard on" : "")
                + command(rerun, ["--learning-rate": rate], dropping: keepGuard ? ["--no-guard"] : [])
        case .raiseLearningRate(let factor?, let orTrainLonger):
            guard let rate else { return advice(diagnosis.advice) }
            return "raise the learning rate ~\(Advice.times(factor))× to \(rate)" + command(rerun, ["--learning-rate": rate])
                + (orTrainLonger ? ", or train for more epochs" : "")
        case .useGuardRate(let settled, let from, let rollbacks):
            return "train at \(Advice.rate(settled)), the rate the divergence guard settled on after \(rollbacks) rollback"
                + (rollbacks == 1 ? "" : "s") + " (instead of \(Advice.rate(from)))" + command(rerun, ["--learning-rate": Advice.rate(settled)])
        case .lowerWeightDecay(let to, let from, let limit, let rate):
            return "lower --weight-decay from \(Advice.decay(from)) to \(Advice.decay(to)) or less (the learning rate \(Advice.rate(rate)) is ordinary; "
                + "at it a weight decay above \(Advice.decay(limit)) makes the weights oscillate and grow by itself)"
                + command(rerun, ["--weight-decay": Advice.decay(to)])
        case .continueTraining(let add, let total, let sameSchedule, let raise):
            var text = "train \(add) more epoch\(add == 1 ? "" : "s") (\(total) in all)"
            if sameSchedule, rerun?.checkpointed == true {
                text += ", going on from this run's last checkpoint" + command(rerun, ["--epochs": "\(total)"], adding: ["--resume"])
            } else if sameSchedule {
                text += command(rerun, ["--epochs": "\(total)"], dropping: ["--resume"])
                    + " (with --checkpoint-dir DIR, a run can later go on with --resume --epochs M)"
            } else {
                text += ", the schedule stretched over them" + command(rerun, ["--epochs": "\(total)"], dropping: ["--resume"])
            }
            if let raise {
                text += ", or raise the learning rate ~\(Advice.times(raise))×" + (rate.map { " to \($0)" } ?? "")
            }
            return text
        default:
            return advice(diagnosis.advice)
        }
    }

    /// The advice as the CLI says it without the run's settings: `.stopEarly(atEpoch: 8, patience: 5)` →
    /// "stop at epoch 8 (use --patience 5), and add weight decay, a smaller model or more data".
    static func advice(_ advice: Advice) -> String {
        switch advice {
        case .lowerLearningRate(let factor, let keepGuard):
            return "lower the learning rate ~\(Advice.times(factor))×"
                + (keepGuard ? " and keep the divergence guard on"
                    : factor >= 10 ? " (or run `descent range-test` to find one)"
                    : " (or run `descent range-test` and take its suggestion)")
        case .raiseLearningRate(let factor?, let orTrainLonger):
            return "raise the learning rate ~\(Advice.times(factor))× (or run `descent range-test`)"
                + (orTrainLonger ? ", or train for more epochs" : "")
        case .raiseLearningRate(nil, let orTrainLonger):
            return "raise the learning rate by orders of magnitude (or run `descent range-test` to find one)"
                + (orTrainLonger ? ", or train for more epochs" : "")
        case .stopEarly(let epoch, let patience):
            return "stop at epoch \(epoch) (use --patience \(patience)), and add weight decay, a smaller model or more data"
        case .continueTraining(let add, let total, let sameSchedule, let raise):
            return "train \(add) more epoch\(add == 1 ? "" : "s") (--epochs \(total)"
                + (sameSchedule ? "; with --checkpoint-dir, --resume --epochs \(total) goes on from where it stopped)" : ")")
                + (raise.map { ", or raise the learning rate ~\(Advice.times($0))×" } ?? "")
        case .lowerWeightDecay(let to, let from, let limit, _):
            return "lower --weight-decay from \(Advice.decay(from)) to \(Advice.decay(to)) or less (above \(Advice.decay(limit)) the decay alone "
                + "makes the weights oscillate and grow at this rate)"
        case .regularise, .enlargeModel, .keepSettings, .useGuardRate:
            return advice.description
        case .trainLonger(let epochs):
            return "train for more epochs (at least \(epochs)) to get a reading of the curves"
        }
    }

    /// ": `descent train … --epochs 40 --resume`": the run's command with `replacing` set (added when absent),
    /// `adding` flags added and `dropping` flags removed; "" without a command.
    static func command(_ rerun: Rerun?, _ replacing: [String: String], adding: [String] = [], dropping: [String] = []) -> String {
        guard let rerun else { return "" }
        return ": `" + TrainReport.commandLine(edited(rerun.arguments, replacing, adding: adding, dropping: dropping)) + "`"
    }

    /// `arguments` with each option in `replacing` given its new value (`--epochs 20` and `--epochs=20` alike;
    /// appended when absent), the flags in `dropping` removed and those in `adding` appended when absent.
    package static func edited(_ arguments: [String], _ replacing: [String: String], adding: [String] = [], dropping: [String] = []) -> [String] {
        var result: [String] = []
        var replaced = Set<String>()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if dropping.contains(argument) { index += 1; continue }
            if let value = replacing[argument] {
                result += [argument, value]
                replaced.insert(argument)
                index += 2
                continue
            }
            if let equals = argument.firstIndex(of: "="), let value = replacing[String(argument[..<equals])] {
                let name = String(argument[..<equals])
                result.append("\(name)=\(value)")
                replaced.insert(name)
                index += 1
                continue
            }
            result.append(argument)
            index += 1
        }
        for (name, value) in replacing.sorted(by: { $0.key < $1.key }) where !replaced.contains(name) { result += [name, value] }
        for flag in adding where !result.contains(flag) { result.append(flag) }
        return result
    }
}
