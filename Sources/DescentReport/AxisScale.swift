/// How values map to positions along a chart axis.
///
/// `.linear` places `v` at `(v − low) / (high − low)` of the axis length; `.logarithmic` at
/// `(log₁₀ v − log₁₀ low) / (log₁₀ high − log₁₀ low)`, so each factor of 10 (a decade) takes the
/// same length. A log axis suits losses and learning rates, which move by factors rather than
/// differences: with a log axis from 1e-5 to 1e-1, `1e-3` sits exactly half-way up.
/// Values that are not positive have no place on a log axis and are left out (a gap in the line).
public enum AxisScale: String, Sendable, Equatable, CaseIterable {
    case linear
    case logarithmic

    /// Whether `value` can be drawn on this scale (finite, and positive for a log scale).
    public func canPlot(_ value: Double) -> Bool {
        switch self {
        case .linear: return value.isFinite
        case .logarithmic: return value.isFinite && value > 0
        }
    }

    /// `value` in the units in which this scale is linear (log₁₀ for `.logarithmic`).
    func transform(_ value: Double) -> Double {
        switch self {
        case .linear: return value
        case .logarithmic: return log10(value)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
