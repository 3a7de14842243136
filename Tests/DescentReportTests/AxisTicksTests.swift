import DescentReport
import XCTest

final class AxisTicksTests: XCTestCase {
    func testNiceStepIsOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(AxisTicks.niceStep(0.1714), 0.2, accuracy: 1e-15)
        XCTAssertEqual(AxisTicks.niceStep(0.2), 0.2, accuracy: 1e-15)
        XCTAssertEqual(AxisTicks.niceStep(3), 5)
        XCTAssertEqual(AxisTicks.niceStep(7), 10)
        XCTAssertEqual(AxisTicks.niceStep(1), 1)
        XCTAssertEqual(AxisTicks.niceStep(1.2e-6), 2e-6, accuracy: 1e-20)
        XCTAssertEqual(AxisTicks.niceStep(4200), 5000)
    }

    func testLinearTicksCoverTheDataInWholeSteps() {
        // (0.87 − 0.013) / 5 = 0.1714 → step 0.2; the axis widens to 0…1.
        let ticks = AxisTicks.linear(low: 0.013, high: 0.87, targetCount: 5)
        XCTAssertEqual(ticks.step, 0.2, accuracy: 1e-15)
        XCTAssertEqual(ticks.low, 0)
        XCTAssertEqual(ticks.high, 1, accuracy: 1e-12)
        XCTAssertEqual(ticks.values.count, 6)
        for (value, expected) in zip(ticks.values, [0, 0.2, 0.4, 0.6, 0.8, 1.0]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
        XCTAssertEqual(ticks.values.map { ChartNumberFormat.linearTick($0, step: ticks.step) }, ["0", "0.2", "0.4", "0.6", "0.8", "1"])
    }

    func testLinearTicksEndExactlyOnAMultiple() {
        // 0.6 / 0.2 is 2.9999999999999996 in floating point; the axis must still end at 0.6, not 0.8.
        let ticks = AxisTicks.linear(low: 0, high: 0.6, targetCount: 3)
        XCTAssertEqual(ticks.step, 0.2, accuracy: 1e-15)
        XCTAssertEqual(ticks.high, 0.6, accuracy: 1e-12)
        XCTAssertEqual(ticks.values.count, 4)
    }

    func testNegativeRangeAndIntegerSteps() {
        let ticks = AxisTicks.linear(low: -37, high: 112, targetCount: 5)
        XCTAssertEqual(ticks.step, 50)
        XCTAssertEqual(ticks.values, [-50, 0, 50, 100, 150])
        let epochs = AxisTicks.linear(low: 1, high: 3, targetCount: 8, integersOnly: true)
        XCTAssertEqual(epochs.values, [1, 2, 3])
    }

    /// Epochs count from 1: an epoch axis whose tick step is above 1 starts at epoch 1, labelled, not at an epoch 0.
    func testEpochAxisWithAStepAboveOneStartsAtTheFirstEpoch() {
        let twenty = AxisTicks.linear(low: 1, high: 20, targetCount: 4, integersOnly: true)
        XCTAssertEqual(twenty.step, 5)
        XCTAssertEqual(twenty.low, 1)
        XCTAssertEqual(twenty.high, 20)
        XCTAssertEqual(twenty.values, [1, 5, 10, 15, 20])
        // Step 2 over epochs 1…9: 1, then 2 is half a step above it and kept, … up to 10 (the axis ends on a whole step).
        let nine = AxisTicks.linear(low: 1, high: 9, targetCount: 5, integersOnly: true)
        XCTAssertEqual(nine.step, 2)
        XCTAssertEqual(nine.values, [1, 2, 4, 6, 8, 10])
        XCTAssertEqual(nine.low, 1)
        // A resumed run's epochs 11…30 are on whole steps already; real numbers from 0.5 still start at a whole step (0).
        XCTAssertEqual(AxisTicks.linear(low: 11, high: 30, targetCount: 4, integersOnly: true).values, [10, 15, 20, 25, 30])
        XCTAssertEqual(AxisTicks.linear(low: 0.5, high: 20, targetCount: 4).low, 0)
        // Trial numbers from 0 keep their 0.
        XCTAssertEqual(AxisTicks.linear(low: 0, high: 20, targetCount: 4, integersOnly: true).values, [0, 5, 10, 15, 20])
    }

    func testConstantAndNonFiniteRangesStillGiveAnAxis() {
        let constant = AxisTicks.linear(low: 5, high: 5)
        XCTAssertLessThan(constant.low, 5)
        XCTAssertGreaterThan(constant.high, 5)
        let zero = AxisTicks.linear(low: 0, high: 0)
        XCTAssertEqual(zero.low, -1)
        XCTAssertEqual(zero.high, 1)
        let broken = AxisTicks.linear(low: .nan, high: .infinity)
        XCTAssertEqual(broken.low, 0)
        XCTAssertEqual(broken.high, 1)
    }

    func testLogTicksAreDecades() {
        let ticks = AxisTicks.logarithmic(low: 1e-5, high: 1e-1)
        XCTAssertEqual(ticks.values.count, 5)
        for (value, exponent) in zip(ticks.values, -5...(-1)) {
            XCTAssertEqual(value, pow(10, Double(exponent)), accuracy: pow(10, Double(exponent)) * 1e-12)
        }
        XCTAssertEqual(ticks.values.map(ChartNumberFormat.logTick), ["1e-5", "1e-4", "0.001", "0.01", "0.1"])
        // Data inside decades widens to whole decades.
        let widened = AxisTicks.logarithmic(low: 3e-5, high: 0.08)
        XCTAssertEqual(widened.low, 1e-5, accuracy: 1e-18)
        XCTAssertEqual(widened.high, 0.1, accuracy: 1e-15)
    }

    func testNarrowLogRangeAddsTwoAndFive() {
        let ticks = AxisTicks.logarithmic(low: 0.3, high: 0.9)
        XCTAssertEqual(ticks.values.map(ChartNumberFormat.logTick), ["0.2", "0.5", "1"])
        XCTAssertEqual(ticks.low, 0.2, accuracy: 1e-15)
        let loss = AxisTicks.logarithmic(low: 0.12, high: 1.2)
        XCTAssertEqual(loss.values.map(ChartNumberFormat.logTick), ["0.1", "0.2", "0.5", "1", "2"])
        let constant = AxisTicks.logarithmic(low: 0.003, high: 0.003)
        XCTAssertEqual(constant.values.map(ChartNumberFormat.logTick), ["0.002", "0.005"])
    }

    func testWideLogRangeSkipsDecades() {
        let ticks = AxisTicks.logarithmic(low: 1e-20, high: 1e20)
        XCTAssertLessThanOrEqual(ticks.values.count, 9)
        XCTAssertEqual(ticks.low, 1e-20)
        XCTAssertGreaterThanOrEqual(ticks.high, 1e20)
    }

    func testLogTicksWithNonPositiveEndsFallBack() {
        let ticks = AxisTicks.logarithmic(low: 0, high: -3)
        XCTAssertEqual(ticks.low, 1)
        XCTAssertEqual(ticks.high, 10)
    }

    func testNumberFormatsAreFixed() {
        XCTAssertEqual(ChartNumberFormat.coordinate(12.345), "12.35")
        XCTAssertEqual(ChartNumberFormat.coordinate(-0.001), "0.00")
        XCTAssertEqual(ChartNumberFormat.linearTick(2.5e-5, step: 5e-6), "2.5e-5")
        XCTAssertEqual(ChartNumberFormat.linearTick(1500, step: 500), "1500")
        XCTAssertEqual(ChartNumberFormat.value(0.000123456), "1.235e-4")
        XCTAssertEqual(ChartNumberFormat.value(3.14159), "3.142")
        XCTAssertEqual(ChartNumberFormat.value(.nan), "nan")
        XCTAssertEqual(ChartNumberFormat.value(-.infinity), "-inf")
    }

    func testLogTicksOfAnyPositiveSpanAreOrderedAndFinite() {
        // Was: low 1e305 … high 1e308 (a logged loss of 1e308) trapped with an index past the end.
        let exponents = stride(from: -330.0, through: 308, by: 7).map { pow(10, $0) } + [1e308, .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        for low in exponents {
            for high in exponents where high >= low {
                let ticks = AxisTicks.logarithmic(low: low, high: high)
                XCTAssertGreaterThanOrEqual(ticks.values.count, 2, "\(low)…\(high)")
                XCTAssertTrue(ticks.values.allSatisfy { $0.isFinite && $0 > 0 }, "\(low)…\(high): \(ticks.values)")
                XCTAssertEqual(ticks.values, ticks.values.sorted(), "\(low)…\(high)")
                XCTAssertLessThan(ticks.low, ticks.high, "\(low)…\(high)")
            }
        }
    }
}
