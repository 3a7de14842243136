import DescentOptim
import DescentTensor
import Foundation
import XCTest

/// Saving and restoring optimizer state matches tensors by name and reports every mismatch.
final class StateTests: XCTestCase {
    func parameters() -> [String: Tensor] {
        ["layers.0.weight": Tensor([0.5, -1, 2, 0.25]), "layers.0.bias": Tensor([0.1, -0.2])]
    }

    func gradients(_ step: Int) -> [String: Tensor] {
        let s = Float(step)
        return ["layers.0.weight": Tensor([0.3 * s - 1, 0.2, -0.5 + s * 0.1, 1]),
                "layers.0.bias": Tensor([s * 0.05, -0.4])]
    }

    func testResumedRunMatchesUninterruptedRunExactly() throws {
        var straight = try Optimizer(Adam(amsgrad: true), learningRate: 0.01, weightDecay: 0.01)
        var first = parameters()
        for step in 0..<10 { try straight.update(&first, along: gradients(step)) }

        var before = try Optimizer(Adam(amsgrad: true), learningRate: 0.01, weightDecay: 0.01)
        var second = parameters()
        for step in 0..<5 { try before.update(&second, along: gradients(step)) }
        let data = try before.encodedState()
        var after = try Optimizer(Adam(amsgrad: true), learningRate: 0.01, weightDecay: 0.01)
        try after.restoreState(from: data, matching: second)
        XCTAssertEqual(after.step, 5)
        for step in 5..<10 { try after.update(&second, along: gradients(step)) }
        for name in first.keys { XCTAssertEqual(first[name]!.scalars, second[name]!.scalars, name) }
    }

    func testSharedStateOfLearningRateFreeRulesIsSaved() throws {
        var optimizer = try Optimizer(Prodigy(), learningRate: 1)
        var values = parameters()
        for step in 0..<4 { try optimizer.update(&values, along: gradients(step)) }
        let saved = optimizer.savedState()
        XCTAssertGreaterThan(saved.shared.d, 1e-6, "d grew from d0")
        let decoded = try JSONDecoder().decode(type(of: saved), from: JSONEncoder().encode(saved))
        XCTAssertEqual(decoded.shared, saved.shared)
        XCTAssertEqual(decoded.tensors["layers.0.bias"]?.s, saved.tensors["layers.0.bias"]?.s)
    }

    func testRenamedParametersAreReportedByName() throws {
        var optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.1)
        var values = parameters()
        try optimizer.update(&values, along: gradients(0))
        let saved = optimizer.savedState()
        var renamed = values
        renamed["layers.0.b"] = renamed.removeValue(forKey: "layers.0.bias")
        var other = try Optimizer(SGD(momentum: 0.9), learningRate: 0.1)
        XCTAssertThrowsError(try other.restore(saved, matching: renamed)) { error in
            XCTAssertEqual(error as? OptimizerError,
                           .stateMismatch(missing: ["layers.0.b"], unexpected: ["layers.0.bias"], wrongSize: []))
        }
        XCTAssertEqual(other.step, 0, "nothing restored on error")
    }

    func testWrongSizeAndWrongOptimizerAreReported() throws {
        var optimizer = try Optimizer(Adam(), learningRate: 0.1)
        var values = parameters()
        try optimizer.update(&values, along: gradients(0))
        var resized = values
        resized["layers.0.weight"] = Tensor([1, 2, 3])
        var other = try Optimizer(Adam(), learningRate: 0.1)
        XCTAssertThrowsError(try other.restore(optimizer.savedState(), matching: resized)) { error in
            XCTAssertEqual(error as? OptimizerError, .stateMismatch(missing: [], unexpected: [], wrongSize: ["layers.0.weight"]))
        }
        var adamW = try Optimizer(AdamW(), learningRate: 0.1)
        XCTAssertThrowsError(try adamW.restoreState(from: optimizer.encodedState(), matching: values)) { error in
            XCTAssertEqual(error as? OptimizerError, .wrongOptimizer(expected: "AdamW", found: "Adam"))
        }
    }

    func testMissingStateCanBeAllowedForFrozenParameters() throws {
        var optimizer = try Optimizer(Adam(), learningRate: 0.1)
        var values = parameters()
        try optimizer.update(&values, along: ["layers.0.weight": gradients(0)["layers.0.weight"]!])
        var other = try Optimizer(Adam(), learningRate: 0.1)
        XCTAssertThrowsError(try other.restore(optimizer.savedState(), matching: values))
        XCTAssertNoThrow(try other.restore(optimizer.savedState(), matching: values, allowingMissing: true))
    }
}
