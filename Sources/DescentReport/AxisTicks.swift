import Foundation

/// The range an axis covers and where its labelled ticks go.
///
/// Linear axes use "nice" steps, 1, 2 or 5 times a power of ten, chosen so that about
/// `targetCount` intervals cover the data, and the axis is widened to whole steps.
/// (The method of Heckbert, "Nice numbers for graph labels", Graphics Gems, 1990.)
/// Logarithmic axes put ticks on powers of ten (decades); when the data spans two decades or
/// fewer they also use 2 and 5 times each power and the axis ends on the nearest of these;
/// when it spans many, decades are skipped so that at most about 9 are labelled.
///
/// Example: data from 0.013 to 0.87 on a linear axis gives the step 0.2 and the ticks
/// 0, 0.2, 0.4, 0.6, 0.8, 1 (the axis runs from 0 to 1); data from 3e-5 to 0.08 on a
/// log axis gives the ticks 1e-5, 1e-4, 1e-3, 1e-2, 1e-1.
public struct AxisTicks: Sendable, Equatable {
    /// The low end of the axis (at or below the smallest value).
    public var low: Double
    /// The high end of the axis (at or above the largest value).
    public var high: Double
    /// The labelled tick values, increasing, all within `low...high`.
    public var values: [Double]
    /// The distance between ticks on a linear axis (0 for a logarithmic axis).
    public var step: Double

    public init(low: Double, high: Double, values: [Double], step: Double) {
        self.low = low
        self.high = high
        self.values = values
        self.step = step
    }

    /// The nice number (1, 2 or 5 times a power of ten) at or above `raw`; `raw` must be positive and finite.
    public static func niceStep(_ raw: Double) -> Double {
        precondition(raw > 0 && raw.isFinite, "niceStep needs a positive finite number")
        let exponent = floor(log10(raw))
        let magnitude = pow(10, exponent)
        let fraction = raw / magnitude
        // A little tolerance so that 0.2 (stored as 0.2000…01) stays 0.2 and does not become 0.5.
        let nice: Double = fraction <= 1 + 1e-9 ? 1 : fraction <= 2 + 1e-9 ? 2 : fraction <= 5 + 1e-9 ? 5 : 10
        return nice * magnitude
    }

    /// Ticks for a linear axis covering `low...high` with about `targetCount` intervals.
    ///
    /// Equal ends are widened (a constant series still gets an axis); with `integersOnly`
    /// the step is at least 1 (for epoch numbers). Non-finite ends give the axis 0…1.
    ///
    /// Counts that start at 1 (epochs, steps) never get an axis that starts at 0: with `integersOnly`,
    /// data from 1 (or any whole number below the first step) starts the axis at its first value, which is
    /// labelled, followed by the whole steps at least half a step above it. Example: epochs 1…20 with
    /// step 5 give the ticks 1, 5, 10, 15, 20 on an axis from 1 to 20 (not 0, 5, …, 20, which would show an
    /// epoch 0 that never ran); epochs 1…3 give 1, 2, 3.
    public static func linear(low: Double, high: Double, targetCount: Int = 5, integersOnly: Bool = false) -> AxisTicks {
        var (low, high) = (Swift.min(low, high), Swift.max(low, high))
        if !low.isFinite || !high.isFinite { (low, high) = (0, 1) }
        if low == high {
            let pad = low == 0 ? 1 : Swift.abs(low) * 0.1
            (low, high) = (low - pad, high + pad)
        }
        var step = niceStep((high - low) / Double(Swift.max(targetCount, 1)))
        if integersOnly { step = Swift.max(step, 1) }
        // Whole multiples of the step, computed from integers so no rounding error builds up.
        // A little tolerance so that 0.6 / 0.2 = 2.9999… still ends the axis at 0.6.
        let first = (low / step + 1e-9).rounded(.down)
        let last = (high / step - 1e-9).rounded(.up)
        let firstIndex = first, lastIndex = Swift.max(last, first + 1)
        if integersOnly, low >= 1, firstIndex * step < 1 {
            // A count from 1 (epochs): the axis starts where the data does, not at a 0 that was never run.
            let later = stride(from: firstIndex + 1, through: lastIndex, by: 1).map { $0 * step }.filter { $0 - low >= step / 2 }
            return AxisTicks(low: low, high: lastIndex * step, values: [low] + later.prefix(999), step: step)
        }
        var values: [Double] = []
        var index = firstIndex
        while index <= lastIndex && values.count < 1_000 {
            let value = index * step
            values.append(value == 0 ? 0 : value)   // no −0
            index += 1
        }
        return AxisTicks(low: firstIndex * step, high: lastIndex * step, values: values, step: step)
    }

    /// Ticks for a log axis covering `low...high` (both positive), on whole decades.
    public static func logarithmic(low: Double, high: Double) -> AxisTicks {
        var (low, high) = (Swift.min(low, high), Swift.max(low, high))
        if !(low > 0) || !low.isFinite || !high.isFinite { (low, high) = (1, 10) }
        var lowDecade = floor(log10(low) + 1e-9)
        var highDecade = ceil(log10(high) - 1e-9)
        if highDecade <= lowDecade { highDecade = lowDecade + 1 }
        // Decades of a Double's normal range, at least one apart (low 1e305 … high 1e308 once clamped to none).
        lowDecade = Swift.min(Swift.max(lowDecade, -300), 299)
        highDecade = Swift.max(Swift.min(highDecade, 300), lowDecade + 1)
        let decades = highDecade - lowDecade
        var values: [Double] = []
        if decades <= 2 {
            // Few decades: ticks at 1, 2 and 5 times each power of ten, and the axis ends on
            // the nearest of them (0.12…1.2 runs from 0.1 to 2, not to 10).
            var candidates: [Double] = []
            var decade = lowDecade
            while decade <= highDecade {
                for multiple in [1.0, 2, 5] where decade < highDecade || multiple == 1 {
                    candidates.append(multiple * pow(10, decade))
                }
                decade += 1
            }
            // Values beyond the clamped decades (a loss of 1e308) lie past every candidate: the axis then ends on
            // the last two (was: an index past the end, a trap, for `descent report` of such a log).
            let last = Swift.min(Swift.max(candidates.firstIndex { $0 >= high * (1 - 1e-9) } ?? candidates.count - 1, 1),
                                 candidates.count - 1)
            let first = Swift.min(candidates.lastIndex { $0 <= low * (1 + 1e-9) } ?? 0, last - 1)
            values = Array(candidates[first...last])
            return AxisTicks(low: values.first!, high: values.last!, values: values, step: 0)
        } else {
            let stride = Swift.max(1, (decades / 8).rounded(.up))
            var decade = lowDecade
            while decade <= highDecade {
                values.append(pow(10, decade))
                decade += stride
            }
            highDecade = values.last.map { log10($0).rounded() } ?? highDecade
            // The axis reaches past `high` by one more stride, but not past 1e300 (was: a tick at 10^375 = inf).
            if highDecade < Swift.min(ceil(log10(high) - 1e-9), 300) {
                highDecade = Swift.min(highDecade + stride, 300)
                values.append(pow(10, highDecade))
            }
        }
        return AxisTicks(low: pow(10, lowDecade), high: pow(10, highDecade), values: values, step: 0)
    }
}
