import Descent

/// The diagnosis in words, as `train`, `diagnose`, the demo and the reports print it: the verdict,
/// the evidence as bullets, and the library's structured `Advice` phrased with this tool's commands
/// and flags (`descent range-test`, `--patience`).
enum DiagnosisText {
    static func lines(_ diagnosis: Diagnosis) -> [String] {
        ["Diagnosis: \(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence)"]
            + diagnosis.evidence.map { "  - \($0)" }
            + ["Advice: \(advice(diagnosis.advice))"]
    }

    /// The advice as the CLI says it: `.stopEarly(atEpoch: 8, patience: 5)` →
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
        case .regularise, .enlargeModel, .keepSettings:
            return advice.description
        case .trainLonger(let epochs):
            return "train for more epochs (at least \(epochs)) to get a reading of the curves"
        }
    }
}
