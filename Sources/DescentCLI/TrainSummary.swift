import Descent
import Foundation

/// The JSON summary `descent train --json` prints as its last line, in every case — completed,
/// stopped early, diverged, interrupted or failed — so a script never parses an empty output.
///
/// Keys (non-finite numbers are `null`): `status`, `message` (failures), `epochs` (one object per
/// epoch: `epoch`, `learning_rate`, `training_loss`, `validation_loss`, `validation_<metric>`),
/// `final_training_loss`, `final_validation_loss`, `best_validation_loss`,
/// `final_validation_<metric>` (accuracy or r2), `epochs_run`, `learning_rate` (the base rate),
/// `rollbacks`, `rate_scale`, `resumed_from_epoch` (0 for a fresh run), `seconds`, `diagnosis`.
///
/// ```json
/// {"status":"completed","epochs_run":20,"learning_rate":0.003,"rollbacks":0,"final_validation_accuracy":0.98, ...}
/// ```
struct TrainSummary: Encodable {
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
    /// How `--learning-rate auto` chose the rate (`"automatic_learning_rate"`, null for a fixed rate).
    var automaticLearningRate: AutomaticLearningRate.Choice?
    /// Extra top-level keys a command adds (e.g. the automatic rate's reasons).
    var extra: [String: String] = [:]
    /// A raw table's columns, dropped rows, class weights and extra metrics (nil for other data).
    var tabular: TabularRunNotes?
    /// `--folds`: each fold's result and their mean and spread.
    var crossValidation: CrossValidationSummary?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
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
    struct DiagnosisObject: Encodable {
        var verdict: String, message: String, confidence: String, evidence: [String], advice: String
        var adviceKind: String, adviceRateFactor: Double?

        init(_ diagnosis: Diagnosis) {
            verdict = diagnosis.verdict.rawValue
            advice = DiagnosisText.advice(diagnosis.advice)
            message = "\(diagnosis.verdict) (\(diagnosis.confidence.rawValue) confidence): \(advice)"
            confidence = diagnosis.confidence.rawValue
            evidence = diagnosis.evidence
            adviceKind = diagnosis.advice.kind
            adviceRateFactor = diagnosis.advice.rateFactor
        }

        enum CodingKeys: String, CodingKey {
            case verdict, message, confidence, evidence, advice
            case adviceKind = "advice_kind", adviceRateFactor = "advice_rate_factor"
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(status, forKey: Key("status"))
        if let message { try container.encode(message, forKey: Key("message")) }
        try container.encode(history.map { Epoch(record: $0, metricName: metricName) }, forKey: Key("epochs"))
        let last = history.last
        try container.encodeNumber(last?.trainingLoss, forKey: Key("final_training_loss"))
        try container.encodeNumber(last?.validationLoss, forKey: Key("final_validation_loss"))
        try container.encodeNumber(history.compactMap(\.validationLoss).filter(\.isFinite).min(), forKey: Key("best_validation_loss"))
        if let metricName { try container.encodeNumber(last?.validationMetric, forKey: Key("final_validation_\(metricName)")) }
        try container.encode(history.count, forKey: Key("epochs_run"))
        try container.encodeNumber(learningRate, forKey: Key("learning_rate"))
        try container.encode(automaticLearningRate.map(AutomaticChoiceObject.init), forKey: Key("automatic_learning_rate"))
        try container.encode(rollbacks, forKey: Key("rollbacks"))
        try container.encodeNumber(rateScale, forKey: Key("rate_scale"))
        try container.encode(resumedFromEpoch, forKey: Key("resumed_from_epoch"))
        try container.encodeNumber(seconds, forKey: Key("seconds"))
        if let diagnosis {
            try container.encode(DiagnosisObject(diagnosis), forKey: Key("diagnosis"))
        } else {
            try container.encodeNil(forKey: Key("diagnosis"))
        }
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) { try container.encode(value, forKey: Key(key)) }
        try container.encode(tabular?.ignoredColumns ?? [], forKey: Key("ignored_columns"))
        if let tabular { try tabular.encode(into: &container) }
        if let crossValidation { try container.encode(crossValidation, forKey: Key("cross_validation")) }
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
    mutating func encodeNumber(_ value: Double?, forKey key: Key) throws {
        if let value, value.isFinite { try encode(value, forKey: key) } else { try encodeNil(forKey: key) }
    }
}
