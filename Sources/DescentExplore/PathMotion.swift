#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The shape of a path: how its steps turn from one to the next, so the explorer can say what a
/// path does ("zig-zags", "spirals in") and not merely how far it got.
///
/// With the moving steps dₖ = xₖ₊₁ − xₖ (zero steps skipped) and the turn θₖ from dₖ to dₖ₊₁
/// (signed, in (−π, π]):
///
/// | motion | rule |
/// | --- | --- |
/// | still | no step moved |
/// | straight | one step, or at least 90% of turns below 8° (cos θ > 0.99) |
/// | zig-zag | more than half the turns reverse the step (cos θ < −0.5): it jumps back and forth across a valley |
/// | spiral | at least 80% of the turns go the same way and they add up to a full turn (|Σθ| ≥ 2π) |
/// | curved | anything else |
///
/// Plain gradient descent on the bowl x² + y² multiplies the point by 1 − 2η each step: below
/// η = 0.5 every step points the same way (straight, toward the minimum), above it the sign flips
/// every step (at 1.05: xₖ₊₁ = −1.1 xₖ, a zig-zag across the minimum that grows by 1.1 a step).
/// Heavy-ball momentum on the ravine x²/2 + 10y² (η = 0.02, β = 0.9) rings in both directions at
/// different speeds (7.8° and 37.8° a step): its path curves in without turning one way, so it is no spiral.
public enum PathMotion: String, Sendable, Equatable, CaseIterable, Codable {
    case still, straight
    case zigZag = "zig-zag"
    case spiral, curved

    /// Classifies the steps of the points (`x[k]`, `y[k]`), up to the first non-finite one.
    public init(x: [Double], y: [Double]) {
        var steps: [(Double, Double)] = []
        for k in 0..<Swift.max(Swift.min(x.count, y.count) - 1, 0) {
            let (dx, dy) = (x[k + 1] - x[k], y[k + 1] - y[k])
            guard dx.isFinite, dy.isFinite else { break }
            // A step shorter than 1e-12 of the path's scale is standing still (a path that reached the minimum).
            if dx * dx + dy * dy > 0 { steps.append((dx, dy)) }
        }
        guard steps.count > 1 else {
            self = steps.isEmpty ? .still : .straight
            return
        }
        var aligned = 0, reversed = 0, positive = 0, negative = 0
        var total = 0.0
        for k in 0..<(steps.count - 1) {
            let (a, b) = (steps[k], steps[k + 1])
            let dot = a.0 * b.0 + a.1 * b.1, cross = a.0 * b.1 - a.1 * b.0
            let lengths = (a.0 * a.0 + a.1 * a.1).squareRoot() * (b.0 * b.0 + b.1 * b.1).squareRoot()
            let cosine = lengths > 0 ? dot / lengths : 1
            if cosine > 0.99 { aligned += 1 }
            if cosine < -0.5 { reversed += 1 }
            let angle = atan2(cross, dot)
            total += angle
            if angle > 1e-9 { positive += 1 } else if angle < -1e-9 { negative += 1 }
        }
        let pairs = Double(steps.count - 1)
        if Double(reversed) > 0.5 * pairs {
            self = .zigZag
        } else if Double(Swift.max(positive, negative)) >= 0.8 * pairs && Swift.abs(total) >= 2 * Double.pi {
            self = .spiral
        } else if Double(aligned) >= 0.9 * pairs {
            self = .straight
        } else {
            self = .curved
        }
    }
}
