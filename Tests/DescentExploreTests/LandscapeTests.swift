import DescentExplore
import XCTest

/// The landscapes' gradients and Hessians against central finite differences, and their known minima and limits.
final class LandscapeTests: XCTestCase {
    private let probes: [(Double, Double)] = [(-1.2, 1), (0.3, -0.7), (1.7, 0.4), (-0.5, 2.2)]

    func testGradientsMatchFiniteDifferences() {
        for landscape in Landscape.allCases {
            for (x, y) in probes {
                let h = 1e-6
                let numeric = ((landscape.value(x: x + h, y: y) - landscape.value(x: x - h, y: y)) / (2 * h),
                               (landscape.value(x: x, y: y + h) - landscape.value(x: x, y: y - h)) / (2 * h))
                let exact = landscape.gradient(x: x, y: y)
                let scale = Swift.max(1, Swift.abs(exact.x), Swift.abs(exact.y))
                XCTAssertEqual(exact.x, numeric.0, accuracy: 1e-5 * scale, "\(landscape) ∂x at (\(x), \(y))")
                XCTAssertEqual(exact.y, numeric.1, accuracy: 1e-5 * scale, "\(landscape) ∂y at (\(x), \(y))")
            }
        }
    }

    func testHessiansMatchFiniteDifferencesOfTheGradient() {
        for landscape in Landscape.allCases {
            for (x, y) in probes {
                let h = 1e-5
                let xx = (landscape.gradient(x: x + h, y: y).x - landscape.gradient(x: x - h, y: y).x) / (2 * h)
                let xy = (landscape.gradient(x: x, y: y + h).x - landscape.gradient(x: x, y: y - h).x) / (2 * h)
                let yy = (landscape.gradient(x: x, y: y + h).y - landscape.gradient(x: x, y: y - h).y) / (2 * h)
                let exact = landscape.hessian(x: x, y: y)
                let scale = Swift.max(1, Swift.abs(exact.xx), Swift.abs(exact.yy))
                XCTAssertEqual(exact.xx, xx, accuracy: 1e-5 * scale, "\(landscape) f_xx")
                XCTAssertEqual(exact.xy, xy, accuracy: 1e-5 * scale, "\(landscape) f_xy")
                XCTAssertEqual(exact.yy, yy, accuracy: 1e-5 * scale, "\(landscape) f_yy")
            }
        }
    }

    func testMinimaAreZeroWithZeroGradientAndInsideTheDomain() {
        for landscape in Landscape.allCases {
            for minimum in landscape.minima {
                XCTAssertEqual(landscape.value(x: minimum.x, y: minimum.y), 0, accuracy: 1e-9, "\(landscape)")
                let gradient = landscape.gradient(x: minimum.x, y: minimum.y)
                XCTAssertEqual(gradient.x, 0, accuracy: 1e-4, "\(landscape)")
                XCTAssertEqual(gradient.y, 0, accuracy: 1e-4, "\(landscape)")
                XCTAssertTrue(landscape.contains(x: minimum.x, y: minimum.y))
            }
            XCTAssertTrue(landscape.contains(x: landscape.defaultStart.x, y: landscape.defaultStart.y))
        }
    }

    func testStabilityLimitsAreTwoOverTheLargestCurvature() {
        XCTAssertEqual(Landscape.bowl.stabilityLimit, 1)            // H = 2I
        XCTAssertEqual(Landscape.ravine.stabilityLimit, 0.1)        // H = diag(1, 20)
        // Rosenbrock at (1, 1): H = [[802, −400], [−400, 200]], λmax = 501 + √(301² + 400²) = 1001.6006…
        let rosenbrockCurvature: Double = 501 + (301.0 * 301.0 + 400.0 * 400.0).squareRoot()
        XCTAssertEqual(Landscape.rosenbrock.stabilityLimit, 2 / rosenbrockCurvature, accuracy: 1e-15)
        // Himmelblau at (3, 2): H = [[74, 20], [20, 34]], λmax = 54 + √800.
        let himmelblauCurvature: Double = 54 + 800.0.squareRoot()
        XCTAssertEqual(Landscape.himmelblau.stabilityLimit, 2 / himmelblauCurvature, accuracy: 1e-12)
    }
}
