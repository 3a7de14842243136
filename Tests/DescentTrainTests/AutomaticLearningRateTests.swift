import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// The budget rule's closed forms, its floors and ceilings, the fallbacks, and the repeated test's medians.
final class AutomaticLearningRateTests: XCTestCase {
    private let rates = (0..<100).map { 1e-7 * Foundation.pow(1e8, Double($0) / 100) }

    /// A clear sweep: falls around 1e-3, blows up past 0.3 (as in RangeTestConfidenceTests).
    private func sweep(shift: Double = 1) throws -> RangeTestResult {
        let raw = (0..<90).map { index -> Double in
            let rate = rates[index] / shift
            return 2.3 - 2 / (1 + Foundation.pow(1e-3 / rate, 1.5)) + (rate > 0.3 ? 20 * (rate - 0.3) : 0)
                + 0.02 * Foundation.sin(Double(index) * 12.9898 + 78.233)
        }
        var smoother = SmoothedLoss()
        return RangeTestResult(settings: try LearningRateRangeTest(), learningRates: Array(rates.prefix(raw.count)),
                               rawLosses: raw, smoothedLosses: raw.map { smoother.add($0) }, diverged: true)
    }

    func testTheFactorFollowsItsFormula() {
        let rule = AutomaticLearningRate.rule(for: .adaptive)
        // factor = clamp(0.1 · (T/150)^(−0.75), 0.005, 0.1)
        XCTAssertEqual(rule.factor(steps: 150), 0.1, accuracy: 1e-15)
        XCTAssertEqual(rule.factor(steps: 1200), 0.1 * Foundation.pow(8, -0.75), accuracy: 1e-15)   // 0.0210
        XCTAssertEqual(rule.factor(steps: 120), 0.1)                                              // capped
        XCTAssertEqual(rule.factor(steps: 10_000_000), 0.005)                                      // floored
        XCTAssertGreaterThan(rule.factor(steps: 300), rule.factor(steps: 3000), "a longer run sits further below the edge")
    }

    func testTheChoiceIsTheEdgeTimesTheFactorAndItsNumbersAreReported() throws {
        let result = try sweep()
        let suggestions = try XCTUnwrap(result.suggestions)
        let budget = AutomaticLearningRate.Budget(totalSteps: 1200, batchSize: 32, family: .adaptive)
        let choice = AutomaticLearningRate.choose(from: result, budget: budget)
        let edge = suggestions.minimum * 10
        XCTAssertEqual(choice.edge, edge)
        XCTAssertEqual(choice.learningRate, Swift.max(edge * 0.1 * Foundation.pow(8, -0.75), suggestions.valley), accuracy: 1e-12)
        XCTAssertEqual(choice.source, .rangeTest)
        XCTAssertTrue(choice.reasons.joined().contains("1200 steps of 32 examples"), choice.reasons.joined())
        // A shorter run goes closer to the edge.
        let short = AutomaticLearningRate.choose(from: result, budget: .init(totalSteps: 150, batchSize: 32, family: .adaptive))
        XCTAssertEqual(short.learningRate, edge * 0.1, accuracy: 1e-12)
        XCTAssertGreaterThan(short.learningRate, choice.learningRate)
    }

    func testTheValleyIsTheFloor() throws {
        let result = try sweep()
        let valley = try XCTUnwrap(result.suggestions?.valley)
        let choice = AutomaticLearningRate.choose(from: result, budget: .init(totalSteps: 100_000_000, batchSize: 32, family: .adaptive))
        XCTAssertEqual(choice.learningRate, Swift.max(valley, try XCTUnwrap(choice.edge) * 0.005))
    }

    func testTheCeilingCapsSGDButNotAdam() throws {
        let result = try sweep()
        let ceiling = StabilityCeiling(lambdaMax: 400, iterations: 10, converged: true)   // 2(1 + 0.9)/400 = 0.0095
        let sgd = AutomaticLearningRate.choose(from: result, budget: .init(totalSteps: 150, batchSize: 32, family: .momentumSGD, momentum: 0.9),
                                               ceiling: ceiling)
        XCTAssertEqual(sgd.learningRate, 0.0095, accuracy: 1e-12)
        XCTAssertEqual(sgd.source, .ceiling)
        XCTAssertTrue(sgd.reasons.last?.contains("stability ceiling") ?? false)
        let adam = AutomaticLearningRate.choose(from: result, budget: .init(totalSteps: 150, batchSize: 32, family: .adaptive),
                                                ceiling: ceiling)
        XCTAssertGreaterThan(adam.learningRate, 0.0095)
        XCTAssertNil(adam.ceiling)
    }

    func testASweepWithoutSuggestionsFallsBackNamingTheRate() throws {
        let raw = (0..<14).map { $0 < 12 ? 2.3 : 100 }
        var smoother = SmoothedLoss()
        let result = RangeTestResult(settings: try LearningRateRangeTest(), learningRates: Array(rates.prefix(14)), rawLosses: raw,
                                     smoothedLosses: raw.map { smoother.add($0) }, diverged: true)
        XCTAssertNil(result.suggestions)
        let choice = AutomaticLearningRate.choose(from: result, budget: .init(totalSteps: 100, batchSize: 32, family: .adaptive))
        XCTAssertEqual(choice.source, .fallback)
        XCTAssertEqual(choice.learningRate, 1e-3)
        XCTAssertTrue(choice.reasons.joined(separator: " ").contains("fell back to 0.001"), choice.reasons.joined())
    }

    /// Issue #12: a sweep over rates too small to move a Float32 weight is flat, low confidence, and suggests nothing.
    func testASweepOverWhichTheLossDoesNotMoveSuggestsNoRate() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 8, using: &generator), ReLU(), try Linear(8, 3, using: &generator)])
        let test = try LearningRateRangeTest(startLearningRate: 1e-45, endLearningRate: 1e-44, iterations: 30, batchSize: 32)
        let result = try test.run(model, optimizer: try Optimizer(Adam(), learningRate: 1e-45), data: split.train)
        XCTAssertTrue(result.flat)
        XCTAssertNil(result.suggestions)
        XCTAssertEqual(result.confidence.level, .low)
        XCTAssertTrue(result.confidence.reasons[0].contains("did not move"), result.confidence.reasons[0])
        let choice = AutomaticLearningRate.choose(from: result, budget: .init(totalSteps: 100, batchSize: 32, family: .adaptive))
        XCTAssertEqual(choice.source, .fallback)
        // A normal sweep on the same data is not flat.
        let normal = try LearningRateRangeTest(iterations: 30, batchSize: 32).run(model, optimizer: try Optimizer(Adam(), learningRate: 1e-3),
                                                                                   data: split.train)
        XCTAssertFalse(normal.flat)
    }

    func testRepeatsGiveMediansAndSpreadInDecades() throws {
        // The same curve moved left by ×1, ×3 and ×10 along the rate axis: every suggestion moves with it.
        let results = try [1.0, 1 / 3.0, 0.1].map { try sweep(shift: $0) }
        let repeated = RepeatedRangeTestResult(results: results)
        let valleys = results.map { $0.suggestions!.valley }
        XCTAssertEqual(repeated.medians?.valley, valleys.sorted()[1])
        XCTAssertEqual(try XCTUnwrap(repeated.spreadDecades["valley"]), Foundation.log10(valleys.max()! / valleys.min()!), accuracy: 1e-12)
        let spread = try XCTUnwrap(repeated.spreadDecades["valley"])
        XCTAssertGreaterThan(spread, 0.5)
        XCTAssertEqual(repeated.confidence.level, spread > 1 ? .low : .medium, repeated.confidence.reasons.joined(separator: "; "))
        XCTAssertTrue(repeated.confidence.reasons[0].contains("decades"), repeated.confidence.reasons[0])
        // Agreeing repeats keep the single sweep's grade.
        let agreeing = RepeatedRangeTestResult(results: try [1.0, 1.0, 1.0].map { try sweep(shift: $0) })
        XCTAssertEqual(agreeing.spreadDecades["valley"], 0)
        XCTAssertEqual(agreeing.confidence.level, results[0].confidence.level)
        XCTAssertThrowsError(try RepeatedRangeTest(test: LearningRateRangeTest(), repeats: 0))
    }

    func testRepeatedSweepsOnRealDataReshuffleAndRestoreTheModel() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 16, using: &generator), ReLU(), try Linear(16, 3, using: &generator)])
        let before = model.stateDictionary
        let test = try LearningRateRangeTest(startLearningRate: 1e-5, endLearningRate: 10, iterations: 50, batchSize: 32, seed: 4)
        let repeated = try RepeatedRangeTest(test: test, repeats: 3).run(model, optimizer: try Optimizer(Adam(), learningRate: 1e-3),
                                                                         data: split.train)
        XCTAssertEqual(repeated.results.map(\.settings.seed), [4, 5, 6])
        XCTAssertNotEqual(repeated.results[0].rawLosses, repeated.results[1].rawLosses)
        let minimums = repeated.results.compactMap { $0.suggestions?.minimum }.sorted()
        XCTAssertEqual(repeated.medians?.minimum, minimums[minimums.count / 2])
        for (name, value) in before { XCTAssertTrue(model.stateDictionary[name]!.isEqual(to: value), name) }
    }

    func testFindRunsTheSweepAndTheRuleOnRealDataAndFallsBackOnTinyData() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 16, using: &generator), ReLU(), try Linear(16, 3, using: &generator)])
        let optimizer = try Optimizer(Adam(), learningRate: 1e-3)
        let budget = AutomaticLearningRate.Budget(totalSteps: 120, batchSize: 32, family: .adaptive)
        let choice = try AutomaticLearningRate.find(model: model, optimizer: optimizer, data: split.train, budget: budget, seed: 0)
        let sweep = try AutomaticLearningRate.sweep(for: budget, trainingExamples: split.train.count, seed: 0)
        XCTAssertEqual(sweep.repeats, 1, "120 steps: one sweep of 100 costs more than a quarter of the run")
        let expected = AutomaticLearningRate.choose(from: try sweep.run(model, optimizer: optimizer, data: split.train), budget: budget)
        XCTAssertEqual(choice, expected)
        XCTAssertEqual(choice.source, .rangeTest)
        XCTAssertEqual(choice.factor, 0.1)
        // A rate-free optimizer keeps its own rate.
        let prodigy = try AutomaticLearningRate.find(model: model, optimizer: try Optimizer(Prodigy(), learningRate: 1), data: split.train,
                                                     budget: .init(totalSteps: 120, batchSize: 32, family: .learningRateFree))
        XCTAssertEqual(prodigy.source, .optimizerDefault)
        XCTAssertEqual(prodigy.learningRate, 1)
        // Eight examples: too few batches for a sweep.
        let tiny = split.train.subset(Array(0..<8))
        let fallback = try AutomaticLearningRate.find(model: model, optimizer: optimizer, data: tiny, budget: budget)
        XCTAssertEqual(fallback.source, .fallback)
        XCTAssertTrue(fallback.reasons[0].contains("too few batches"), fallback.reasons[0])
    }

    /// Features of 1e38 make the very first loss infinite: the test cannot run, and auto says so and falls back.
    func testALossThatIsNotFiniteAtTheStartFallsBack() throws {
        let split = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split
        let huge = try Dataset(features: try Tensor(shape: split.train.features.shape,
                                                    scalars: split.train.features.scalars.map { $0 * 1e38 + 3e38 }),
                               targets: split.train.targets, source: "huge")
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 8, using: &generator), ReLU(), try Linear(8, 3, using: &generator)])
        let choice = try AutomaticLearningRate.find(model: model, optimizer: try Optimizer(Adam(), learningRate: 1e-3), data: huge,
                                                    budget: .init(totalSteps: 120, batchSize: 32, family: .adaptive))
        XCTAssertEqual(choice.source, .fallback)
        XCTAssertEqual(choice.learningRate, 1e-3)
        XCTAssertTrue(choice.reasons[0].contains("could not run"), choice.reasons[0])
    }
}
