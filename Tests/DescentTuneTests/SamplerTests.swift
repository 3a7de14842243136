@testable import DescentTune
import Foundation
import XCTest

final class SamplerTests: XCTestCase {
    func testRandomSamplerIsSeededInRangeAndLogUniform() throws {
        let space = try SearchSpace(parsing: "lr=loguniform(1e-5,1); n=int(1,3); o=choice(a,b)")
        let sampler = RandomSampler(seed: 3)
        XCTAssertEqual(sampler.sample(space, history: [], number: 5, direction: .minimize),
                       sampler.sample(space, history: [], number: 5, direction: .minimize))
        XCTAssertNotEqual(sampler.sample(space, history: [], number: 5, direction: .minimize),
                          sampler.sample(space, history: [], number: 6, direction: .minimize))
        var logs: [Double] = [], counts = [0, 0, 0]
        for number in 0..<2000 {
            let draw = sampler.sample(space, history: [], number: number, direction: .minimize)
            for parameter in space.parameters { XCTAssertTrue(parameter.distribution.contains(draw[parameter.name]!)) }
            logs.append(log10(draw["lr"]!.number!))
            counts[Int(draw["n"]!.number!) - 1] += 1
        }
        // log10 of a log-uniform draw on [1e-5, 1] is uniform on [-5, 0]: mean -2.5, standard error 1.44/√2000 ≈ 0.032.
        XCTAssertEqual(logs.reduce(0, +) / Double(logs.count), -2.5, accuracy: 0.13)
        for count in counts { XCTAssertEqual(Double(count), 2000.0 / 3, accuracy: 90) }
    }

    func testGridSamplerVisitsEveryPointOnce() throws {
        let space = try SearchSpace(parsing: "lr=loguniform(1e-4,1e-2); o=choice(adam,sgd)")
        let sampler = GridSampler(seed: 1, pointsPerRange: 3)
        XCTAssertEqual(sampler.size(of: space), 6)
        let points = (0..<6).map { sampler.sample(space, history: [], number: $0, direction: .minimize) }
        XCTAssertEqual(Set(points).count, 6)
        let rates = Set(points.map { $0["lr"]!.number! }).sorted()
        XCTAssertEqual(rates[0], 1e-4, accuracy: 1e-12)
        XCTAssertEqual(rates[1], 1e-3, accuracy: 1e-12)
        XCTAssertEqual(rates[2], 1e-2, accuracy: 1e-12)
        XCTAssertEqual(sampler.sample(space, history: [], number: 6, direction: .minimize), points[0])
    }

    func testGridSizeDoesNotOverflowAndHugeGridsAreWalkedInOrder() throws {
        let space = try SearchSpace(parsing: "a=uniform(0,1); b=uniform(0,1); c=uniform(0,1); d=uniform(0,1); e=uniform(0,1); f=uniform(0,1); g=uniform(0,1)")
        // 1000^7 = 1e21 points overflow an Int: no size, and no array of a billion billion indices.
        let sampler = GridSampler(seed: 0, pointsPerRange: 1000)
        XCTAssertNil(sampler.size(of: space))
        let second = sampler.sample(space, history: [], number: 1, direction: .minimize)
        // Index 1: the last parameter moves first, to its second point 1/999.
        XCTAssertEqual(second["g"]?.number ?? .nan, 1.0 / 999, accuracy: 1e-15)
        XCTAssertEqual(second["a"]?.number, 0)
        XCTAssertEqual(GridSampler(pointsPerRange: 10).size(of: try SearchSpace(parsing: "a=uniform(0,1); b=int(1,4); c=choice(x,y)")), 10 * 4 * 2)
    }

    func testOptunaDefaultsGammaAndWeights() {
        XCTAssertEqual([1, 10, 11, 20, 100, 250, 1000].map(TPESampler.gamma), [1, 1, 2, 2, 10, 25, 25])
        XCTAssertEqual(ParzenEstimator.defaultWeights(3), [1, 1, 1])
        let weights = ParzenEstimator.defaultWeights(27)   // linspace(1/27, 1, 2) then 25 ones
        XCTAssertEqual(weights.count, 27)
        XCTAssertEqual(weights[0], 1.0 / 27, accuracy: 1e-15)
        XCTAssertEqual(weights[1], 1, accuracy: 1e-15)
    }

    func testParzenBandwidthsFollowOptuna() {
        // uniform(0, 1), observations [0.2]: sorted with the prior mean 0.5 and the bounds:
        // [0, 0.2, 0.5, 1]; endpoints not considered, so σ(0.2) = 0.5 − 0.2 = 0.3, clipped to ≥ 1/min(100, 3) = 1/3.
        let estimator = ParzenEstimator(observations: [0.2], distribution: .float(low: 0, high: 1, log: false))
        XCTAssertEqual(estimator.kernels.map(\.mean), [0.2, 0.5])
        XCTAssertEqual(estimator.kernels[0].deviation, 1.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(estimator.kernels[1].deviation, 1)
        XCTAssertEqual(estimator.weights, [0.5, 0.5])
        // Five observations: widths are the larger gaps, clipped to ≥ 1/min(100, 7).
        let sigmas = ParzenEstimator.sigmas([0.1, 0.15, 0.6, 0.9, 0.95], low: 0, high: 1)
        // sorted with prior 0.5: [0, .1, .15, .5, .6, .9, .95, 1] → .1: inner gap .05; .15: max(.05,.35); .6: max(.1,.3); .9: max(.3,.05); .95: inner .05
        for (value, expected) in zip(sigmas, [0.05, 0.35, 0.3, 0.3, 0.05]) { XCTAssertEqual(value, expected, accuracy: 1e-12) }
    }

    func testDensitiesIntegrateToOne() {
        let float = ParzenEstimator(observations: [0.3, 0.35, 0.8], distribution: .float(low: 0, high: 1, log: false))
        var total = 0.0
        let steps = 20_000
        for index in 0..<steps { total += exp(float.logDensity((Double(index) + 0.5) / Double(steps))) / Double(steps) }
        XCTAssertEqual(total, 1, accuracy: 1e-4)
        let integer = ParzenEstimator(observations: [2, 3], distribution: .int(low: 1, high: 6, log: false))
        XCTAssertEqual((1...6).map { exp(integer.logDensity(Double($0))) }.reduce(0, +), 1, accuracy: 1e-9)
        let choice = ParzenEstimator(observations: [0, 0, 1], distribution: .categorical(["a", "b", "c"]))
        XCTAssertEqual((0..<3).map { exp(choice.logDensity(Double($0))) }.reduce(0, +), 1, accuracy: 1e-12)
    }

    func testTruncatedNormalQuantileAndSampling() {
        // Φ⁻¹(0.975) = 1.959963984540054.
        XCTAssertEqual(TruncatedNormal.quantile(0.975), 1.959963984540054, accuracy: 1e-12)
        XCTAssertEqual(TruncatedNormal.quantile(1e-10), -6.361340902404056, accuracy: 1e-9)
        // A kernel far below its range still samples inside it.
        let kernel = TruncatedNormal(mean: -10, deviation: 1, low: 0, high: 1)
        for u in stride(from: 0.0, to: 1, by: 0.1) {
            let x = kernel.sample(uniform: u)
            XCTAssertTrue(x >= 0 && x <= 1, "\(x)")
        }
    }

    /// TPE's promise: on a smooth 1-D function it finds a low value in fewer trials than random search,
    /// on average over seeds. f(x) = (x − 1.7)² on uniform(−10, 10); the number of trials until
    /// f < 0.01 (or 60 if never), averaged over 12 seeds.
    func testTPEFindsTheMinimumFasterThanRandom() throws {
        let space = try SearchSpace(parsing: "x=uniform(-10,10)")
        func trialsToReach(_ sampler: any Sampler) throws -> Int {
            let study = try Study(name: "f", space: space, storage: InMemoryStudyStorage(), sampler: sampler)
            try study.optimize(trials: 60) { trial in
                let x = trial.parameters["x"]!.number!
                return (x - 1.7) * (x - 1.7)
            }
            return try study.trials().firstIndex { ($0.value ?? .infinity) < 0.01 }.map { $0 + 1 } ?? 60
        }
        var tpe = 0, random = 0
        for seed in 0..<12 as Range<UInt64> {
            tpe += try trialsToReach(TPESampler(seed: seed))
            random += try trialsToReach(RandomSampler(seed: seed))
        }
        XCTAssertLessThan(Double(tpe) / 12, Double(random) / 12 * 0.75, "TPE \(tpe / 12) trials, random \(random / 12) on average")
    }

    func testTPEHandlesLogIntAndChoiceParameters() throws {
        // Minimise (log10 lr + 3)² + penalty for the wrong choice; the best of 40 trials should be near lr = 1e-3, choice b.
        let space = try SearchSpace(parsing: "lr=loguniform(1e-6,1); n=logint(1,1000); c=choice(a,b,c)")
        let study = try Study(name: "g", space: space, storage: InMemoryStudyStorage(), sampler: TPESampler(seed: 4))
        try study.optimize(trials: 40) { trial in
            let rate = trial.parameters["lr"]!.number!, n = trial.parameters["n"]!.number!
            return pow(log10(rate) + 3, 2) + pow(log10(n) - 2, 2) + (trial.parameters["c"]! == .choice("b") ? 0 : 1)
        }
        let best = try XCTUnwrap(study.best())
        XCTAssertLessThan(best.value!, 0.6)
        XCTAssertEqual(best.parameters["c"], .choice("b"))
    }
}
