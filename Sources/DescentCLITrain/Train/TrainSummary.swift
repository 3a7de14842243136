import DescentDiagnosis
import DescentTrain
import Foundation

/// The JSON summary `descent train --json` prints as its last line, in every case — completed,
/// stopped early, diverged, interrupted or failed — so a script never parses an empty output.
///
/// Keys (non-finite numbers are `null`): `status`, `message` (always: the error of a failed run, else
/// what happened in words, e.g. "completed 20 epochs"), `epochs` (one object per
/// epoch: `epoch`, `learning_rate`, `training_loss`, `validation_loss`, `validation_<metric>`),
/// `final_training_loss`, `final_validation_loss`, `best_validation_loss`,
/// `final_validation_<metric>` (accuracy or r2), `epochs_run`, `kept_epoch` and `kept_validation_loss` (the epoch
/// whose weights the model holds: the best one after early stopping or with auto's keep-the-best-epoch, else the
/// last), `trivial_validation_loss` (class frequencies or the mean), `learning_rate` (the base rate),
/// `rollbacks`, `rate_scale`, `resumed_from_epoch` (0 for a fresh run), `seconds`, `diagnosis`
/// (`verdict`, `message`, `confidence`, `evidence`, `advice`, `advice_kind`, `advice_rate_factor`,
/// `advice_learning_rate`: the rate the advice names, `advice_epochs`: the epochs in all it advises),
/// and with `--track-sharpness N` `sharpness` (`measurements`: [{`step`, `lambda_max`, `edge`,
/// `preconditioned_lambda_max`, `preconditioned_edge`, `learning_rate`, `iterations`, `seconds`, `rows`}],
/// `seconds_per_measurement`).
///
/// ```json
/// {"status":"completed","epochs_run":20,"learning_rate":0.003,"rollbacks":0,"final_validation_accuracy":0.98, ...}
/// ```
package struct TrainSummary: Encodable {
    enum Status: String, Encodable {
        case completed, stoppedEarly = "stopped_early", diverged, interrupted, failed
    }

    var status: Status
    var message: String?
    var history: [TrainingRecord] = []
    var metricName: String?
    var learningRate: Double?
    var rollbacks = 0
    var rateScale = 1.0
    var resumedFromEpoch = 0
    var seconds = 0.0
    var diagnosis: Diagnosis?
    /// The run's command line, for the advice's commands.
    var rerun: DiagnosisText.Rerun?
    /// The measurements of `--track-sharpness`.
    var sharpness: [SharpnessMeasurement] = []
    /// How `--learning-rate auto` chose the rate (`"automatic_learning_rate"`, null for a fixed rate).
    var automaticLearningRate: AutomaticLearningRate.Choice?
    /// The processes of the job (`world_size`, 1 without mpirun) and the global batch (`global_batch_size`).
    var worldSize = 1
    var globalBatchSize: Int?
    /// How the rate followed the global batch (`rate_scaling`, null for one process).
    var rateScaling: RateScalingPlan?
    /// Seconds in the all-reduces (`communication_seconds`, data-parallel runs).
    var communicationSeconds: Double?
    /// How the gradients were summed (`gradient_reduction`: shared_window or allreduce; absent for one process).
    var gradientReduction: String?
    /// The gradient noise scale measured during the run (`noise_scale`, with --track-noise-scale or under mpirun).
    var noiseScale: GradientNoiseScale?
    /// The epoch whose weights the model holds when they are not the last's (`kept_epoch`), and its validation loss.
    var keptEpoch: Int?
    var keptValidationLoss: Double?
    /// The validation loss of predicting the class frequencies or the mean (`trivial_validation_loss`).
    var trivialValidationLoss: Double?
    /// Extra top-level keys a command adds (e.g. the automatic rate's reasons).
    var extra: [String: String] = [:]
    /// A raw table's columns, dropped rows, class weights and extra metrics (nil for other data).
    var tabular: TabularRunNotes?
    /// `--folds`: each fold's result and their mean and spread.
    var crossValidation: CrossValidationSummary?
    /// What the small-table rule (or `--ensemble`) trained: `"ensemble"` (absent: one model).
    var ensemble: TrainCommand.EnsembleNote?

    package struct Key: CodingKey {
        package var stringValue: String
        package var intValue: Int? { nil }
        package init(_ string: String) { stringValue = string }
        package init?(stringValue: String) { self.stringValue = stringValue }
        package init?(intValue: Int) { nil }
    }

    struct Epoch: Encodable {
        var record: TrainingRecord
        var metricName: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(record.epoch, forKey: Key("epoch"))
            try container.encodeNumber(record.learningRate, forKey: Key("learning_rate"))
            try container.encodeNumber(record.trainingLoss, forKey: Key("training_loss"))
            try container.encodeNumber(record.validationLoss, forKey: Key("validation_loss"))
            if let metricName { try container.encodeNumber(record.validationMetric, forKey: Key("validation_\(metricName)")) }
        }
    }

    /// The diagnosis as `train --json` and `diagnose --json` write it: the advice phrased for this CLI,
    /// and beside it the library's structured advice (`advice_kind`, `advice_rate_factor`).
    package struct DiagnosisObject: Encodable {
        var verdict: String, message: String, confidence: String, evidence: [String], advice: String
        var adviceKind: String, adviceRateFactor: Double?
        var adviceLearningRate: Double?, adviceEpochs: Int?
        /// The weight decay the advice names (`lower_weight_decay`); absent otherwise.
        var adviceWeightDecay: Double?
        /// The given rate outside what the optimizer normally uses (`UnusualLearningRate`); absent when it is not.
        var unusualLearningRate: UnusualLearningRate?

        package init(_ diagnosis: Diagnosis, rerun: DiagnosisText.Rerun? = nil) {
            verdict = diagnosis.verdict.rawValue
            advice = DiagnosisText.advice(diagnosis, rerun: rerun)
            adviceLearningRate = diagnosis.learningRate
            switch diagnosis.advice {
            case .continueTraining(_, let total, _, _): adviceEpochs = total
            case .trainLonger(let epochs): adviceEpochs = epochs
            case .stopEarly(let epoch, _): adviceEpochs = epoch
            default: adviceEpochs = nil
            }
            if case let .lowerWeightDecay(to, _, _, _) = diagnosis.advice { adviceWeightDecay = to }
            message = "\(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence): \(advice)"
            confidence = diagnosis.confidence.rawValue
            evidence = diagnosis.evidence
            adviceKind = diagnosis.advice.kind
            adviceRateFactor = diagnosis.advice.rateFactor
            unusualLearningRate = diagnosis.unusualLearningRate
        }

        enum CodingKeys: String, CodingKey {
            case verdict, message, confidence, evidence, advice
            case adviceKind = "advice_kind", adviceRateFactor = "advice_rate_factor"
            case adviceLearningRate = "advice_learning_rate", adviceEpochs = "advice_epochs"
            case adviceWeightDecay = "advice_weight_decay"
            case unusualLearningRate = "unusual_learning_rate"
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(status, forKey: Key("status"))
        try container.encode(message ?? outcomeMessage, forKey: Key("message"))
        try container.encode(history.map { Epoch(record: $0, metricName: metricName) }, forKey: Key("epochs"))
        let last = history.last
        try container.encodeNumber(last?.trainingLoss, forKey: Key("final_training_loss"))
        try container.encodeNumber(last?.validationLoss, forKey: Key("final_validation_loss"))
        try container.encodeNumber(history.compactMap(\.validationLoss).filter(\.isFinite).min(), forKey: Key("best_validation_loss"))
        if let metricName { try container.encodeNumber(last?.validationMetric, forKey: Key("final_validation_\(metricName)")) }
        try container.encode(history.count, forKey: Key("epochs_run"))
        try container.encode(keptEpoch ?? history.last?.epoch, forKey: Key("kept_epoch"))
        try container.encodeNumber(keptValidationLoss ?? last?.validationLoss, forKey: Key("kept_validation_loss"))
        try container.encodeNumber(trivialValidationLoss, forKey: Key("trivial_validation_loss"))
        try container.encodeNumber(learningRate, forKey: Key("learning_rate"))
        try container.encode(automaticLearningRate.map(AutomaticChoiceObject.init), forKey: Key("automatic_learning_rate"))
        try container.encode(rollbacks, forKey: Key("rollbacks"))
        try container.encodeNumber(rateScale, forKey: Key("rate_scale"))
        try container.encode(resumedFromEpoch, forKey: Key("resumed_from_epoch"))
        try container.encodeNumber(seconds, forKey: Key("seconds"))
        if let diagnosis {
            try container.encode(DiagnosisObject(diagnosis, rerun: rerun), forKey: Key("diagnosis"))
        } else {
            try container.encodeNil(forKey: Key("diagnosis"))
        }
        try container.encode(worldSize, forKey: Key("world_size"))
        if let globalBatchSize { try container.encode(globalBatchSize, forKey: Key("global_batch_size")) }
        try container.encode(rateScaling, forKey: Key("rate_scaling"))
        if let communicationSeconds { try container.encodeNumber(communicationSeconds, forKey: Key("communication_seconds")) }
        if let gradientReduction { try container.encode(gradientReduction, forKey: Key("gradient_reduction")) }
        if let noiseScale { try container.encode(NoiseScaleObject(noiseScale), forKey: Key("noise_scale")) }
        if !sharpness.isEmpty {
            struct Sharpness: Encodable {
                var measurements: [SharpnessMeasurement]
                var secondsPerMeasurement: Double
                enum CodingKeys: String, CodingKey { case measurements, secondsPerMeasurement = "seconds_per_measurement" }
            }
            try container.encode(Sharpness(measurements: sharpness,
                                            secondsPerMeasurement: sharpness.map(\.seconds).reduce(0, +) / Double(sharpness.count)),
                                 forKey: Key("sharpness"))
        }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { try container.encode(value, forKey: Key(key)) }
        try container.encode(tabular?.ignoredColumns ?? [], forKey: Key("ignored_columns"))
        if let tabular { try tabular.encode(into: &container) }
        if let crossValidation { try container.encode(crossValidation, forKey: Key("cross_validation")) }
        if let ensemble { try container.encode(ensemble, forKey: Key("ensemble")) }
    }

    /// The `message` of a run that did not fail: "completed 20 epochs", "stopped early after epoch 12
    /// (the best validation loss was at epoch 7)", "interrupted after 3 epochs".
    var outcomeMessage: String {
        let epochs = history.count == 1 ? "1 epoch" : "\(history.count) epochs"
        switch status {
        case .completed: return "completed \(epochs)" + (resumedFromEpoch > 0 ? " (resumed after epoch \(resumedFromEpoch))" : "")
        case .stoppedEarly:
            let best = history.filter { $0.validationLoss?.isFinite == true }.min { ($0.validationLoss ?? 0) < ($1.validationLoss ?? 0) }
            return "stopped early after epoch \(history.last?.epoch ?? 0)" + (best.map { " (the best validation loss was at epoch \($0.epoch))" } ?? "")
        case .interrupted: return "interrupted after \(epochs)"
        case .diverged: return "diverged after \(epochs)"
        case .failed: return "failed after \(epochs)"
        }
    }

    /// The summary as one line of JSON (keys sorted).
    func line() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return #"{"status":"failed","message":"the summary could not be encoded"}"# }
        return String(decoding: data, as: UTF8.self)
    }
}

extension KeyedEncodingContainer {
    /// Encodes a number, or `null` when it is absent or not finite (JSON has no NaN or infinity).
    package mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
