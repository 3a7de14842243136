import DescentTrain
import XCTest

/// The kept path and the discarded attempts of a run the guard rolled back.
final class TrainingAttemptsTests: XCTestCase {
    private func steps(_ numbers: [Int]) -> [TrainingCurves.Step] {
        numbers.enumerated().map { index, step in TrainingCurves.Step(step: step, loss: Double(index), learningRate: 0.1) }
    }

    /// The example of the documentation: two rollbacks to the state after step 2.
    func testEachStepIsKeptOnceFromItsLastAttempt() {
        let attempts = TrainingAttempts(steps: steps([1, 2, 3, 4, 5, 3, 4, 3, 4, 5, 6]))
        XCTAssertEqual(attempts.kept.map(\.step), [1, 2, 3, 4, 5, 6])
        // The kept steps are the last attempt's: indices 7…10 of the input (their losses are the input's index).
        XCTAssertEqual(attempts.kept.map(\.loss), [0, 1, 7, 8, 9, 10])
        XCTAssertEqual(attempts.discarded.map { $0.steps.map(\.step) }, [[3, 4, 5], [3, 4]])
        XCTAssertEqual(attempts.discarded.map(\.restartedAfter), [2, 2])
    }

    func testARollbackFurtherBackDiscardsEverythingAfterIt() {
        let attempts = TrainingAttempts(steps: steps([1, 2, 3, 4, 2, 3]))
        XCTAssertEqual(attempts.kept.map(\.step), [1, 2, 3])
        XCTAssertEqual(attempts.discarded.map { $0.steps.map(\.step) }, [[2, 3, 4]])
        XCTAssertEqual(attempts.discarded.first?.restartedAfter, 1)
    }

    func testARunWithoutRollbacksKeepsEverything() {
        let attempts = TrainingAttempts(steps: steps(Array(1...10)))
        XCTAssertEqual(attempts.kept.count, 10)
        XCTAssertTrue(attempts.discarded.isEmpty)
    }
}
