import Foundation

/// The debiased exponential moving average of the per-step loss, as fastai's
/// learning-rate finder smooths its curve:
///
///     average_t = β·average_{t−1} + (1 − β)·loss_t,   smoothed_t = average_t / (1 − βᵗ)
///
/// With β = 0.98 a single wild batch moves the curve by 2% of its excess, while a
/// loss that has blown up by orders of magnitude shows at once.
///
/// ```swift
/// var smoothed = SmoothedLoss(beta: 0.5)
/// smoothed.add(1.0)   // 1.0   (debiasing makes the first value exact)
/// smoothed.add(3.0)   // (0.25 + 0.75) / 0.75 = 2.333...
/// ```
public struct SmoothedLoss: Codable, Sendable, Equatable {
    public let beta: Double
    public private(set) var average = 0.0
    public private(set) var count = 0
    /// The lowest smoothed value so far (nil before the first loss).
    public private(set) var minimum: Double?

    public init(beta: Double = 0.98) {
        self.beta = beta
    }

    /// The smoothed value after the losses added so far (nil before the first).
    public var value: Double? {
        count == 0 ? nil : average / (1 - Foundation.pow(beta, Double(count)))
    }

    /// Adds one loss and returns the new smoothed value.
    @discardableResult
    public mutating func add(_ loss: Double) -> Double {
        average = beta * average + (1 - beta) * loss
        count += 1
        let smoothed = value!
        if smoothed.isFinite { minimum = Swift.min(minimum ?? smoothed, smoothed) }
        return smoothed
    }
}
