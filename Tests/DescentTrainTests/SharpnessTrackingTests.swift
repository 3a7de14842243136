import DescentData
import DescentNN
import DescentOptim
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// Sharpness tracked during training (`TrainingConfiguration.sharpnessTracking`), against closed forms and
/// against the progressive sharpening of full-batch gradient descent (Cohen et al. 2021).
final class SharpnessTrackingTests: XCTestCase {
    private func measurements<Rule: OptimizerRule>(
        _ rule: Rule, learningRate: Double, model: Sequential, data: Dataset, epochs: Int, batchSize: Int,
        tracking: SharpnessTracking
    ) throws -> (measurements: [SharpnessMeasurement], optimizer: Optimizer<Rule>) {
        var optimizer = try Optimizer(rule, learningRate: learningRate)
        var configuration = TrainingConfiguration(epochs: epochs, batchSize: batchSize, seed: 0, divergenceGuard: nil)
        configuration.sharpnessTracking = tracking
        var found: [SharpnessMeasurement] = []
        _ = try Trainer(configuration: configuration).fit(model, optimizer: &optimizer, training: data) { event in
            if case let .sharpnessMeasured(measurement) = event { found.append(measurement) }
        }
        return (found, optimizer)
    }

    /// (2/n)·X̃ᵀX̃, X̃ = [X 1]: the Hessian of the mean squared error of a linear model, whatever its weights.
    private func gram(_ data: Dataset) -> [[Double]] {
        let n = data.count, d = data.featureCount
        let x = data.features.scalars.map(Double.init)
        var gram = Array(repeating: Array(repeating: 0.0, count: d + 1), count: d + 1)
        for row in 0..<n {
            let extended = Array(x[(row * d)..<((row + 1) * d)]) + [1]
            for i in 0...d { for j in 0...d { gram[i][j] += 2 * extended[i] * extended[j] / Double(n) } }
        }
        return gram
    }

    /// On a quadratic (a linear model under mean squared error on diabetes) every measurement equals the known
    /// largest eigenvalue of the constant Hessian, and the edge is 2(1 + β)/η.
    func testOnAQuadraticItEqualsTheKnownEigenvalue() throws {
        let data = try Datasets.load(named: "diabetes").split(validationFraction: 0.2, seed: 0).standardized().split.train
        var generator = SeededGenerator(seed: 3)
        let model = Sequential([try Linear(data.featureCount, 1, using: &generator)])
        let exact = StabilityCeilingTests.largestEigenvalue(gram(data))
        let tracking = try SharpnessTracking(interval: 4, maximumIterations: 200, tolerance: 1e-6)
        let (found, _) = try measurements(try SGD(momentum: 0.9), learningRate: 0.01, model: model, data: data, epochs: 1,
                                          batchSize: 32, tracking: tracking)
        XCTAssertEqual(found.map(\.step), [4, 8, 12])   // 12 steps of up to 32 rows (353 rows)
        for measurement in found {
            XCTAssertEqual(measurement.lambdaMax, exact, accuracy: 1e-3 * exact)
            XCTAssertEqual(measurement.edge, 2 * 1.9 / 0.01, accuracy: 1e-9)
            XCTAssertNil(measurement.preconditionedLambdaMax)
            XCTAssertEqual(measurement.rows, data.count)
        }
    }

    /// For Adam the preconditioned sharpness is λmax(P^(−½) H P^(−½)), P = √(v/(1 − β₂ᵗ)) + ε from the optimizer's
    /// second moments, computed here independently by Jacobi rotations; the edge is (2 + 2β₁)/(η(1 − β₁)).
    func testAdamsPreconditionedSharpnessOnAQuadratic() throws {
        let data = try Datasets.load(named: "diabetes").split(validationFraction: 0.2, seed: 0).standardized().split.train
        var generator = SeededGenerator(seed: 3)
        let model = Sequential([try Linear(data.featureCount, 1, using: &generator)])
        let tracking = try SharpnessTracking(interval: 3, maximumIterations: 300, tolerance: 1e-8)
        // Full batch: one step per epoch, so the measurement at step 3 sees the optimizer's final state.
        let (found, optimizer) = try measurements(try Adam(), learningRate: 0.01, model: model, data: data, epochs: 3,
                                                  batchSize: data.count, tracking: tracking)
        let measurement = try XCTUnwrap(found.last)
        XCTAssertEqual(measurement.step, 3)
        let state = optimizer.savedState()
        var scale: [Double] = []
        for (name, _) in model.trainableParameters {
            let moments = try XCTUnwrap(state.tensors[name])
            scale += moments.exponentialAverageOfSquares.map { v in
                1 / Foundation.sqrt(Foundation.sqrt(Double(v) / (1 - Foundation.pow(0.999, 3))) + 1e-8)
            }
        }
        // trainableParameters lists the weight then the bias: the gram's order ([X 1]).
        let h = gram(data)
        let preconditioned = h.indices.map { i in h.indices.map { j in scale[i] * h[i][j] * scale[j] } }
        let exact = StabilityCeilingTests.largestEigenvalue(preconditioned)
        let value = try XCTUnwrap(measurement.preconditionedLambdaMax)
        XCTAssertEqual(value, exact, accuracy: 1e-2 * exact)   // Float32 gradients differenced: ~0.3% here
        XCTAssertEqual(try XCTUnwrap(measurement.preconditionedEdge), (2 + 2 * 0.9) / (0.01 * 0.1), accuracy: 1e-6)
        XCTAssertEqual(measurement.lambdaMax, StabilityCeilingTests.largestEigenvalue(h), accuracy: 2e-3 * measurement.lambdaMax)
    }

    /// Training is unchanged by tracking: the same weights with and without it.
    func testTrackingLeavesTrainingUnchanged() throws {
        let data = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split.train
        func train(_ tracking: SharpnessTracking?) throws -> [String: Tensor] {
            var generator = SeededGenerator(seed: 1)
            let model = Sequential([try Linear(4, 8, using: &generator), ReLU(), try Linear(8, 3, using: &generator)])
            var optimizer = try Optimizer(try AdamW(), learningRate: 0.01)
            var configuration = TrainingConfiguration(epochs: 2, batchSize: 16, seed: 0)
            configuration.sharpnessTracking = tracking
            _ = try Trainer(configuration: configuration).fit(model, optimizer: &optimizer, training: data)
            return model.stateDictionary
        }
        let plain = try train(nil), tracked = try train(try SharpnessTracking(interval: 3))
        for (name, value) in plain { XCTAssertTrue(tracked[name]!.isEqual(to: value), name) }
    }

    /// Progressive sharpening (Cohen et al. 2021): full-batch gradient descent at rate η on a small network drives λmax
    /// up from well below 2/η to the edge, where it hovers instead of blowing past it.
    func testFullBatchGradientDescentSharpensTowardTwoOverEta() throws {
        let data = try Datasets.load(named: "iris").split(validationFraction: 0.2, seed: 0).standardized().split.train
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 16, using: &generator), ReLU(), try Linear(16, 3, using: &generator)])
        let rate = 0.8, edge = 2 / 0.8
        let (found, _) = try measurements(try SGD(), learningRate: rate, model: model, data: data, epochs: 400, batchSize: data.count,
                                          tracking: try SharpnessTracking(interval: 20))
        let values = found.map(\.lambdaMax)
        print("λmax every 20 steps against 2/η = \(edge): \(values.map { String(format: "%.2f", $0) })")
        XCTAssertEqual(found.count, 20)
        XCTAssertEqual(found[0].edge, edge, accuracy: 1e-12)
        XCTAssertLessThan(values[0], 0.75 * edge, "it starts well below the edge")
        XCTAssertGreaterThan(values.max()!, 0.9 * edge, "it rises to the edge")
        XCTAssertLessThan(values.max()!, 1.6 * edge, "and hovers there instead of blowing past it")
    }

    func testSettingsOutOfRangeAreErrors() {
        XCTAssertThrowsError(try SharpnessTracking(interval: 0))
        XCTAssertThrowsError(try SharpnessTracking(interval: 5, rows: 0))
        XCTAssertThrowsError(try SharpnessTracking(interval: 5, tolerance: 1))
    }

    /// A cosine schedule reaches a rate of 0 at its last step, where the edge 2(1 + β)/η is infinite: the measurement is written
    /// with a null edge (JSON has no infinity), so a run's summary still encodes, and reads back as infinite.
    func testAMeasurementAtRateZeroEncodesAndDecodes() throws {
        let measurement = SharpnessMeasurement(step: 180, lambdaMax: 0.47, learningRate: 0, momentum: 0.9, iterations: 12, seconds: 0.03, rows: 1_024)
        XCTAssertEqual(measurement.edge, .infinity)
        let data = try JSONEncoder().encode(measurement)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertTrue(object["edge"] is NSNull, "\(object)")
        XCTAssertEqual(object["lambda_max"] as? Double, 0.47)
        XCTAssertEqual(try JSONDecoder().decode(SharpnessMeasurement.self, from: data), measurement)
        let adam = SharpnessMeasurement(step: 180, lambdaMax: 3, learningRate: 0, preconditionedLambdaMax: 40, beta1: 0.9)
        XCTAssertEqual(try JSONDecoder().decode(SharpnessMeasurement.self, from: try JSONEncoder().encode(adam)), adam)
    }
}
