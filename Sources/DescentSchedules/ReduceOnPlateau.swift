/// Reduces the rate by `factor` when a metric has stopped improving for `patience` reports.
///
/// Semantics of PyTorch's `ReduceLROnPlateau(mode, factor, patience, threshold, threshold_mode,
/// cooldown, min_lr, eps)`, as a controller whose ``scale`` multiplies any schedule:
///
/// * a metric is *better* than the best so far when (min/rel) `m < best · (1 − threshold)`,
///   (min/abs) `m < best − threshold`, (max/rel) `m > best · (1 + threshold)`, (max/abs)
///   `m > best + threshold`; otherwise it is a bad report (NaN is always bad);
/// * during `cooldown` reports after a reduction, bad reports are not counted;
/// * after more than `patience` bad reports in a row, the rate in force `η` becomes
///   `η' = max(η · factor, minimumLearningRate)`; when `η − η' ≤ epsilon` the reduction is skipped
///   (PyTorch's `eps`); otherwise ``scale`` is multiplied by `factor`;
/// * ``apply(to:)`` gives `max(rate · scale, min(rate, minimumLearningRate))`: the controller never
///   takes the final rate below `min_lr`, and never raises a schedule that is itself below it.
///
/// With a constant schedule this is exactly PyTorch's sequence of rates (checked against PyTorch).
/// Example: base 0.1, `factor: 0.5, patience: 3, cooldown: 2`, a metric that stops improving after
/// report 9 gives 0.1 up to report 13, then 0.05, and 0.025 six reports later.
public struct ReduceOnPlateau: LearningRateController, Equatable {
    /// Whether a lower or a higher metric is better.
    public enum Mode: String, Codable, Sendable, CaseIterable { case min, max }
    /// Whether `threshold` is relative to the best metric or absolute.
    public enum ThresholdMode: String, Codable, Sendable, CaseIterable {
        case relative = "rel"
        case absolute = "abs"
    }

    public let mode: Mode
    public let factor: Double
    public let patience: Int
    public let threshold: Double
    public let thresholdMode: ThresholdMode
    public let cooldown: Int
    public let minimumLearningRate: Double
    public let epsilon: Double

    public private(set) var scale: Double = 1
    /// The best metric so far (`nil` before the first report).
    public private(set) var best: Double?
    /// Bad reports in a row (PyTorch's `num_bad_epochs`).
    public private(set) var badReports = 0
    /// Reports left in the cool-down after a reduction.
    public private(set) var cooldownLeft = 0
    /// How many times the rate has been reduced.
    public private(set) var reductions = 0
    /// Reports observed.
    public private(set) var reports = 0

    public init(mode: Mode = .min, factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
                thresholdMode: ThresholdMode = .relative, cooldown: Int = 0, minimumLearningRate: Double = 0,
                epsilon: Double = 1e-8) throws {
        guard factor.isFinite, factor >= 0, factor < 1 else {
            throw ScheduleError(parameter: "factor", message: "factor must lie in [0, 1), got \(factor)")
        }
        try ScheduleSettingCheck.atLeast(patience, 0, "patience")
        guard threshold.isFinite, threshold >= 0 else {
            throw ScheduleError(parameter: "threshold", message: "threshold must be finite and ≥ 0, got \(threshold)")
        }
        try ScheduleSettingCheck.atLeast(cooldown, 0, "cooldown")
        try ScheduleSettingCheck.rate(minimumLearningRate, "min_lr")
        guard epsilon.isFinite, epsilon >= 0 else {
            throw ScheduleError(parameter: "eps", message: "eps must be finite and ≥ 0, got \(epsilon)")
        }
        self.mode = mode
        self.factor = factor
        self.patience = patience
        self.threshold = threshold
        self.thresholdMode = thresholdMode
        self.cooldown = cooldown
        self.minimumLearningRate = minimumLearningRate
        self.epsilon = epsilon
    }

    /// Whether `metric` beats `best` by more than the threshold.
    public func isBetter(_ metric: Double, than best: Double?) -> Bool {
        guard let best else { return !metric.isNaN }
        switch (mode, thresholdMode) {
        case (.min, .relative): return metric < best * (1 - threshold)
        case (.min, .absolute): return metric < best - threshold
        case (.max, .relative): return metric > best * (1 + threshold)
        case (.max, .absolute): return metric > best + threshold
        }
    }

    public mutating func observe(metric: Double, learningRate: Double) {
        reports += 1
        if isBetter(metric, than: best) {
            best = metric
            badReports = 0
        } else {
            badReports += 1
        }
        if cooldownLeft > 0 {
            cooldownLeft -= 1
            badReports = 0
        }
        if badReports > patience {
            let reduced = max(learningRate * factor, minimumLearningRate)
            if learningRate - reduced > epsilon {
                scale *= factor
                reductions += 1
            }
            cooldownLeft = cooldown
            badReports = 0
        }
    }

    public func apply(to rate: Double) -> Double {
        max(rate * scale, min(rate, minimumLearningRate))
    }
}

extension ReduceOnPlateau {
    /// Decodes a saved controller (settings and state), checking the settings as the initialiser does:
    /// a corrupted checkpoint is an error naming the setting, never a controller that misbehaves.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        do {
            try self.init(
                mode: container.decode(Mode.self, forKey: .mode),
                factor: container.decode(Double.self, forKey: .factor),
                patience: container.decode(Int.self, forKey: .patience),
                threshold: container.decode(Double.self, forKey: .threshold),
                thresholdMode: container.decode(ThresholdMode.self, forKey: .thresholdMode),
                cooldown: container.decode(Int.self, forKey: .cooldown),
                minimumLearningRate: container.decode(Double.self, forKey: .minimumLearningRate),
                epsilon: container.decode(Double.self, forKey: .epsilon))
        } catch let error as ScheduleError {
            throw DecodingError.dataCorruptedError(forKey: .factor, in: container, debugDescription: error.description)
        }
        scale = try container.decode(Double.self, forKey: .scale)
        best = try container.decodeIfPresent(Double.self, forKey: .best)
        badReports = try container.decode(Int.self, forKey: .badReports)
        cooldownLeft = try container.decode(Int.self, forKey: .cooldownLeft)
        reductions = try container.decode(Int.self, forKey: .reductions)
        reports = try container.decode(Int.self, forKey: .reports)
        guard scale.isFinite, scale >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .scale, in: container, debugDescription: "scale must be finite and ≥ 0, got \(scale)")
        }
    }
}
