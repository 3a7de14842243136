import DescentTrain
import Foundation
import XCTest

/// The graded confidence on curves built to be clear, noisy or unfinished.
final class RangeTestConfidenceTests: XCTestCase {
    private let rates = (0..<100).map { 1e-7 * Foundation.pow(1e8, Double($0) / 100) }

    /// Deterministic noise in [−amplitude, amplitude].
    private func noise(_ index: Int, _ amplitude: Double) -> Double {
        amplitude * Foundation.sin(Double(index) * 12.9898 + 78.233)
    }

    private func result(raw: [Double], diverged: Bool) throws -> RangeTestResult {
        var smoother = SmoothedLoss()
        let smoothed = raw.map { smoother.add($0) }
        return RangeTestResult(settings: try LearningRateRangeTest(), learningRates: Array(rates.prefix(raw.count)),
                               rawLosses: raw, smoothedLosses: smoothed, diverged: diverged)
    }

    func testAClearDescentThatBlowsUpIsHighConfidence() throws {
        // Falls from 2.3 to 0.3 around 1e-3, rises steeply after 0.3; noise ±0.02.
        let raw = (0..<90).map { index -> Double in
            let rate = rates[index]
            return 2.3 - 2 / (1 + Foundation.pow(1e-3 / rate, 1.5)) + (rate > 0.3 ? 20 * (rate - 0.3) : 0) + noise(index, 0.02)
        }
        let outcome = try result(raw: raw, diverged: true)
        let confidence = outcome.confidence
        XCTAssertEqual(confidence.level, .high, confidence.reasons.joined(separator: "; "))
        XCTAssertGreaterThan(confidence.signalToNoise, 8)
        XCTAssertTrue(confidence.finished)
        XCTAssertEqual(confidence.keptPoints, 75)
        XCTAssertEqual(confidence.reasons.count, 4)
        XCTAssertTrue(confidence.reasons.contains { $0.contains("blew up") })
    }

    func testNoiseWithoutADescentIsLowConfidence() throws {
        // A flat loss of 2.3 with ±0.3 noise.
        let raw = (0..<100).map { 2.3 + noise($0, 0.3) }
        let confidence = try result(raw: raw, diverged: false).confidence
        XCTAssertEqual(confidence.level, .low)
        XCTAssertLessThan(confidence.signalToNoise, 3)
        XCTAssertTrue(confidence.reasons[0].contains("noise"), confidence.reasons[0])
    }

    func testASweepThatNeverTurnsUpIsAtMostMedium() throws {
        // Still falling at the last rate.
        let raw = (0..<100).map { 2.3 - 2 * Double($0) / 100 + noise($0, 0.01) }
        let confidence = try result(raw: raw, diverged: false).confidence
        XCTAssertFalse(confidence.finished)
        XCTAssertLessThanOrEqual(confidence.level, .medium, confidence.reasons.joined(separator: "; "))
        XCTAssertTrue(confidence.reasons.contains { $0.contains("never blew up") }, confidence.reasons.joined(separator: "; "))
        // On a straight line there is no steepest point: the suggestions scatter, and the grade says so.
        XCTAssertEqual(confidence.level, .low)
        XCTAssertGreaterThan(try XCTUnwrap(confidence.spreadDecades), 3)
    }

    func testAnEarlyBlowUpLeavesTooFewPoints() throws {
        let raw = (0..<30).map { $0 < 25 ? 2.3 - 0.01 * Double($0) : 100 }
        let outcome = try result(raw: raw, diverged: true)
        XCTAssertEqual(outcome.confidence.keptPoints, 15)
        XCTAssertEqual(outcome.confidence.level, .low)
        XCTAssertNotNil(outcome.suggestions)
    }

    func testLevelsAreOrdered() {
        XCTAssertLessThan(RangeTestConfidence.Level.low, .medium)
        XCTAssertLessThan(RangeTestConfidence.Level.medium, .high)
    }
}
