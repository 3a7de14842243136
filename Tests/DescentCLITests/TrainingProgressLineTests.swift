@testable import DescentCLI
@testable import DescentCLITrain
import Descent
import XCTest

/// The live progress line: what it shows, how often it redraws, and that it erases itself before other output.
final class TrainingProgressLineTests: XCTestCase {
    func testTheLineShowsEpochStepLossRateAndTimeLeftAndRedrawsAtMostTenTimesASecond() {
        var written: [String] = []
        nonisolated(unsafe) var now = 0.0
        let line = TrainingProgressLine(epochs: 2, stepsPerEpoch: 4, write: { written.append($0) }, clock: { now })
        for step in 1...4 {
            now += 0.04   // 25 steps a second
            line.record(.stepEnded(step: step, loss: 2, learningRate: 0.003))
        }
        // Drawn at 0.04 s, then not before 0.14 s: steps 1 and 4 (at 0.16 s).
        XCTAssertEqual(written.count, 2)
        XCTAssertEqual(written[0], "\repoch 1/2  step 1/8  loss 2  lr 3.00e-03  ETA 0s\u{1B}[K")
        // 4 steps in 0.16 s, 4 to go: 0.16 s left, shown rounded.
        XCTAssertEqual(written[1], "\repoch 1/2  step 4/8  loss 2  lr 3.00e-03  ETA 0s\u{1B}[K")
        line.record(.epochEnded(TrainingRecord(epoch: 1, step: 4, learningRate: 0.003, trainingLoss: 2)))
        XCTAssertEqual(written.last, "\r\u{1B}[K", "erased before the epoch's line is printed")
        now += 100
        line.record(.stepEnded(step: 5, loss: 1, learningRate: 0.003))
        XCTAssertTrue(written.last!.hasPrefix("\repoch 2/2  step 5/8  loss 1.792"), written.last!)   // smoothed: β = 0.98, debiased
        XCTAssertTrue(written.last!.contains("ETA 1m00s"), written.last!)   // 100.16 s for 5 steps, 3 to go
        line.clear()
        line.clear()
        XCTAssertEqual(written.filter { $0 == "\r\u{1B}[K" }.count, 2, "a cleared line is not cleared twice")
    }

    func testDurationsReadAsATerminalShowsThem() {
        XCTAssertEqual(TrainingProgressLine.duration(12.4), "12s")
        XCTAssertEqual(TrainingProgressLine.duration(185), "3m05s")
        XCTAssertEqual(TrainingProgressLine.duration(3720), "1h02m")
        XCTAssertEqual(TrainingProgressLine.duration(.infinity), "?")
    }

    func testNoLineWithJSONOrWithoutATerminal() {
        XCTAssertFalse(TrainingProgressLine.isEnabled(json: true))
        // The test runner's outputs are files or pipes, not terminals.
        XCTAssertEqual(TrainingProgressLine.isEnabled(json: false), isatty(STDOUT_FILENO) == 1 && isatty(STDERR_FILENO) == 1)
    }
}
