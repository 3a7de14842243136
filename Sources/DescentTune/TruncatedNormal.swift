import Foundation

/// The normal distribution N(μ, σ²) truncated to `[low, high]`: the kernel of TPE's Parzen
/// estimators (Optuna's `_truncnorm`).
///
///     pdf(x) = φ((x − μ)/σ) / (σ · (Φ(b) − Φ(a))),   a = (low − μ)/σ,  b = (high − μ)/σ
///
/// Sampling inverts the CDF: `x = μ + σ Φ⁻¹(Φ(a) + u (Φ(b) − Φ(a)))`, computed in the upper
/// tail by symmetry so that a kernel far from its bounds stays accurate.
///
/// ```swift
/// let kernel = TruncatedNormal(mean: 0, deviation: 1, low: 0, high: .infinity)
/// kernel.logDensity(0)   // log(2 φ(0)) = log(0.7979) ≈ −0.2258
/// ```
struct TruncatedNormal {
    var mean: Double
    var deviation: Double
    var low: Double
    var high: Double

    /// Φ(z), the standard normal CDF.
    static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Φ(b) − Φ(a) for a ≤ b, accurate in both tails.
    static func mass(_ a: Double, _ b: Double) -> Double {
        if a > 0 { return 0.5 * (erfc(a / 2.0.squareRoot()) - erfc(b / 2.0.squareRoot())) }
        if b < 0 { return 0.5 * (erfc(-b / 2.0.squareRoot()) - erfc(-a / 2.0.squareRoot())) }
        return 1 - 0.5 * erfc(-a / 2.0.squareRoot()) - 0.5 * erfc(b / 2.0.squareRoot())
    }

    /// Φ⁻¹(p): Acklam's rational approximation refined by one Halley step (error < 1e-15 in the body).
    static func quantile(_ p: Double) -> Double {
        if p <= 0 { return -.infinity }
        if p >= 1 { return .infinity }
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let low = 0.02425
        var x: Double
        if p < low {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - low {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        let e = cdf(x) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        x -= u / (1 + x * u / 2)
        return x
    }

    /// A draw from the truncated kernel, given a uniform `u` in [0, 1).
    func sample(uniform u: Double) -> Double {
        var a = (low - mean) / deviation, b = (high - mean) / deviation
        // Work in the lower half-line, where Φ has its precision.
        let flipped = a > 0
        if flipped { (a, b) = (-b, -a) }
        let lowerCDF = Self.cdf(a)
        let z = Self.quantile(lowerCDF + u * Self.mass(a, b))
        let standard = Swift.min(Swift.max(flipped ? -z : z, (low - mean) / deviation), (high - mean) / deviation)
        return mean + deviation * standard
    }

    /// log pdf(x) of the truncated kernel (−∞ outside `[low, high]`).
    func logDensity(_ x: Double) -> Double {
        guard x >= low, x <= high else { return -.infinity }
        let z = (x - mean) / deviation
        let normalizer = Swift.max(Self.mass((low - mean) / deviation, (high - mean) / deviation), 1e-300)
        return -0.5 * z * z - log(deviation) - 0.5 * log(2 * Double.pi) - log(normalizer)
    }

    /// log P(lower ≤ X ≤ upper) for the truncated kernel: the mass of one integer's bin.
    func logMass(from lower: Double, to upper: Double) -> Double {
        let a = (Swift.max(lower, low) - mean) / deviation, b = (Swift.min(upper, high) - mean) / deviation
        guard b > a else { return -.infinity }
        let normalizer = Swift.max(Self.mass((low - mean) / deviation, (high - mean) / deviation), 1e-300)
        return log(Swift.max(Self.mass(a, b), 1e-300)) - log(normalizer)
    }
}
