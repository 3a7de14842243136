import DescentTrain
import Foundation
import XCTest

/// fastai's suggestion rules on curves whose answers are known by hand.
final class RangeTestSuggestionTests: XCTestCase {
    /// The default sweep: 1e-7 → 10 over 100 iterations; rate(i) = 1e-7 · 10^(8i/100).
    private let rates = (0..<100).map { 1e-7 * Foundation.pow(1e8, Double($0) / 100) }

    /// What fastai returns for the rate at index i: the Float32 rate.
    private func fastaiRate(_ index: Int) -> Double { Double(Float(rates[index])) }

    func testRatesFollowTheExponentialSweep() throws {
        let test = try LearningRateRangeTest()
        XCTAssertEqual(test.learningRates.count, 100)
        XCTAssertEqual(test.learningRate(at: 0), 1e-7)
        XCTAssertEqual(test.learningRate(at: 50), 1e-3, accuracy: 1e-15)
        XCTAssertEqual(test.learningRate(at: 100), 10, accuracy: 1e-12)
        XCTAssertEqual(test.learningRate(at: 1) / test.learningRate(at: 0), Foundation.pow(10, 0.08), accuracy: 1e-12)
    }

    func testMinimumIsATenthOfTheRateAtTheLowestLoss() throws {
        // A V in log rate with its bottom at index 50 (rate 1e-3).
        let losses = (0..<100).map { Swift.abs(Double($0) - 50) / 100 + 1 }
        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: losses, iterations: 100)
        XCTAssertEqual(suggestions.minimum, fastaiRate(50) / 10)
        XCTAssertEqual(suggestions.minimum, 1e-4, accuracy: 1e-10)
    }

    func testSteepIsTheStartOfTheSteepestFall() throws {
        // A gentle slope with one cliff between index 40 and 41.
        let losses: [Double] = (0..<100).map { index -> Double in
            let cliff: Double = index > 40 ? 1 : 0
            return 3 - 0.001 * Double(index) - cliff
        }
        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: losses, iterations: 100)
        XCTAssertEqual(suggestions.steep, fastaiRate(40))
    }

    func testValleyIsHalfWayThroughTheMiddleThirdOfTheLongestDescent() throws {
        // Strictly falling from index 10 (the first kept) to 70, then far above everything.
        // Kept index j = i − 10: the longest decreasing run ends at j = 60 with length 61, so
        // fastai's start is 60 − 61 = −1, s = 61/3, and the index is −1 + 20 + 10 = 29 → i = 39.
        let losses: [Double] = (0..<100).map { (index: Int) -> Double in
            index <= 70 ? 2 - 0.01 * Double(index - 10) : 5 + Double(index - 70)
        }
        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: losses, iterations: 100)
        XCTAssertEqual(suggestions.valley, fastaiRate(39))
        XCTAssertEqual(suggestions.valley, 1.3182567e-4, accuracy: 1e-10)
    }

    func testSlideStopsAtOnceOnAStraightLineAndRunsToTheStartOnAParabola() throws {
        // Constant gradient: the first comparison passes, so slide = kept rate n − 16 (kept 10...94: i = 79).
        let line = (0..<100).map { 3 - 0.01 * Double($0) }
        XCTAssertEqual(try LearningRateSuggestions(learningRates: rates, smoothedLosses: line, iterations: 100).slide,
                       fastaiRate(79))
        // loss = 0.001 i²: gradients 15 apart differ by 0.03 > 0.005 everywhere, so the slide reaches the first kept point.
        let parabola = (0..<100).map { 0.001 * Double($0 * $0) }
        XCTAssertEqual(try LearningRateSuggestions(learningRates: rates, smoothedLosses: parabola, iterations: 100).slide,
                       fastaiRate(10))
    }

    func testTheDocumentedExample() throws {
        let losses = rates.map { rate in 2.3 - 1.5 / (1 + Foundation.pow(1e-3 / rate, 2)) + (rate > 1 ? 10 * (rate - 1) : 0) }
        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: losses, iterations: 100)
        // Reference: fastai's functions on the same curve (numpy/float32).
        XCTAssertEqual(suggestions.minimum, 0.09120108485221863, accuracy: 1e-12)
        XCTAssertEqual(suggestions.steep, 0.0008317637839354575, accuracy: 1e-15)
        XCTAssertEqual(suggestions.valley, 0.0006918309954926372, accuracy: 1e-15)
        XCTAssertEqual(suggestions.slide, 0.05754399299621582, accuracy: 1e-12)
    }

    func testTheCurveIsCutAtItsFirstNonFiniteLoss() throws {
        // Lowest at index 60 but NaN from index 40: only 10...39 count, where the loss still falls.
        var losses = (0..<100).map { Swift.abs(Double($0) - 60) / 100 + 1 }
        losses[40] = .nan
        let suggestions = try LearningRateSuggestions(learningRates: rates, smoothedLosses: losses, iterations: 100)
        XCTAssertEqual(suggestions.minimum, fastaiRate(39) / 10)
    }

    func testTooShortACurveIsAnErrorNotATrap() throws {
        let short = Array(rates.prefix(16)), losses = Array(repeating: 1.0, count: 16)
        XCTAssertThrowsError(try LearningRateSuggestions(learningRates: short, smoothedLosses: losses, iterations: 100)) { error in
            XCTAssertEqual(error as? RangeTestError, .tooFewPoints(kept: 1, needed: 2))
        }
        XCTAssertThrowsError(try LearningRateSuggestions(learningRates: rates, smoothedLosses: [1, 2], iterations: 100))
        // 17 points keep 2 (10 and 11): enough, and slide works with its gap shrunk.
        let seventeen = try LearningRateSuggestions(learningRates: Array(rates.prefix(17)),
                                                    smoothedLosses: [Double](repeating: 1, count: 15) + [2, 0.5], iterations: 100)
        XCTAssertEqual(seventeen.minimum, fastaiRate(10) / 10)
    }
}
