import Foundation

/// The four learning rates fastai's `lr_find` suggests from a range-test curve:
/// `valley`, `slide`, `minimum` and `steep` (fastai/callback/schedule.py).
///
/// A pure function of the recorded rates, the smoothed losses and the number of
/// iterations the test was asked for, so it can be checked against fastai without training.
///
/// **The curve they look at.** As fastai does, the first `iterations / 10` and the last 5
/// points are dropped (`lrs[num_it//10:-5]`), the curve is cut before its first
/// non-finite loss, and what is left is rounded to Float32 (fastai turns it into a
/// float32 tensor); every comparison below is made in Float32, so the chosen indices are
/// fastai's. Call the kept rates `r₀ … r₍ₙ₋₁₎` and smoothed losses `L₀ … L₍ₙ₋₁₎`.
///
/// * `minimum` = r\[argmin L\] / 10 — one tenth of the rate at the lowest loss, the rule of
///   thumb of Smith (2015) and fastai: the lowest point is already too fast.
/// * `steep` = r\[k\] with k = argmin over i of (L₍ᵢ₊₁₎ − Lᵢ) / (ln r₍ᵢ₊₁₎ − ln rᵢ): the start of
///   the steepest fall of the loss against log rate.
/// * `valley`: fastai's longest valley. lds\[i\] is the length of the longest strictly
///   decreasing subsequence of L ending at i (an O(n²) dynamic program); for the longest
///   one (ending at `end`, with `start = end − lds[end]` as fastai sets it when `end` first
///   takes the lead) the suggestion is r\[start + ⌊s⌋ + ⌊s/2⌋\] with s = (end − start)/3:
///   half-way through the middle third of the valley.
/// * `slide`: fastai's interval slide rule with its defaults (lr_diff 15, threshold 0.005).
///   With g = numpy.gradient(L), a right index walks from the last point and a left index
///   15 points before it, both one point to the left per turn, while |g\[right\] − g\[left\]| >
///   0.005; the suggestion is the last left rate visited (r\[n − 16\] if the loop never runs).
///   fastai raises an IndexError when fewer than 16 points are kept; here the gap shrinks to n − 1.
///
/// Reference: L. N. Smith, "Cyclical Learning Rates for Training Neural Networks"
/// (arXiv:1506.01186, 2015; WACV 2017), section 3.3, the "LR range test"; fastai's
/// `LRFinder` and suggestion functions (Howard & Gugger, fastai v2).
///
/// Worked example — a curve that falls between 1e-4 and 1e-2 and blows up after 1:
///
/// ```swift
/// let rates = (0..<100).map { 1e-7 * pow(1e8, Double($0) / 100) }
/// let losses = rates.map { rate in 2.3 - 1.5 / (1 + pow(1e-3 / rate, 2)) + (rate > 1 ? 10 * (rate - 1) : 0) }
/// let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: losses, iterations: 100)
/// // kept: points 10...94 (rates 6.3e-7 ... 3.5). The loss is lowest at rate 0.91, so
/// // minimum = 0.0912; steepest fall at 8.32e-4 (steep); valley 6.92e-4; slide 0.0575.
/// ```
public struct LearningRateSuggestions: Codable, Sendable, Equatable {
    /// fastai's longest-valley suggestion (its default).
    public var valley: Double
    /// fastai's interval slide rule.
    public var slide: Double
    /// One tenth of the rate at the lowest smoothed loss.
    public var minimum: Double
    /// The rate where the loss falls fastest against log rate.
    public var steep: Double

    public init(valley: Double, slide: Double, minimum: Double, steep: Double) {
        self.valley = valley
        self.slide = slide
        self.minimum = minimum
        self.steep = steep
    }

    /// The suggestions of a recorded curve (rates and smoothed losses of every iteration run).
    /// - Parameter iterations: the number of iterations the test was asked for (fastai's `num_it`),
    ///   which fixes how many leading points are dropped.
    /// - Throws: `RangeTestError.tooFewPoints` when fewer than 2 points remain after trimming,
    ///   `RangeTestError.invalidCurve` when the two series differ in length.
    public init(learningRates: [Double], smoothedLosses: [Double], iterations: Int) throws {
        let curve = try TrimmedCurve(learningRates: learningRates, smoothedLosses: smoothedLosses, iterations: iterations)
        self.init(valley: Self.valley(curve), slide: Self.slide(curve), minimum: Self.minimum(curve), steep: Self.steep(curve))
    }

    /// The suggestions as (name, rate) pairs in fastai's order.
    public var named: [(name: String, learningRate: Double)] {
        [("valley", valley), ("slide", slide), ("minimum", minimum), ("steep", steep)]
    }

    static func minimum(_ curve: TrimmedCurve) -> Double {
        Double(curve.learningRates[curve.losses.firstIndexOfMinimum]) / 10
    }

    static func steep(_ curve: TrimmedCurve) -> Double {
        let rates = curve.learningRates, losses = curve.losses
        let slopes = (0..<(rates.count - 1)).map { index -> Float in
            (losses[index + 1] - losses[index]) / (Foundation.log(rates[index + 1]) - Foundation.log(rates[index]))
        }
        return Double(rates[slopes.firstIndexOfMinimum])
    }

    static func valley(_ curve: TrimmedCurve) -> Double {
        let losses = curve.losses, count = losses.count
        var lengths = Array(repeating: 1, count: count)
        var start = 0, end = 0
        for index in 1..<count {
            for earlier in 0..<index {
                if losses[index] < losses[earlier] && lengths[index] < lengths[earlier] + 1 {
                    lengths[index] = lengths[earlier] + 1
                }
                // As fastai: the start is fixed when `index` first takes the lead, inside the inner loop.
                if lengths[end] < lengths[index] {
                    end = index
                    start = end - lengths[end]
                }
            }
        }
        let sections = Double(end - start) / 3
        var index = start + Int(sections) + Int(sections / 2)
        if index < 0 { index += count }   // Python's negative indexing (a valley from the very first point)
        return Double(curve.learningRates[index])
    }

    static func slide(_ curve: TrimmedCurve, gap: Int = 15, threshold: Double = 0.005) -> Double {
        let rates = curve.learningRates, count = rates.count
        let gradient = numpyGradient(curve.losses)
        let gap = Swift.min(gap, count - 1)
        var right = count - 1, left = right - gap
        var suggestion = rates[left]
        while left >= 0 && Double(abs(gradient[right] - gradient[left])) > threshold {
            suggestion = rates[left]
            right -= 1
            left -= 1
        }
        return Double(suggestion)
    }

    /// numpy.gradient with unit spacing: central differences inside, one-sided at the ends.
    static func numpyGradient(_ values: [Float]) -> [Float] {
        let count = values.count
        guard count >= 2 else { return Array(repeating: 0, count: count) }
        var result = [Float](repeating: 0, count: count)
        result[0] = values[1] - values[0]
        result[count - 1] = values[count - 1] - values[count - 2]
        if count > 2 {
            for index in 1..<(count - 1) { result[index] = (values[index + 1] - values[index - 1]) / 2 }
        }
        return result
    }
}

/// The part of a range-test curve the suggestions look at (see `LearningRateSuggestions`).
package struct TrimmedCurve {
    var learningRates: [Float]
    var losses: [Float]
    /// Index in the full curve of the first kept point.
    var offset: Int

    init(learningRates: [Double], smoothedLosses: [Double], iterations: Int) throws {
        guard learningRates.count == smoothedLosses.count else {
            throw RangeTestError.invalidCurve("\(learningRates.count) learning rates but \(smoothedLosses.count) losses")
        }
        let range = Self.keptRange(count: learningRates.count, iterations: iterations)
        var end = range.upperBound
        if let firstBad = smoothedLosses[range].firstIndex(where: { !$0.isFinite }) { end = firstBad }
        guard end - range.lowerBound >= 2 else {
            throw RangeTestError.tooFewPoints(kept: Swift.max(0, end - range.lowerBound), needed: 2)
        }
        offset = range.lowerBound
        self.learningRates = learningRates[range.lowerBound..<end].map { Float($0) }
        losses = smoothedLosses[range.lowerBound..<end].map { Float($0) }
    }

    /// Python's `[iterations // 10 : -5]` on a list of `count` points.
    package static func keptRange(count: Int, iterations: Int) -> Range<Int> {
        let lower = Swift.min(Swift.max(iterations / 10, 0), count)
        let upper = Swift.max(count - 5, lower)
        return lower..<upper
    }
}

extension Array where Element == Float {
    /// The first index of the smallest element (torch.argmin / numpy.argmin).
    var firstIndexOfMinimum: Int {
        var best = 0
        for index in indices where self[index] < self[best] { best = index }
        return best
    }
}
