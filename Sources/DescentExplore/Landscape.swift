import Foundation

/// A loss of two variables to watch an optimizer on: the classic test functions of optimization,
/// with their gradients, Hessians, minima and a region to draw.
///
/// | name | f(x, y) | minimum | region |
/// | --- | --- | --- | --- |
/// | bowl | x² + y² | 0 at (0, 0) | [−2, 2]² |
/// | ravine | x²/2 + 10 y² | 0 at (0, 0) | [−3, 3] × [−1.5, 1.5] |
/// | rosenbrock | (1 − x)² + 100 (y − x²)² | 0 at (1, 1) | [−2, 2] × [−1, 3] |
/// | himmelblau | (x² + y − 11)² + (x + y² − 7)² | 0 at (3, 2) and three more | [−5, 5]² |
/// | beale | (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)² | 0 at (3, 0.5) | [−4.5, 4.5]² |
///
/// Gradient descent with rate η on a quadratic with Hessian H is stable exactly when
/// η < 2/λmax(H): each eigen-direction is multiplied by (1 − ηλ) per step. The bowl (H = 2I)
/// and the ravine (H = diag(1, 20)) are quadratics, so their limits 1 and 0.1 hold everywhere;
/// for the others ``stabilityLimit`` is that of the Hessian at the minimum, the limit for
/// settling there (Rosenbrock: 2/1001.6 ≈ 0.0020). References: H. H. Rosenbrock, Computer
/// Journal 3 (1960); D. M. Himmelblau, "Applied Nonlinear Programming" (1972); E. M. L. Beale,
/// "On an iterative method for finding a local minimum" (1958); for the limit, Y. Nesterov,
/// "Introductory Lectures on Convex Optimization" (2004), §1.2.3.
///
/// Example: `Landscape.bowl.value(x: 1, y: 2)` is 5, `Landscape.bowl.gradient(x: 1, y: 2)` is (2, 4),
/// `Landscape.bowl.stabilityLimit` is 1.
public enum Landscape: String, CaseIterable, Sendable, Codable {
    case bowl, ravine, rosenbrock, himmelblau, beale

    /// The formula, as text.
    public var formula: String {
        switch self {
        case .bowl: return "f(x, y) = x² + y²"
        case .ravine: return "f(x, y) = x²/2 + 10·y²"
        case .rosenbrock: return "f(x, y) = (1 − x)² + 100·(y − x²)²"
        case .himmelblau: return "f(x, y) = (x² + y − 11)² + (x + y² − 7)²"
        case .beale: return "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
        }
    }

    /// The region drawn, and where a start point must lie.
    public var domain: (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        switch self {
        case .bowl: return (-2...2, -2...2)
        case .ravine: return (-3...3, -1.5...1.5)
        case .rosenbrock: return (-2...2, -1...3)
        case .himmelblau: return (-5...5, -5...5)
        case .beale: return (-4.5...4.5, -4.5...4.5)
        }
    }

    /// The default start point.
    public var defaultStart: (x: Double, y: Double) {
        switch self {
        case .bowl: return (-1.6, 1.2)
        case .ravine: return (-2.5, 1)
        case .rosenbrock: return (-1.2, 1)
        case .himmelblau: return (0, 0)
        case .beale: return (1, 1)
        }
    }

    /// Three rates for plain gradient descent from the default start: well below, near and above
    /// the stable limit (on Rosenbrock's curved valley even a good rate crawls for hundreds of steps).
    public var suggestedRates: [Double] {
        switch self {
        case .bowl: return [0.01, 0.5, 1.05]
        case .ravine: return [0.01, 0.05, 0.105]
        case .rosenbrock: return [2e-4, 1.5e-3, 2.5e-3]
        case .himmelblau: return [0.001, 0.01, 0.03]
        case .beale: return [0.001, 0.01, 0.1]
        }
    }

    /// The global minima (all with value ``minimumValue``).
    public var minima: [(x: Double, y: Double)] {
        switch self {
        case .bowl, .ravine: return [(0, 0)]
        case .rosenbrock: return [(1, 1)]
        case .himmelblau: return [(3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)]
        case .beale: return [(3, 0.5)]
        }
    }

    /// The lowest value, f* (0 for all five).
    public var minimumValue: Double { 0 }

    /// Whether f is quadratic, so its Hessian (and stability limit) is the same everywhere.
    public var isQuadratic: Bool { self == .bowl || self == .ravine }

    /// f(x, y).
    public func value(x: Double, y: Double) -> Double {
        switch self {
        case .bowl: return x * x + y * y
        case .ravine: return 0.5 * x * x + 10 * y * y
        case .rosenbrock: return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x)
        case .himmelblau:
            let a = x * x + y - 11, b = x + y * y - 7
            return a * a + b * b
        case .beale:
            let (u1, u2, u3) = Self.bealeTerms(x, y)
            return u1 * u1 + u2 * u2 + u3 * u3
        }
    }

    /// ∇f(x, y) = (∂f/∂x, ∂f/∂y).
    public func gradient(x: Double, y: Double) -> (x: Double, y: Double) {
        switch self {
        case .bowl: return (2 * x, 2 * y)
        case .ravine: return (x, 20 * y)
        case .rosenbrock: return (-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x))
        case .himmelblau:
            let a = x * x + y - 11, b = x + y * y - 7
            return (4 * x * a + 2 * b, 2 * a + 4 * y * b)
        case .beale:
            let (u1, u2, u3) = Self.bealeTerms(x, y)
            return (2 * u1 * (y - 1) + 2 * u2 * (y * y - 1) + 2 * u3 * (y * y * y - 1),
                    2 * u1 * x + 4 * u2 * x * y + 6 * u3 * x * y * y)
        }
    }

    /// The Hessian (f_xx, f_xy, f_yy) at (x, y): closed forms, and for Beale central differences
    /// of the exact gradient (step 10⁻⁵, error about 10⁻⁹ relative).
    public func hessian(x: Double, y: Double) -> (xx: Double, xy: Double, yy: Double) {
        switch self {
        case .bowl: return (2, 0, 2)
        case .ravine: return (1, 0, 20)
        case .rosenbrock: return (2 - 400 * (y - x * x) + 800 * x * x, -400 * x, 200)
        case .himmelblau: return (12 * x * x + 4 * y - 42, 4 * (x + y), 12 * y * y + 4 * x - 26)
        case .beale:
            let h = 1e-5
            let (px, mx) = (gradient(x: x + h, y: y), gradient(x: x - h, y: y))
            let (py, my) = (gradient(x: x, y: y + h), gradient(x: x, y: y - h))
            return ((px.x - mx.x) / (2 * h), ((px.y - mx.y) + (py.x - my.x)) / (4 * h), (py.y - my.y) / (2 * h))
        }
    }

    /// The largest eigenvalue of the Hessian at (x, y): (a + c)/2 + √(((a − c)/2)² + b²).
    public func largestCurvature(x: Double, y: Double) -> Double {
        let h = hessian(x: x, y: y)
        return (h.xx + h.yy) / 2 + (((h.xx - h.yy) / 2) * ((h.xx - h.yy) / 2) + h.xy * h.xy).squareRoot()
    }

    /// 2/λmax at the first minimum: the largest stable rate of plain gradient descent there
    /// (everywhere, for the quadratic bowl and ravine). Bowl 1, ravine 0.1, Rosenbrock ≈ 0.001997.
    public var stabilityLimit: Double {
        let minimum = minima[0]
        return 2 / largestCurvature(x: minimum.x, y: minimum.y)
    }

    /// Whether (x, y) lies in the drawn region.
    public func contains(x: Double, y: Double) -> Bool {
        domain.x.contains(x) && domain.y.contains(y)
    }

    private static func bealeTerms(_ x: Double, _ y: Double) -> (Double, Double, Double) {
        (1.5 - x + x * y, 2.25 - x + x * y * y, 2.625 - x + x * y * y * y)
    }
}
