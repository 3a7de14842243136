import DescentDiagnosis
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

/// Rollbacks placed on the epoch axis in the order things happened.
final class RollbackEpochPositionTests: XCTestCase {
    /// The pattern of SGD at 20 on iris (4 steps an epoch): steps 1…10, rollback to the start, 1…10,
    /// rollback to the start, 1…8; epochs end at steps 4, 8 of each attempt. The rollbacks come after
    /// epochs 2 and 4, two steps into the next: 2.5 and 4.5.
    func testRollbacksAfterRewindsSitWhereTheyHappened() {
        var curves = TrainingCurves()
        func steps(_ range: ClosedRange<Int>) { for step in range { curves.record(.stepEnded(step: step, loss: 1, learningRate: 0.1, gradientNorm: nil)) } }
        func epoch(_ number: Int, _ step: Int) { curves.record(.epochEnded(TrainingRecord(epoch: number, step: step, learningRate: 0.1, trainingLoss: 1))) }
        steps(1...4); epoch(1, 4); steps(5...8); epoch(2, 8); steps(9...10)
        curves.record(.rolledBack(step: 10, loss: 1e16, rateScale: 0.5))
        steps(1...4); epoch(3, 4); steps(5...8); epoch(4, 8); steps(9...10)
        curves.record(.rolledBack(step: 10, loss: 3e5, rateScale: 0.25))
        steps(1...4); epoch(5, 4); steps(5...8); epoch(6, 8)
        XCTAssertEqual(curves.rollbackEpochPositions(stepsPerEpoch: 4), [2.5, 4.5])
    }

    /// The demo's pattern: 45 steps an epoch, a rollback at step 58 back to step 45: 1 + 13/45.
    func testARollbackInsideAnEpoch() {
        var curves = TrainingCurves()
        for step in 1...58 {
            curves.record(.stepEnded(step: step, loss: 1, learningRate: 0.1, gradientNorm: nil))
            if step == 45 { curves.record(.epochEnded(TrainingRecord(epoch: 1, step: 45, learningRate: 0.1, trainingLoss: 1))) }
        }
        curves.record(.rolledBack(step: 58, loss: 60, rateScale: 0.5))
        for step in 46...90 { curves.record(.stepEnded(step: step, loss: 1, learningRate: 0.05, gradientNorm: nil)) }
        let positions = curves.rollbackEpochPositions(stepsPerEpoch: 45)
        XCTAssertEqual(positions.count, 1)
        XCTAssertEqual(positions.first ?? 0, 1 + 13.0 / 45, accuracy: 1e-12)
    }
}
