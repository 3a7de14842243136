#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What a path did: crawled, converged, oscillated, overshot or diverged — the treasure field's
/// words for a learning rate that is too small, right, or too large.
///
/// With the gap gₖ = f(xₖ) − f* between the loss after k steps and the minimum, N steps, and an
/// *overshoot* at step k when the path went past the lowest point along its own step,
/// ∇f(xₖ₊₁) · (xₖ₊₁ − xₖ) > 0 (it would have to turn back):
///
/// | verdict | rule |
/// | --- | --- |
/// | diverged | a value stopped being finite, or g_N > g₀ (it ended higher than it started) |
/// | converged | g_N ≤ 10⁻³ g₀ and at most half the moving steps overshot |
/// | overshot | g_N ≤ 10⁻³ g₀ but more than half the moving steps overshot (it got there by jumping over) |
/// | oscillated | not converged and more than half the moving steps overshot (it bounces across the valley) |
/// | crawled | not converged, at most half the steps overshot: steady but too slow |
///
/// On the bowl x² + y² (f* = 0) plain gradient descent multiplies the point by 1 − 2η per step,
/// so after 40 steps from g₀ = 4: η = 0.01 leaves g = 4·0.98⁸⁰ = 0.79 (crawled); η = 0.5 lands on
/// the minimum in one step (converged); η = 1.05 multiplies the gap by 1.1² = 1.21 per step, to
/// 4·1.21⁴⁰ = 8194 (diverged, every step overshot).
public struct PathBehaviour: Sendable, Equatable {
    /// The verdict.
    public enum Verdict: String, Sendable, Equatable, CaseIterable, Codable {
        case crawled, converged, oscillated, overshot, diverged
    }

    /// The factor by which the gap must shrink to count as converged.
    public static let convergedFraction = 1e-3

    public var verdict: Verdict
    /// g₀ and g_N (g_N is infinite when the run blew up).
    public var initialGap: Double
    public var finalGap: Double
    /// The first step with gₖ ≤ 10⁻³ g₀, if any.
    public var convergedAtStep: Int?
    /// The fraction of moving steps that overshot.
    public var overshootFraction: Double
    /// Steps taken, and the step at which a value stopped being finite.
    public var steps: Int
    public var stoppedAt: Int?
    /// How the path's steps turn: straight, zig-zag, spiral, curved (``PathMotion``).
    public var motion: PathMotion

    /// Classifies `path` (see the table above).
    public init(of path: LandscapePath) {
        let landscape = path.landscape
        let gaps = path.losses.map { $0 - landscape.minimumValue }
        initialGap = gaps.first ?? .nan
        steps = path.stepsTaken
        stoppedAt = path.stoppedAt
        motion = PathMotion(x: path.x, y: path.y)
        finalGap = path.stoppedAt != nil ? .infinity : (gaps.last ?? .nan)
        var moving = 0, overshooting = 0
        for k in 0..<Swift.max(path.x.count - 1, 0) {
            let (dx, dy) = (path.x[k + 1] - path.x[k], path.y[k + 1] - path.y[k])
            guard dx != 0 || dy != 0, dx.isFinite, dy.isFinite else { continue }
            moving += 1
            let g = landscape.gradient(x: path.x[k + 1], y: path.y[k + 1])
            let along = g.x * dx + g.y * dy
            // Relative tolerance: a step that lands on the minimum has a zero gradient, not an overshoot.
            let scale = (g.x * g.x + g.y * g.y).squareRoot() * (dx * dx + dy * dy).squareRoot()
            if along > 1e-9 * scale { overshooting += 1 }
        }
        overshootFraction = moving == 0 ? 0 : Double(overshooting) / Double(moving)
        let threshold = Self.convergedFraction * initialGap
        convergedAtStep = path.stoppedAt == nil ? gaps.firstIndex { $0 <= threshold } : nil
        let mostlyOvershooting = overshootFraction > 0.5
        if path.stoppedAt != nil || !finalGap.isFinite || finalGap > initialGap {
            verdict = .diverged
        } else if finalGap <= threshold {
            verdict = mostlyOvershooting ? .overshot : .converged
        } else {
            verdict = mostlyOvershooting ? .oscillated : .crawled
        }
    }

    /// The gap's average factor per step, (g_N / g₀)^(1/N) (0.98² = 0.9604 for the bowl at η = 0.01).
    public var factorPerStep: Double {
        guard steps > 0, initialGap > 0, finalGap.isFinite else { return .nan }
        return pow(finalGap / initialGap, 1 / Double(steps))
    }

    /// About how many steps the gap needs to shrink 1000× at the average pace so far
    /// (nil unless the gap shrinks but has not yet shrunk enough).
    public var stepsToConverge: Int? {
        let factor = factorPerStep
        guard factor > 0, factor < 1, convergedAtStep == nil else { return nil }
        let needed = log(Self.convergedFraction) / log(factor)
        return needed.isFinite && needed < 1e12 ? Int(needed.rounded(.up)) : nil
    }

    /// What the path looks like, in words that fit its motion and verdict: "heads straight for the
    /// minimum", "zig-zags across the minimum, each jump longer than the last", "spirals in to the minimum".
    public var movement: String {
        switch (motion, verdict) {
        case (.still, _): return "does not move"
        case (.straight, .diverged): return "runs straight away from the minimum"
        case (.straight, .converged), (.straight, .overshot): return "heads straight for the minimum"
        case (.straight, _): return "creeps straight toward the minimum"
        case (.zigZag, .diverged): return "zig-zags across the minimum, each jump longer than the last"
        case (.zigZag, .oscillated): return "zig-zags across the valley without settling"
        case (.zigZag, .crawled): return "zig-zags, slowly, toward the minimum"
        case (.zigZag, _): return "zig-zags in to the minimum, each jump shorter"
        case (.spiral, .diverged): return "spirals out, away from the minimum"
        case (.spiral, .converged), (.spiral, .overshot): return "spirals in to the minimum"
        case (.spiral, _): return "circles the minimum"
        case (.curved, .diverged): return "bends away from the minimum"
        case (.curved, .converged), (.curved, .overshot): return "curves in to the minimum"
        case (.curved, _): return "curves toward the minimum"
        }
    }

    /// One sentence with the movement and the numbers, e.g. for the bowl at η = 0.01: "creeps straight toward
    /// the minimum: gap to the minimum 4 → 0.7946 after 40 steps (×0.1986); 1000× smaller would take about
    /// 171 steps; 0% of steps overshot".
    public var explanation: String {
        func v(_ value: Double) -> String { Self.format(value) }
        let overshoot = "\(Int((overshootFraction * 100).rounded()))% of steps overshot"
        if let stoppedAt {
            return "\(movement): the loss stopped being finite at step \(stoppedAt) (from \(v(initialGap))); \(overshoot)"
        }
        var text = "\(movement): gap to the minimum \(v(initialGap)) → \(v(finalGap)) after \(steps) steps"
        switch verdict {
        case .converged, .overshot:
            if let at = convergedAtStep { text += " (1000× smaller from step \(at))" }
        case .crawled, .oscillated:
            text += " (×\(v(finalGap / initialGap)))"
            if let more = stepsToConverge { text += "; 1000× smaller would take about \(more) steps" }
        case .diverged:
            text += " (×\(v(finalGap / initialGap)), growing)"
        }
        return text + "; " + overshoot
    }

    static func format(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        if value == 0 { return "0" }
        let magnitude = Swift.abs(value)
        if magnitude < 1e-3 || magnitude >= 1e5 { return String(format: "%.2e", value) }
        return String(format: "%.4g", value)
    }
}
