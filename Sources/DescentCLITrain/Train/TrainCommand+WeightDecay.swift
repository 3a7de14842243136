import DescentCLIShared
import DescentDiagnosis
import DescentTrain

extension TrainCommand {
    /// The error a failed run ends with, naming the weight decay where it, not the rate, is the likely cause:
    /// a divergence whose diagnosis is `.lowerWeightDecay` ("training diverged at step 10 (loss nan) after 4 rollbacks;
    /// lower --weight-decay from 500 to 30 or less …", instead of "lower the learning rate"), and an automatic rate
    /// whose every race candidate diverged with a weight decay given. Any other error is returned as it is.
    static func namingWeightDecay(_ error: Error, diagnosis: Diagnosis?, weightDecay: Double) -> Error {
        guard let trainingError = error as? TrainingError else { return error }
        switch trainingError {
        case let .diverged(step, loss, rollbacks):
            guard let diagnosis, case .lowerWeightDecay = diagnosis.advice else { return error }
            return CommandFailure(.diverged, "training diverged at step \(step) (loss \(loss)) after \(rollbacks) rollbacks; "
                + DiagnosisText.advice(diagnosis.advice))
        case let .invalidConfiguration(reason) where weightDecay > 0 && reason.hasPrefix("every candidate of the learning-rate race diverged"):
            return CommandFailure(.diverged, "\(trainingError); with --weight-decay \(Advice.decay(weightDecay)) the decay may be why "
                + "(at a rate η, a decay above 2(1 + β)/η for SGD or 2/η for AdamW makes the weights oscillate and grow by itself): "
                + "try a smaller --weight-decay")
        default:
            return error
        }
    }
}
