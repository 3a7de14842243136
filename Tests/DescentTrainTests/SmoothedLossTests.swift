import DescentTrain
import Foundation
import XCTest

final class SmoothedLossTests: XCTestCase {
    /// Debiased EMA against its closed form Σ β^(t−i)(1−β)xᵢ / (1 − βᵗ).
    func testMatchesTheClosedForm() {
        let losses = [2.0, 1.5, 1.7, 0.9, 1.1, 0.4]
        var smoothed = SmoothedLoss(beta: 0.9)
        for (index, loss) in losses.enumerated() {
            let t = index + 1
            var numerator = 0.0
            for i in 0..<t { numerator += Foundation.pow(0.9, Double(t - 1 - i)) * 0.1 * losses[i] }
            XCTAssertEqual(smoothed.add(loss), numerator / (1 - Foundation.pow(0.9, Double(t))), accuracy: 1e-12)
        }
        XCTAssertEqual(smoothed.count, 6)
    }

    func testMinimumIgnoresNonFiniteValues() {
        var smoothed = SmoothedLoss(beta: 0.5)
        smoothed.add(1)
        smoothed.add(.nan)
        XCTAssertEqual(smoothed.minimum, 1)
    }
}
