import DescentTensor

/// The saved state of an optimizer: per-tensor state keyed by parameter name, never by position.
///
/// ```swift
/// let saved = optimizer.savedState()                 // Codable: encode with JSONEncoder
/// try other.restore(saved, matching: parameters)     // throws .stateMismatch naming the tensors that differ
/// ```
public struct OptimizerState<TensorState: OptimizerTensorState, SharedState: Codable & Sendable>: Codable, Sendable {
    /// The rule that saved it, e.g. "Adam".
    public var optimizer: String
    /// Steps taken.
    public var step: Int
    /// Whether the parameters were at the evaluation point (schedule-free).
    public var isEvaluating: Bool
    /// Per-tensor state by parameter name.
    public var tensors: [String: TensorState]
    /// State shared by all tensors.
    public var shared: SharedState
}

extension Optimizer {
    /// The state to save: step, per-tensor state by name, shared state (controllers are saved by their owner).
    /// (Gradients being accumulated are not part of it: save between steps.)
    public func savedState() -> OptimizerState<Rule.State, Rule.SharedState> {
        OptimizerState(optimizer: rule.name, step: step, isEvaluating: isEvaluating,
                       tensors: states, shared: shared)
    }

    /// Restores saved state after checking it against `parameters` by name.
    ///
    /// - Parameter allowingMissing: accept parameters with no saved state (e.g. frozen ones that never had a
    ///   gradient); they start fresh.
    /// - Throws: `OptimizerError.wrongOptimizer` if another rule saved it; `.stateMismatch` listing the
    ///   parameters without state, the state of unknown names, and the state whose size differs from its
    ///   parameter's. Nothing is changed when it throws.
    public mutating func restore(_ saved: OptimizerState<Rule.State, Rule.SharedState>,
                                 matching parameters: [String: Tensor], allowingMissing: Bool = false) throws {
        guard saved.optimizer == rule.name else {
            throw OptimizerError.wrongOptimizer(expected: rule.name, found: saved.optimizer)
        }
        let missing = allowingMissing ? [] : parameters.keys.filter { saved.tensors[$0] == nil }.sorted()
        let unexpected = saved.tensors.keys.filter { parameters[$0] == nil }.sorted()
        let wrongSize = saved.tensors.compactMap { name, state -> String? in
            guard let parameter = parameters[name] else { return nil }
            return state.fits(elementCount: parameter.count) ? nil : name
        }.sorted()
        guard missing.isEmpty, unexpected.isEmpty, wrongSize.isEmpty else {
            throw OptimizerError.stateMismatch(missing: missing, unexpected: unexpected, wrongSize: wrongSize)
        }
        step = saved.step
        isEvaluating = saved.isEvaluating
        states = saved.tensors
        shared = saved.shared
        accumulated = [:]
        accumulatedCalls = 0
    }
}
