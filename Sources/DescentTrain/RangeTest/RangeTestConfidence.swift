import Foundation

/// How sure a range test is of its suggestions: `high`, `medium` or `low`, with the
/// reasons in plain words.
///
/// Four measures, each graded on its own; the level is the lowest grade (one weak point
/// is enough to doubt the answer). All are read on the curve the suggestions use (the
/// first `iterations / 10` and last 5 points dropped, cut at the first non-finite loss),
/// `L` smoothed and `ℓ` raw, with `k` = argmin L.
///
/// | measure | formula | high | medium | low |
/// | --- | --- | --- | --- | --- |
/// | signal to noise of the descent | (max L₀…ₖ − Lₖ) / σ, σ = 1.4826 · MAD(ℓᵢ₊₁ − ℓᵢ, i < k) / √2 | ≥ 8 | ≥ 3 | < 3 |
/// | agreement of the suggestions | log₁₀(largest / smallest of the four), in decades | ≤ 2 | ≤ 3 | > 3 |
/// | a finished sweep | the test diverged, or the last finite L > 1.5 · Lₖ | yes | no | — |
/// | points kept | n | ≥ 40 | ≥ 20 | < 20 |
///
/// σ is a robust estimate of the batch-to-batch noise of one raw loss: the median
/// absolute deviation of successive differences, scaled to a standard deviation (×1.4826)
/// and divided by √2 because a difference carries the noise of two batches. A descent
/// that is many σ deep is real, not a lucky run of batches. A sweep that never turned up
/// has not shown where training breaks, so `minimum` and `valley` may sit too low.
/// Without suggestions (too few points) the level is `low`.
///
/// The thresholds were set on fastai's digits MLP curve (shared conformance file:
/// depth 0.60 over σ 0.042, SNR 14; spread 1.44 decades; diverged at iteration 95;
/// 80 points kept → high) and its synthetic curves (SNR 17–22, spread 0.9–1.2 → high).
///
/// ```swift
/// let confidence = result.confidence
/// // digits, MLP 64-32-10, SGD momentum 0.9 (descent range-test --dataset digits --hidden 32):
/// confidence.level            // .medium
/// confidence.reasons          // ["the four suggestions span 2.24 decades (1.45e-03 to 2.51e-01): they disagree, prefer valley",
///                             //  "the smoothed loss fell by 0.496, 10.1 times the batch-to-batch noise of one loss (0.0489)",
///                             //  "the loss blew up at rate 3.31e+00, so the sweep saw where training breaks",
///                             //  "80 points were used after dropping the first 10 and the last 5 of 95"]
/// ```
public struct RangeTestConfidence: Codable, Sendable, Equatable {
    /// The grades, ordered: `low < medium < high`.
    public enum Level: String, Codable, Sendable, Comparable, CaseIterable {
        case low, medium, high

        public static func < (left: Level, right: Level) -> Bool {
            allCases.firstIndex(of: left)! < allCases.firstIndex(of: right)!
        }
    }

    /// The lowest grade of the measures.
    public var level: Level
    /// One sentence per measure, weakest first.
    public var reasons: [String]
    /// Depth of the descent over the noise of one raw loss (∞ for a noiseless curve).
    public var signalToNoise: Double
    /// log₁₀(largest / smallest suggestion); nil without suggestions.
    public var spreadDecades: Double?
    /// Whether the sweep saw the loss turn up (diverged, or ended 1.5× above its minimum).
    public var finished: Bool
    /// Points of the curve the suggestions used.
    public var keptPoints: Int

    public static let signalToNoiseForHigh = 8.0
    public static let signalToNoiseForMedium = 3.0
    public static let spreadForHigh = 2.0
    public static let spreadForMedium = 3.0
    public static let pointsForHigh = 40
    public static let pointsForMedium = 20
    /// The last loss must exceed the minimum by this factor for a sweep that did not diverge to count as finished.
    public static let turnUpFactor = 1.5

    /// Grades a recorded curve.
    public init(learningRates: [Double], rawLosses: [Double], smoothedLosses: [Double], iterations: Int,
                diverged: Bool, suggestions: LearningRateSuggestions?) {
        var graded: [(level: Level, reason: String)] = []
        let count = Swift.min(learningRates.count, rawLosses.count, smoothedLosses.count)
        let range = TrimmedCurve.keptRange(count: count, iterations: iterations)
        let end = smoothedLosses[range].firstIndex { !$0.isFinite } ?? range.upperBound
        let smooth = Array(smoothedLosses[range.lowerBound..<end])
        let raw = Array(rawLosses[range.lowerBound..<end])
        keptPoints = smooth.count

        // Signal to noise of the descent.
        if let lowest = smooth.indices.min(by: { smooth[$0] < smooth[$1] }) {
            let depth = smooth[0...lowest].max()! - smooth[lowest]
            let noise = Self.noise(of: Array(raw[0...lowest]))
            signalToNoise = depth == 0 ? 0 : (noise > 0 ? depth / noise : .infinity)
            let ratio = signalToNoise.isFinite ? String(format: "%.1f times", signalToNoise) : "infinitely many times"
            let text = String(format: "the smoothed loss fell by %.3g, ", depth) + ratio
                + String(format: " the batch-to-batch noise of one loss (%.3g)", noise)
            if signalToNoise >= Self.signalToNoiseForHigh {
                graded.append((.high, text))
            } else if signalToNoise >= Self.signalToNoiseForMedium {
                graded.append((.medium, text + ": a shallow descent, the suggestions may move with another seed"))
            } else {
                graded.append((.low, text + ": the descent is hard to tell from noise"))
            }
        } else {
            signalToNoise = 0
        }

        // Agreement of the suggestions.
        if let suggestions {
            let rates = suggestions.named.map(\.learningRate)
            let spread = Foundation.log10(rates.max()! / rates.min()!)
            spreadDecades = spread
            let text = String(format: "the four suggestions span %.2f decades (%.2e to %.2e)", spread, rates.min()!, rates.max()!)
            if spread <= Self.spreadForHigh {
                graded.append((.high, text))
            } else if spread <= Self.spreadForMedium {
                graded.append((.medium, text + ": they disagree, prefer valley"))
            } else {
                graded.append((.low, text + ": they disagree widely"))
            }
        } else {
            spreadDecades = nil
            graded.append((.low, "no rate can be suggested: too few points are left after trimming"))
        }

        // A finished sweep.
        let finiteSmooth = smoothedLosses.prefix(count).filter(\.isFinite)
        let turnedUp = diverged
            || ((finiteSmooth.last ?? 0) > Self.turnUpFactor * (finiteSmooth.min() ?? .infinity) && (finiteSmooth.min() ?? 0) > 0)
        finished = turnedUp
        if diverged {
            let rate = learningRates.prefix(count).last ?? .nan
            graded.append((.high, String(format: "the loss blew up at rate %.2e, so the sweep saw where training breaks", rate)))
        } else if turnedUp {
            graded.append((.high, "the loss turned up well above its minimum before the sweep ended"))
        } else {
            graded.append((.medium, "the loss never blew up: the sweep may have ended too early, raise the end rate"))
        }

        // Points kept.
        let pointsText = "\(keptPoints) points were used after dropping the first \(range.lowerBound) and the last "
            + "\(Swift.max(0, count - range.upperBound)) of \(count)"
        if keptPoints >= Self.pointsForHigh {
            graded.append((.high, pointsText))
        } else if keptPoints >= Self.pointsForMedium {
            graded.append((.medium, pointsText + ": a short curve, use more iterations"))
        } else {
            graded.append((.low, pointsText + ": too few to trust, use more iterations or a lower start rate"))
        }

        level = graded.map(\.level).min() ?? .low
        reasons = graded.enumerated().sorted { ($0.element.level, $0.offset) < ($1.element.level, $1.offset) }.map(\.element.reason)
    }

    /// A robust standard deviation of one raw loss from successive differences (0 with fewer than 3 losses).
    static func noise(of losses: [Double]) -> Double {
        guard losses.count >= 3 else { return 0 }
        let differences = zip(losses.dropFirst(), losses).map { $0 - $1 }
        let center = median(differences)
        return 1.4826 * median(differences.map { abs($0 - center) }) / 2.0.squareRoot()
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
