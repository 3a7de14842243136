@testable import DescentTune
import XCTest

final class PrunerTests: XCTestCase {
    private func trial(_ number: Int, _ state: TrialState, _ values: [Double], value: Double? = nil) -> TrialRecord {
        var intermediate: [Int: Double] = [:]
        for (index, v) in values.enumerated() { intermediate[index + 1] = v }
        return TrialRecord(id: Int64(number + 1), number: number, state: state, value: value ?? (state == .complete ? values.last : nil),
                           parameters: [:], intermediate: intermediate)
    }

    func testPercentileIsNumPysLinearInterpolation() {
        XCTAssertEqual(MedianPruner.percentile([0.9, 0.5, 0.7], 50), 0.7)
        XCTAssertEqual(MedianPruner.percentile([1, 2], 50), 1.5)
        XCTAssertEqual(MedianPruner.percentile([1, 2, 3, 4], 25), 1.75)
        XCTAssertEqual(MedianPruner.percentile([1, .nan, 3], 50), 2)
    }

    func testMedianPrunerFollowsOptuna() {
        let complete = [trial(0, .complete, [0.9, 0.7, 0.5]), trial(1, .complete, [0.9, 0.8, 0.7]), trial(2, .complete, [1.0, 0.95, 0.9])]
        let pruner = MedianPruner(startupTrials: 3)
        // Best so far 0.75 > median 0.7 at step 3: pruned.
        let worse = trial(3, .running, [0.95, 0.8, 0.75])
        XCTAssertTrue(pruner.shouldPrune(worse, trials: complete + [worse], direction: .minimize))
        // Best so far 0.65 ≤ 0.7: goes on.
        let better = trial(3, .running, [0.95, 0.8, 0.65])
        XCTAssertFalse(pruner.shouldPrune(better, trials: complete + [better], direction: .minimize))
        // The best *over its steps* counts: 0.69 at step 2 is below the step-3 median 0.7.
        let earlyBest = trial(3, .running, [0.95, 0.69, 0.99])
        XCTAssertFalse(pruner.shouldPrune(earlyBest, trials: complete + [earlyBest], direction: .minimize))
        // Too few complete trials, or still warming up: no verdict.
        XCTAssertFalse(MedianPruner(startupTrials: 4).shouldPrune(worse, trials: complete + [worse], direction: .minimize))
        XCTAssertFalse(MedianPruner(startupTrials: 3, warmupSteps: 4).shouldPrune(worse, trials: complete + [worse], direction: .minimize))
        // Fewer than the minimum trials reporting at this step: no verdict.
        XCTAssertFalse(MedianPruner(startupTrials: 3, minimumTrials: 4).shouldPrune(worse, trials: complete + [worse], direction: .minimize))
        // NaN everywhere: pruned.
        let broken = trial(3, .running, [.nan])
        XCTAssertTrue(pruner.shouldPrune(broken, trials: complete + [broken], direction: .minimize))
        // Maximising mirrors it: best 0.75 < median 0.7? no → kept; 0.6 < 0.7 → pruned.
        let low = trial(3, .running, [0.5, 0.55, 0.6])
        XCTAssertTrue(pruner.shouldPrune(low, trials: complete + [low], direction: .maximize))
    }

    func testSuccessiveHalvingRungsAndPromotion() {
        let pruner = SuccessiveHalvingPruner(minimumResource: 1, reductionFactor: 4)
        XCTAssertEqual((0..<3).map { pruner.rungStep($0, minimumResource: 1) }, [1, 4, 16])
        // Eight other trials reached epoch 4 with values 0.1 … 0.8; a new one with 0.25 at epoch 4 ranks 3rd of 9:
        // only the best ⌊9/4⌋ = 2 go on, so it is pruned; 0.15 ranks 2nd and goes on.
        let others = (0..<8).map { trial($0, .pruned, [1, 0.9, 0.9, 0.1 * Double($0 + 1)]) }
        let third = trial(8, .running, [0.5, 0.5, 0.4, 0.25])
        XCTAssertTrue(pruner.shouldPrune(third, trials: others + [third], direction: .minimize))
        let second = trial(8, .running, [0.5, 0.5, 0.4, 0.15])
        XCTAssertFalse(pruner.shouldPrune(second, trials: others + [second], direction: .minimize))
        // Between rungs nothing is judged.
        let between = trial(8, .running, [0.5, 0.5, 0.4, 0.15, 9])
        XCTAssertFalse(pruner.shouldPrune(between, trials: others + [between], direction: .minimize))
        // While fewer than η values are at a rung, only the best so far goes on.
        let first = [trial(0, .running, [0.5])]
        let worse = trial(1, .running, [0.6])
        XCTAssertTrue(pruner.shouldPrune(worse, trials: first + [worse], direction: .minimize))
        let best = trial(1, .running, [0.4])
        XCTAssertFalse(pruner.shouldPrune(best, trials: first + [best], direction: .minimize))
    }

    func testSuccessiveHalvingAutoResourceWaitsForACompleteTrial() {
        let pruner = SuccessiveHalvingPruner()
        let running = [trial(0, .running, [0.1])]
        let worse = trial(1, .running, [0.6])
        XCTAssertFalse(pruner.shouldPrune(worse, trials: running + [worse], direction: .minimize))
        // With 20 epochs complete, the minimum resource is max(20 / 100, 1) = 1.
        let complete = [trial(0, .complete, Array(repeating: 0.1, count: 20))]
        XCTAssertTrue(pruner.shouldPrune(worse, trials: complete + [worse], direction: .minimize))
    }

    func testSuccessiveHalvingAutoResourceLeavesStartUpTrialsOutOfTheRungs() {
        // Optuna's SuccessiveHalvingPruner() with 2 workers: trials 0 and 1 start together (t = 0) and run
        // all 20 epochs while no minimum resource is known, so they are never judged and hold no rung value.
        func timed(_ record: TrialRecord, started: Double, finished: Double?) -> TrialRecord {
            var record = record
            (record.started, record.finished) = (started, finished)
            return record
        }
        let pruner = SuccessiveHalvingPruner()
        let first = timed(trial(0, .complete, Array(repeating: 0.05, count: 20)), started: 0, finished: 100)
        let second = timed(trial(1, .running, Array(repeating: 0.9, count: 19)), started: 0, finished: nil)
        // Trial 2 starts after trial 0 finished (minimum resource max(20/100, 1) = 1, rungs at 1, 4, 16) and
        // reaches epoch 16 with 0.08, worse than trial 0's 0.05 there: trial 0 is not in the rung, so trial 2
        // is the rung's only value and goes on (it was pruned while start-up trials counted).
        let third = timed(trial(2, .running, Array(repeating: 0.08, count: 16)), started: 101, finished: nil)
        XCTAssertFalse(pruner.shouldPrune(third, trials: [first, second, third], direction: .minimize))
        // A start-up trial is not judged either, however bad: 0.9 at epoch 19 after trial 0 finished.
        XCTAssertFalse(pruner.shouldPrune(second, trials: [first, second, third], direction: .minimize))
        // Trials judged after the first completion do compete: a fourth with 0.2 at epoch 1 against trial 2's 0.08.
        let fourth = timed(trial(3, .running, [0.2]), started: 102, finished: nil)
        XCTAssertTrue(pruner.shouldPrune(fourth, trials: [first, second, third, fourth], direction: .minimize))
        // With an explicit minimum resource there is no start-up phase: trial 0's 0.05 prunes trial 2 at epoch 16.
        XCTAssertTrue(SuccessiveHalvingPruner(minimumResource: 1).shouldPrune(third, trials: [first, second, third], direction: .minimize))
    }

    func testPrunedTrialsRankAfterCompleteOnesInTPE() throws {
        // TPE's split: complete trials by value, then pruned ones by the step reached (further is better).
        let trials = [trial(0, .complete, [0.5], value: 0.5), trial(1, .pruned, [0.9, 0.8]), trial(2, .pruned, [0.1]), trial(3, .complete, [0.3], value: 0.3)]
        let (below, above) = TPESampler.split(trials, count: 3, direction: .minimize)
        XCTAssertEqual(below.map(\.number), [0, 1, 3])   // 0.3 and 0.5 complete, then #1 (reached step 2)
        XCTAssertEqual(above.map(\.number), [2])
        XCTAssertFalse(NoPruner().needsHistory)
    }
}
