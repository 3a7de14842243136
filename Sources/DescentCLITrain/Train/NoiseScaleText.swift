import DescentTrain
import Foundation

/// The gradient noise scale in words (`descent train`, `descent range-test --noise-scale`).
///
/// ```
/// Gradient noise scale (an estimate of the critical batch): 412 ± 38 (from 64 pairs of gradient norms at batches 32 and 128)
///   the global batch 128 is below it: more processes still scale near-linearly
/// ```
package enum NoiseScaleText {
    package static func line(_ scale: GradientNoiseScale, globalBatch: Int?) -> String {
        guard scale.value.isFinite else {
            return "Gradient noise scale: beyond what batches \(scale.smallBatch) and \(scale.bigBatch) resolve (the full-data "
                + "gradient's squared norm came out ≤ 0 from \(scale.measurements) pairs of norms: the gradient is mostly noise here, "
                + "as near a minimum); larger global batches would still average noise away, but measure with bigger batches to be sure"
        }
        var text = "Gradient noise scale (an estimate of the critical batch; McCandlish et al. 2018): "
            + String(format: "%.3g", scale.value)
            + (scale.standardError.isFinite ? String(format: " ± %.2g", scale.standardError) : "")
            + " (from \(scale.measurements) pairs of gradient norms at batches \(scale.smallBatch) and \(scale.bigBatch))"
        if let globalBatch {
            text += "\n  " + (Double(globalBatch) < scale.value
                ? "the global batch \(globalBatch) is below it: more processes (a larger batch) still scale near-linearly"
                : "the global batch \(globalBatch) is above it: more processes (a larger batch) buy little")
        } else {
            text += "\n  below a global batch of about that size, more processes scale near-linearly; above it, they buy little"
        }
        return text
    }
}

/// The noise scale as JSON: `value`, `standard_error`, `small_batch`, `big_batch`, `measurements`,
/// `gradient_norm_squared`, `trace_covariance` (null for a non-finite number), and `estimate: true`.
package struct NoiseScaleObject: Encodable {
    let scale: GradientNoiseScale
    package init(_ scale: GradientNoiseScale) { self.scale = scale }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TrainSummary.Key.self)
        try container.encodeNumber(scale.value, forKey: .init("value"))
        try container.encodeNumber(scale.standardError, forKey: .init("standard_error"))
        try container.encode(scale.smallBatch, forKey: .init("small_batch"))
        try container.encode(scale.bigBatch, forKey: .init("big_batch"))
        try container.encode(scale.measurements, forKey: .init("measurements"))
        try container.encodeNumber(scale.gradientNormSquared, forKey: .init("gradient_norm_squared"))
        try container.encodeNumber(scale.traceCovariance, forKey: .init("trace_covariance"))
        try container.encode(true, forKey: .init("estimate"))
    }
}
