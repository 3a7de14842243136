import DescentTrain
/// One line of a training log (`descent train --log run.jsonl`): a JSON object whose `kind` says what it records.
///
/// | kind | written | fields |
/// | --- | --- | --- |
/// | `run` | first, and again at each resume | `format`, `metric_name`, `baseline`, `resumed_from_epoch`, `resumed_at_step`, `settings` (the run's `RunSettings`, for the advice) |
/// | `step` | after every optimizer step | `step`, `epoch`, `loss`, `learning_rate`, `momentum` (cycled schedules), `gradient_norm` (when measured), `seconds` |
/// | `epoch` | after every epoch | `epoch`, `step`, `learning_rate`, `training_loss`, `validation_loss`, `validation_metric`, `metric_name`, `rollbacks`, `seconds` |
/// | `rollback` | when the divergence guard rolls back | `step`, `loss`, `rate_scale`, `rollbacks`, `seconds` |
/// | `stopped_early` | when early stopping ends the run | `epoch`, `best_epoch`, `seconds` |
/// | `sharpness` | every N steps with `--track-sharpness N` | `step`, `lambda_max`, `edge` (2(1 + β)/η), `preconditioned_lambda_max` and `preconditioned_edge` (Adam family), `learning_rate` (η), `iterations`, `rows`, `measure_seconds`, `seconds` |
/// | `diverged` | when the guard gives up | `step`, `loss`, `rollbacks`, `seconds` |
/// | `end` | last, when the run ends by itself | `status` (`completed`, `stopped_early`, `interrupted`, `diverged`, `failed`), `seconds` |
///
/// A log without an `end` line is of a run that was killed (or is still going).
///
/// `step` is the number of optimizer updates taken so far (the first step's line says 1), `epoch`
/// is 1-based, `seconds` counts from the start of the process that wrote the line (a resumed run
/// starts again at 0). A value that is not finite (a diverged loss) is written as `null`, since
/// JSON has no NaN or infinity; a field that does not apply is left out. Keys are sorted, so the
/// same entry is always the same line.
///
/// ```
/// {"epoch":1,"kind":"step","learning_rate":0.003,"loss":2.3512,"seconds":0.0021,"step":1}
/// {"epoch":1,"kind":"epoch","learning_rate":0.003,"metric_name":"accuracy","rollbacks":0,"seconds":0.09,
///  "step":45,"training_loss":1.0125,"validation_loss":0.3314,"validation_metric":0.9361}
/// ```
public struct TrainingLogEntry: Codable, Sendable, Equatable {
    /// What a line records.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case run, step, epoch, rollback
        case stoppedEarly = "stopped_early"
        case diverged, end, sharpness
    }

    /// The log format's version, written in `run` lines.
    public static let currentFormat = 1

    public var kind: Kind
    public var format: Int?
    public var step: Int?
    public var epoch: Int?
    /// The minibatch loss before the step (`step`), or the loss that diverged (`rollback`, `diverged`).
    public var loss: Double?
    public var learningRate: Double?
    public var momentum: Double?
    public var gradientNorm: Double?
    public var trainingLoss: Double?
    public var validationLoss: Double?
    public var validationMetric: Double?
    /// "accuracy" or "r2".
    public var metricName: String?
    /// The guard's rollbacks so far in the run.
    public var rollbacks: Int?
    /// The rate scale after backing off (`rollback`).
    public var rateScale: Double?
    public var bestEpoch: Int?
    /// What a model that learned nothing scores (`run`), for the diagnosis.
    public var baseline: TrivialBaseline?
    /// The epochs done when a resumed run started (`run`; 0 for a fresh run).
    public var resumedFromEpoch: Int?
    /// The optimizer steps done when a resumed run started (`run`; a checkpoint written on an
    /// interrupt may lie inside an epoch).
    public var resumedAtStep: Int?
    /// How the run ended (`end`): "completed", "stopped_early", "interrupted", "diverged" or "failed".
    public var status: String?
    /// Seconds since the writing process started its log.
    public var seconds: Double?
    /// The run's settings (`run`), so `descent diagnose` gives the advice `train` gave.
    public var settings: RunSettings?
    /// λmax of the training loss's Hessian (`sharpness`).
    public var lambdaMax: Double?
    /// The edge for λmax, 2(1 + β)/η (`sharpness`).
    public var edge: Double?
    /// λmax(P⁻¹H), the preconditioned sharpness of the Adam family (`sharpness`).
    public var preconditionedLambdaMax: Double?
    /// (2 + 2β₁)/(η(1 − β₁)) (`sharpness`).
    public var preconditionedEdge: Double?
    /// Power iterations (`sharpness`).
    public var iterations: Int?
    /// Training rows measured on (`sharpness`).
    public var rows: Int?
    /// Seconds the measurement took (`sharpness`).
    public var measureSeconds: Double?

    public init(kind: Kind) {
        self.kind = kind
    }

    enum CodingKeys: String, CodingKey {
        case kind, format, step, epoch, loss
        case learningRate = "learning_rate"
        case momentum
        case gradientNorm = "gradient_norm"
        case trainingLoss = "training_loss"
        case validationLoss = "validation_loss"
        case validationMetric = "validation_metric"
        case metricName = "metric_name"
        case rollbacks
        case rateScale = "rate_scale"
        case bestEpoch = "best_epoch"
        case baseline
        case resumedFromEpoch = "resumed_from_epoch"
        case resumedAtStep = "resumed_at_step"
        case status, seconds, settings
        case lambdaMax = "lambda_max", edge
        case preconditionedLambdaMax = "preconditioned_lambda_max"
        case preconditionedEdge = "preconditioned_edge"
        case iterations, rows
        case measureSeconds = "measure_seconds"
    }

    enum BaselineKeys: String, CodingKey {
        case metricName = "metric_name", metric, loss
        case perfectMetric = "perfect_metric"
    }

    /// The fields each kind must have; a line without one of them is malformed.
    public static func requiredKeys(of kind: Kind) -> [String] {
        let keys: [CodingKeys]
        switch kind {
        case .run: keys = [.format]
        case .step: keys = [.step, .loss, .learningRate]
        case .epoch: keys = [.epoch, .step, .learningRate, .trainingLoss]
        case .rollback: keys = [.step, .loss, .rateScale]
        case .stoppedEarly: keys = [.epoch, .bestEpoch]
        case .diverged: keys = [.step, .loss]
        case .end: keys = [.status]
        case .sharpness: keys = [.step, .lambdaMax, .learningRate]
        }
        return keys.map(\.stringValue)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        for name in Self.requiredKeys(of: kind) {
            guard let key = CodingKeys(stringValue: name), container.contains(key) else {
                throw DecodingError.keyNotFound(CodingKeys(stringValue: name)!, DecodingError.Context(
                    codingPath: [], debugDescription: "a \"\(kind.rawValue)\" line needs \"\(name)\""))
            }
        }
        format = try container.decodeIfPresent(Int.self, forKey: .format)
        step = try container.decodeIfPresent(Int.self, forKey: .step)
        epoch = try container.decodeIfPresent(Int.self, forKey: .epoch)
        // null stands for a value that was not finite: NaN here (the diagnosis reads it as diverged).
        func number(_ key: CodingKeys) throws -> Double? {
            guard container.contains(key) else { return nil }
            return try container.decodeIfPresent(Double.self, forKey: key) ?? .nan
        }
        loss = try number(.loss)
        learningRate = try number(.learningRate)
        momentum = try number(.momentum)
        gradientNorm = try number(.gradientNorm)
        trainingLoss = try number(.trainingLoss)
        // An epoch without validation has none; a null one was not finite.
        validationLoss = try number(.validationLoss)
        validationMetric = try number(.validationMetric)
        metricName = try container.decodeIfPresent(String.self, forKey: .metricName)
        rollbacks = try container.decodeIfPresent(Int.self, forKey: .rollbacks)
        rateScale = try number(.rateScale)
        bestEpoch = try container.decodeIfPresent(Int.self, forKey: .bestEpoch)
        if container.contains(.baseline), try !container.decodeNil(forKey: .baseline) {
            let nested = try container.nestedContainer(keyedBy: BaselineKeys.self, forKey: .baseline)
            baseline = TrivialBaseline(metricName: try nested.decode(String.self, forKey: .metricName),
                                       metric: try nested.decode(Double.self, forKey: .metric),
                                       loss: try nested.decode(Double.self, forKey: .loss),
                                       perfectMetric: try nested.decodeIfPresent(Double.self, forKey: .perfectMetric) ?? 1)
        }
        resumedFromEpoch = try container.decodeIfPresent(Int.self, forKey: .resumedFromEpoch)
        resumedAtStep = try container.decodeIfPresent(Int.self, forKey: .resumedAtStep)
        status = try container.decodeIfPresent(String.self, forKey: .status)
        seconds = try number(.seconds)
        settings = try container.decodeIfPresent(RunSettings.self, forKey: .settings)
        lambdaMax = try number(.lambdaMax)
        edge = try number(.edge)
        preconditionedLambdaMax = try number(.preconditionedLambdaMax)
        preconditionedEdge = try number(.preconditionedEdge)
        iterations = try container.decodeIfPresent(Int.self, forKey: .iterations)
        rows = try container.decodeIfPresent(Int.self, forKey: .rows)
        measureSeconds = try number(.measureSeconds)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        // Absent: the key is left out; not finite: null (JSON has no NaN).
        func number(_ value: Double?, _ key: CodingKeys) throws {
            guard let value else { return }
            if value.isFinite { try container.encode(value, forKey: key) } else { try container.encodeNil(forKey: key) }
        }
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(format, forKey: .format)
        try container.encodeIfPresent(step, forKey: .step)
        try container.encodeIfPresent(epoch, forKey: .epoch)
        try number(loss, .loss)
        try number(learningRate, .learningRate)
        try number(momentum, .momentum)
        try number(gradientNorm, .gradientNorm)
        try number(trainingLoss, .trainingLoss)
        try number(validationLoss, .validationLoss)
        try number(validationMetric, .validationMetric)
        try container.encodeIfPresent(metricName, forKey: .metricName)
        try container.encodeIfPresent(rollbacks, forKey: .rollbacks)
        try number(rateScale, .rateScale)
        try container.encodeIfPresent(bestEpoch, forKey: .bestEpoch)
        if let baseline, baseline.metric.isFinite, baseline.loss.isFinite, baseline.perfectMetric.isFinite {
            var nested = container.nestedContainer(keyedBy: BaselineKeys.self, forKey: .baseline)
            try nested.encode(baseline.metricName, forKey: .metricName)
            try nested.encode(baseline.metric, forKey: .metric)
            try nested.encode(baseline.loss, forKey: .loss)
            try nested.encode(baseline.perfectMetric, forKey: .perfectMetric)
        }
        try container.encodeIfPresent(resumedFromEpoch, forKey: .resumedFromEpoch)
        try container.encodeIfPresent(resumedAtStep, forKey: .resumedAtStep)
        try container.encodeIfPresent(status, forKey: .status)
        try number(seconds, .seconds)
        try container.encodeIfPresent(settings, forKey: .settings)
        try number(lambdaMax, .lambdaMax)
        try number(edge, .edge)
        try number(preconditionedLambdaMax, .preconditionedLambdaMax)
        try number(preconditionedEdge, .preconditionedEdge)
        try container.encodeIfPresent(iterations, forKey: .iterations)
        try container.encodeIfPresent(rows, forKey: .rows)
        try number(measureSeconds, .measureSeconds)
    }

    /// The measurement of a `sharpness` line (nil for other kinds).
    public var sharpnessMeasurement: SharpnessMeasurement? {
        guard kind == .sharpness, let step, let lambdaMax, let learningRate else { return nil }
        var measurement = SharpnessMeasurement(step: step, lambdaMax: lambdaMax, learningRate: learningRate,
                                               iterations: iterations ?? 0, seconds: measureSeconds ?? 0, rows: rows ?? 0)
        measurement.edge = edge ?? measurement.edge
        measurement.preconditionedLambdaMax = preconditionedLambdaMax
        measurement.preconditionedEdge = preconditionedEdge
        return measurement
    }
}
