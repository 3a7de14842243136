import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// The race on validation loss and keeping the best epoch, on a one-weight least-squares problem whose
/// gradient descent is known in closed form.
///
/// Training rows x ∈ {−1, 1} (mean 0, E[x²] = 1), targets y = 3x, one full batch, plain SGD on the mean
/// squared error L(w, b) = mean((wx + b − y)²): the Hessian is 2I, so one step at rate η multiplies the
/// errors w − 3 and b by (1 − 2η). The best rate is η* = 1/2 (the Newton step, exact in one step); every
/// other rate leaves the error (1 − 2η)^k after k steps, and rates above 1 diverge.
final class LearningRateRaceTests: XCTestCase {
    private func line(slope: Float, inputs: [Float]) throws -> Dataset {
        try Dataset(features: try Tensor(shape: [inputs.count, 1], scalars: inputs), targets: .values(Tensor(inputs.map { slope * $0 })))
    }

    private func model(seed: UInt64 = 3) throws -> Sequential {
        var generator = SeededGenerator(seed: seed)
        return Sequential([try Linear(1, 1, using: &generator)])
    }

    private var training: Dataset { get throws { try line(slope: 3, inputs: [-1, 1, -1, 1, 1, -1, 1, -1]) } }

    func testTheRaceKeepsTheRateWithTheLowestValidationLossTheNewtonStep() throws {
        let network = try model()
        let validation = try line(slope: 3, inputs: [-2, -0.5, 0.5, 2])
        let start = network.stateDictionary
        let w0 = Double(try XCTUnwrap(start.first { $0.key.hasSuffix("weight") }?.value.scalars.first))
        let b0 = Double(try XCTUnwrap(start.first { $0.key.hasSuffix("bias") }?.value.scalars.first))
        // The validation loss of the starting weights: mean over x of ((w0 − 3)x + b0)².
        let initial = [-2.0, -0.5, 0.5, 2].map { Foundation.pow((w0 - 3) * $0 + b0, 2) }.reduce(0, +) / 4
        var configuration = TrainingConfiguration(epochs: 6, batchSize: 8, divergenceGuard: nil)
        configuration.keepsBestWeights = true
        let rates = [0.05, 0.158, 0.5, 0.9]
        let result = try LearningRateRace(rates: rates, rungs: [1, 2]).run(
            model: network, configuration: configuration, training: try training, validation: validation) { rate in
            try Optimizer(try SGD(), learningRate: rate)
        }
        XCTAssertEqual(result.candidates[result.winner].learningRate, 0.5)
        let best = result.candidates.compactMap(\.bestValidationLoss)
        XCTAssertEqual(result.candidates[result.winner].bestValidationLoss, best.min())
        // Each candidate's first validation loss is the closed form (1 − 2η)² × the starting loss.
        for candidate in result.candidates {
            let expected = Foundation.pow(1 - 2 * candidate.learningRate, 2) * initial
            XCTAssertEqual(try XCTUnwrap(candidate.validationLosses.first ?? nil), expected, accuracy: 1e-5 * initial + 1e-9,
                           "rate \(candidate.learningRate)")
        }
        // Successive halving: four after epoch 1, two after epoch 2, the winner not dropped.
        XCTAssertEqual(result.candidates.filter { $0.eliminatedAfterEpoch == 1 }.count, 2)
        XCTAssertEqual(result.candidates.filter { $0.eliminatedAfterEpoch == 2 }.count, 1)
        XCTAssertNil(result.candidates[result.winner].eliminatedAfterEpoch)
        XCTAssertEqual(result.epochsTrained, 4 * 1 + 2 * 1)
        XCTAssertEqual(result.checkpoint.progress.epoch, 2)
        // The model is left as it started.
        XCTAssertEqual(network.stateDictionary.mapValues(\.scalars), start.mapValues(\.scalars))
        // The run goes on from the winner's checkpoint to the end.
        var optimizer = try Optimizer(try SGD(), learningRate: 0.5)
        let outcome = try Trainer(configuration: configuration).run(network, optimizer: &optimizer, training: try training,
                                                                     validation: validation, resumingFrom: result.checkpoint)
        XCTAssertEqual(outcome.history.count, 6)
        XCTAssertEqual(outcome.keptValidationLoss ?? .nan, 0, accuracy: 1e-9)
    }

    func testTheCandidatesStepByHalfDecadesFromADecadeBelowToHalfADecadeBelowTheEdge() {
        // A short run's rule sits a decade below the edge: four candidates, r·10^0.5 … r·10^−1.
        let short = AutomaticLearningRate.raceRates(around: 0.01, edge: 0.1)
        XCTAssertEqual(short.count, 4)
        for (rate, exponent) in zip(short, [0.5, 0, -0.5, -1]) { XCTAssertEqual(rate, 0.01 * Foundation.pow(10, exponent), accuracy: 1e-15) }
        // An edge close to the rate: at least four, filled below, none above the edge.
        let capped = AutomaticLearningRate.raceRates(around: 0.01, edge: 0.02)
        XCTAssertEqual(capped.first, 0.01)
        XCTAssertEqual(capped.count, 4)
        XCTAssertTrue(capped.allSatisfy { $0 <= 0.02 })
        XCTAssertEqual(try XCTUnwrap(capped.last), 0.01 * Foundation.pow(10, -1.5), accuracy: 1e-15)
        // A long run's rule sits far below the edge (wine at 200 epochs: 0.0139, edge 0.575): the span reaches up to
        // half a decade below the edge (0.182): 0.139 is in, 0.439 is not.
        let long = AutomaticLearningRate.raceRates(around: 0.0139, edge: 0.575)
        XCTAssertEqual(long.count, 5)
        XCTAssertEqual(try XCTUnwrap(long.first), 0.139, accuracy: 1e-12)
        XCTAssertEqual(try XCTUnwrap(long.last), 0.00139, accuracy: 1e-12)
        for (higher, lower) in zip(long, long.dropFirst()) { XCTAssertEqual(higher / lower, Foundation.pow(10, 0.5), accuracy: 1e-12) }
        // At most six, the highest dropped first: r·10^1.5 … r·10^−1.
        let far = AutomaticLearningRate.raceRates(around: 0.001, edge: 10)
        XCTAssertEqual(far.count, AutomaticLearningRate.maximumRaceCandidates)
        XCTAssertEqual(try XCTUnwrap(far.first), 0.001 * Foundation.pow(10, 1.5), accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(far.last), 0.0001, accuracy: 1e-15)
        // Without an edge (a fallback rate): half a decade above to a decade below.
        XCTAssertEqual(AutomaticLearningRate.raceRates(around: 0.01, edge: nil).count, 4)
        XCTAssertEqual(LearningRateRace.rungs(epochs: 30), [4, 8])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 200), [25, 50])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 5), [1])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 2), [1])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 1), [])
    }

    /// One rung per halving, the last after 3/8 of the run, so the race's epochs stay about 1.6 runs:
    /// n·r₁ + ⌈n/2⌉·(r₂ − r₁) + … + (E − r_last), counted here by hand.
    func testTheRungsHalveTheFieldOncePerRungAndTheRaceCostsAboutOnePointSixRuns() {
        XCTAssertEqual(LearningRateRace.rungs(epochs: 30, candidates: 4), [4, 11])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 30, candidates: 5), [2, 4, 11])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 200, candidates: 6), [13, 25, 75])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 200, candidates: 8), [13, 25, 75])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 5, candidates: 6), [1, 2])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 2, candidates: 4), [1])
        XCTAssertEqual(LearningRateRace.rungs(epochs: 1, candidates: 6), [])
        func cost(epochs: Int, candidates: Int) -> Int {
            let rungs = LearningRateRace.rungs(epochs: epochs, candidates: candidates)
            var alive = candidates, trained = 0, previous = 0
            for (index, rung) in rungs.enumerated() {
                trained += alive * (rung - previous)
                previous = rung
                alive = index == rungs.count - 1 ? 1 : (alive + 1) / 2
            }
            return trained + epochs - previous
        }
        // 200 epochs, six candidates: 6·13 + 3·12 + 2·50 + 125 = 339 epochs (1.7 runs); 30 epochs, four: 4·4 + 2·7 + 19 = 49.
        XCTAssertEqual(cost(epochs: 200, candidates: 6), 339)
        XCTAssertEqual(cost(epochs: 30, candidates: 4), 49)
    }

    /// Validation y = 2x while training pulls w to 3: at η = 0.9 the weight oscillates around 3 with factor −0.8,
    /// passing near 2 early, so the best validation epoch is not the last.
    func testKeepingTheBestEpochRestoresThatEpochsWeightsBitForBit() throws {
        let network = try model()
        let validation = try line(slope: 2, inputs: [-2, -0.5, 0.5, 2])
        var configuration = TrainingConfiguration(epochs: 12, batchSize: 8, divergenceGuard: nil)
        configuration.keepsBestWeights = true
        var optimizer = try Optimizer(try SGD(), learningRate: 0.9)
        var snapshots: [Int: [String: [Float]]] = [:]
        let outcome = try Trainer(configuration: configuration).run(network, optimizer: &optimizer, training: try training,
                                                                     validation: validation, observe: { event in
            if case let .epochEnded(record) = event { snapshots[record.epoch] = network.stateDictionary.mapValues(\.scalars) }
        })
        XCTAssertEqual(outcome.status, .completed)
        let losses = outcome.history.map { $0.validationLoss ?? .infinity }
        let best = try XCTUnwrap(losses.indices.min { losses[$0] < losses[$1] }) + 1
        XCTAssertLessThan(best, 12, "the setup must make the best epoch an early one")
        XCTAssertEqual(outcome.keptEpoch, best)
        XCTAssertEqual(outcome.keptValidationLoss, losses[best - 1])
        XCTAssertEqual(network.stateDictionary.mapValues(\.scalars), try XCTUnwrap(snapshots[best]))
        XCTAssertNotEqual(network.stateDictionary.mapValues(\.scalars), try XCTUnwrap(snapshots[12]))
    }

    func testWithoutKeepingTheBestTheLastEpochsWeightsStay() throws {
        let network = try model()
        let validation = try line(slope: 2, inputs: [-2, -0.5, 0.5, 2])
        var optimizer = try Optimizer(try SGD(), learningRate: 0.9)
        var last: [String: [Float]] = [:]
        let outcome = try Trainer(configuration: TrainingConfiguration(epochs: 12, batchSize: 8, divergenceGuard: nil)).run(
            network, optimizer: &optimizer, training: try training, validation: validation, observe: { event in
            if case .epochEnded = event { last = network.stateDictionary.mapValues(\.scalars) }
        })
        XCTAssertNil(outcome.keptEpoch)
        XCTAssertEqual(network.stateDictionary.mapValues(\.scalars), last)
    }

    func testTooFewValidationRowsFallBackToTheRangeTestRuleSaid() throws {
        let network = try model()
        let first = AutomaticLearningRate.fallback(0.01, because: "test")
        let (choice, checkpoint) = try AutomaticLearningRate.race(
            after: first, model: network, configuration: TrainingConfiguration(epochs: 10, batchSize: 8), training: try training,
            validation: try line(slope: 3, inputs: [1, 2, 3])) { rate in try Optimizer(try SGD(), learningRate: rate) }
        XCTAssertNil(checkpoint)
        XCTAssertEqual(choice.learningRate, 0.01)
        XCTAssertNil(choice.candidates)
        XCTAssertTrue(choice.reasons.last?.contains("3 rows, fewer than 20") == true, "\(choice.reasons)")
    }
}
