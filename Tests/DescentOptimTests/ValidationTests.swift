import DescentConformance
import DescentOptim
import DescentTensor
import XCTest

/// Bad hyperparameters and bad gradients are errors that name what was wrong; nothing is written.
final class ValidationTests: XCTestCase {
    func assertInvalid(_ name: String, _ make: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try make(), file: file, line: line) { error in
            guard case let .invalidHyperparameter(reported, _, _)? = error as? OptimizerError else {
                return XCTFail("expected invalidHyperparameter, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(reported, name, file: file, line: line)
        }
    }

    func testInvalidHyperparametersNameTheParameter() {
        assertInvalid("learningRate") { try Optimizer(Adam(), learningRate: -0.1) }
        assertInvalid("weightDecay") { try Optimizer(SGD(), learningRate: 0.1, weightDecay: -1) }
        assertInvalid("beta1") { try Adam(beta1: 1.0) }
        assertInvalid("beta2") { try AdamW(beta2: -0.1) }
        assertInvalid("epsilon") { try Adam(epsilon: 0) }
        assertInvalid("epsilon") { try RMSprop(epsilon: -1e-8) }
        assertInvalid("momentum") { try SGD(momentum: 1.5) }
        assertInvalid("nesterov") { try SGD(momentum: 0, nesterov: true) }
        assertInvalid("alpha") { try RMSprop(alpha: 1) }
        assertInvalid("rho") { try Adadelta(rho: 1.1) }
        assertInvalid("initialAccumulatorValue") { try Adagrad(initialAccumulatorValue: -1) }
        assertInvalid("beta1") { try Lion(beta1: 1) }
        assertInvalid("trustCoefficient") { try LARS(trustCoefficient: 0) }
        assertInvalid("initialD") { try Prodigy(initialD: 0) }
        assertInvalid("beta3") { try Prodigy(beta3: 1) }
        assertInvalid("warmupSteps") { try ScheduleFreeSGD(warmupSteps: -1) }
        assertInvalid("growthRate") { try DAdaptationAdam(growthRate: 0) }
        assertInvalid("accumulationSteps") { try Optimizer(Adam(), learningRate: 0.1, accumulationSteps: 0) }
        assertInvalid("clipping.globalNorm") { try Optimizer(Adam(), learningRate: 0.1, clipping: [.globalNorm(0)]) }
        assertInvalid("beta1") { try OptimizerFactory.make(reference: "Adam", parameters: ["betas": [1.2, 0.9]]) }
    }

    func testNonFiniteGradientIsReportedAndNothingIsWritten() throws {
        var optimizer = try Optimizer(Adam(), learningRate: 0.1)
        var parameters = ["a.weight": Tensor([1, 2]), "b.bias": Tensor([3])]
        try optimizer.update(&parameters, along: ["a.weight": Tensor([0.5, 0.5]), "b.bias": Tensor([1])])
        let before = parameters
        let stateBefore = try optimizer.encodedState()
        for bad: Float in [.nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try optimizer.update(&parameters, along: ["a.weight": Tensor([0.5, 0.5]),
                                                                           "b.bias": Tensor([bad])])) { error in
                XCTAssertEqual(error as? OptimizerError, .nonFiniteGradient(parameter: "b.bias"))
            }
        }
        XCTAssertEqual(parameters["a.weight"]!.scalars, before["a.weight"]!.scalars, "no parameter moved")
        XCTAssertEqual(try optimizer.encodedState(), stateBefore, "no state was written")
        XCTAssertEqual(optimizer.step, 1)
    }

    func testNonFiniteGradientInALargeTensorIsFound() throws {
        var optimizer = try Optimizer(SGD(), learningRate: 0.1)
        var values = [Float](repeating: 1, count: 1 << 20)
        var parameters = ["w": Tensor(values)]
        values[777_777] = .nan
        XCTAssertThrowsError(try optimizer.update(&parameters, along: ["w": Tensor(values)])) { error in
            XCTAssertEqual(error as? OptimizerError, .nonFiniteGradient(parameter: "w"))
        }
    }

    func testNonFiniteGradientIsFoundByTheGlobalNormPassWhenClipping() throws {
        var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.1, clipping: [.globalNorm(1), .value(0.5)])
        var parameters = ["a": Tensor([1, 2]), "b": Tensor([3])]
        XCTAssertThrowsError(try optimizer.update(&parameters, along: ["a": Tensor([.infinity, 0]), "b": Tensor([1])])) {
            XCTAssertEqual($0 as? OptimizerError, .nonFiniteGradient(parameter: "a"))
        }
        XCTAssertEqual(parameters["a"]!.scalars, [1, 2])
        XCTAssertEqual(optimizer.step, 0)
        // Finite gradients: norm 5 → scaled to [0.6, 0.8], then clamped by value to 0.5.
        try optimizer.update(&parameters, along: ["a": Tensor([3, 0]), "b": Tensor([4])])
        XCTAssertEqual(parameters["a"]!.scalars[0], 1 - 0.1 * 0.5, accuracy: 1e-6)
        XCTAssertEqual(parameters["b"]!.item, 3 - 0.1 * 0.5, accuracy: 1e-6)
    }

    func testUnknownNameAndWrongShapeAreReported() throws {
        var optimizer = try Optimizer(SGD(), learningRate: 0.1)
        var parameters = ["w": Tensor([1, 2])]
        XCTAssertThrowsError(try optimizer.update(&parameters, along: ["v": Tensor([1, 2])])) { error in
            XCTAssertEqual(error as? OptimizerError, .unknownGradient(parameter: "v"))
        }
        XCTAssertThrowsError(try optimizer.update(&parameters, along: ["w": Tensor([1, 2, 3])])) { error in
            XCTAssertEqual(error as? OptimizerError, .shapeMismatch(parameter: "w", parameterShape: [2], gradientShape: [3]))
        }
    }
}
