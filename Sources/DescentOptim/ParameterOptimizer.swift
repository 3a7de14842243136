import DescentSchedules
import DescentTensor
import Foundation

/// Any optimizer, whatever its rule: the rate, the step, the evaluation point and the saved state.
///
/// `Optimizer<Rule>` conforms. The trainer, the range test and the CLI are generic over the rule
/// and hold an `Optimizer<Rule>` (the CLI picks the rule at run time and hands it to generic
/// code), so the rule's math is specialised; code that only steps and reads the rate — the
/// conformance runner, tests — may hold an `any ParameterOptimizer` instead.
///
/// ```swift
/// var optimizer: any ParameterOptimizer = try Optimizer(SGD(), learningRate: 0.1)
/// var parameters = ["w": Tensor([1])]
/// try optimizer.update(&parameters, along: ["w": Tensor([2])])   // w = 1 − 0.1·2 = 0.8
/// optimizer.step                                                 // 1
/// ```
public protocol ParameterOptimizer: Sendable {
    /// The rule's name, e.g. "AdamW".
    var ruleName: String { get }
    /// The rate of the next step for parameters outside any group (schedule × controllers' scale).
    var currentLearningRate: Double { get }
    /// Steps taken so far.
    var step: Int { get }
    /// The base rate of parameters outside any group (a tuner may change it).
    var learningRate: Double { get set }
    /// The rate of the next step for one parameter (its group's rate, schedule and the controllers).
    func learningRate(for parameterName: String) -> Double
    /// Whether the parameters are at the evaluation point (schedule-free rules).
    var isEvaluating: Bool { get }
    /// Whether gradients are checked for NaN and infinity before anything is written.
    var checksFiniteGradients: Bool { get set }
    /// Controllers multiplying the scheduled rate.
    var controllers: [any LearningRateController] { get set }
    /// One step (or one accumulation call) with the gradients of named parameters.
    @discardableResult
    mutating func update(_ parameters: inout [String: Tensor], along gradients: [String: Tensor]) throws -> StepOutcome
    /// Moves the parameters to the evaluation point (schedule-free rules) or back to the training point.
    mutating func setEvaluationMode(_ evaluating: Bool, parameters: inout [String: Tensor])
    /// The state as JSON (per-tensor state keyed by parameter name).
    func encodedState() throws -> Data
    /// Restores state from `encodedState()`, checking it against the parameters by name.
    mutating func restoreState(from data: Data, matching parameters: [String: Tensor]) throws
}

extension Optimizer: ParameterOptimizer {
    public var ruleName: String { rule.name }

    public func encodedState() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        return try encoder.encode(savedState())
    }

    public mutating func restoreState(from data: Data, matching parameters: [String: Tensor]) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                        nan: "nan")
        try restore(decoder.decode(OptimizerState<Rule.State, Rule.SharedState>.self, from: data), matching: parameters)
    }
}
