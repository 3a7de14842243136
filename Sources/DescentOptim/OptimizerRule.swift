import DescentTensor

/// The math of one optimizer for one parameter tensor, written once.
///
/// A rule says how to create the per-tensor state (`makeState(for:)`) and how
/// one step changes a parameter given its gradient (`update(_:gradient:state:shared:context:)`).
/// Everything around it — the walk over named parameters, parameter groups,
/// clipping, gradient accumulation, non-finite checks, the learning rate of the
/// step, saving and restoring state by name — is written once in `Optimizer`.
///
/// Rules that need quantities summed over all tensors before any tensor moves
/// (Prodigy's and D-Adaptation's distance estimate) return a positive
/// `globalPassCount(atStep:)` and implement `accumulate(pass:...)` (called for
/// every tensor, returning numbers that are summed over all tensors) and
/// `finishGlobalPass(pass:...)`, once per pass, before the updates.
///
/// ```swift
/// var optimizer = try Optimizer(Adam(), learningRate: 0.01)
/// var parameters = ["w": Tensor([1, 2])]
/// try optimizer.update(&parameters, along: ["w": Tensor([0.5, -0.5])])
/// // parameters["w"] ≈ [0.99, 2.01]: Adam's first step moves each element by lr.
/// ```
public protocol OptimizerRule: Sendable {
    /// Per-tensor state (moment buffers and the like), saved and restored by parameter name.
    associatedtype State: OptimizerTensorState
    /// State shared by all tensors (e.g. Prodigy's d estimate); `NoSharedState` when none.
    associatedtype SharedState: Codable & Sendable = NoSharedState

    /// A short name, e.g. "Adam", used in messages.
    var name: String { get }
    /// The state of a tensor before its first update.
    func makeState(for parameter: Tensor) -> State
    /// The shared state before the first update.
    func makeSharedState() -> SharedState
    /// How many passes over all tensors (`accumulate`, then `finishGlobalPass`) precede the updates of a step.
    func globalPassCount(atStep step: Int) -> Int
    /// A pass before the updates, once per tensor: may update `state`; returns numbers summed over all tensors.
    func accumulate(pass: Int, _ parameter: Tensor, gradient: Tensor, state: inout State, shared: SharedState,
                    context: UpdateContext) -> [Double]
    /// After each pass: turns the summed numbers into the shared state.
    func finishGlobalPass(pass: Int, shared: inout SharedState, totals: [Double], context: UpdateContext)
    /// One step of the rule for one tensor: moves `parameter` using `gradient`, updates `state`.
    func update(_ parameter: inout Tensor, gradient: Tensor, state: inout State, shared: SharedState,
                context: UpdateContext)
    /// For rules whose training point differs from the point to evaluate (schedule-free):
    /// moves `parameter` from the training point to the evaluation point (`toEvaluation` true) or back.
    func switchMode(_ parameter: inout Tensor, toEvaluation: Bool, state: State, shared: SharedState)
}

extension OptimizerRule {
    public func globalPassCount(atStep step: Int) -> Int { 0 }
    public func accumulate(pass: Int, _ parameter: Tensor, gradient: Tensor, state: inout State, shared: SharedState,
                           context: UpdateContext) -> [Double] { [] }
    public func finishGlobalPass(pass: Int, shared: inout SharedState, totals: [Double], context: UpdateContext) {}
    public func switchMode(_ parameter: inout Tensor, toEvaluation: Bool, state: State, shared: SharedState) {}
}

extension OptimizerRule where SharedState == NoSharedState {
    public func makeSharedState() -> NoSharedState { NoSharedState() }
}

/// The shared state of rules that have none.
public struct NoSharedState: Codable, Sendable, Equatable {
    public init() {}
}

/// The per-tensor state of a rule: `Codable`, and able to say whether it fits a tensor.
public protocol OptimizerTensorState: Codable, Sendable {
    /// The element counts of the buffers this state holds (an empty buffer is allowed and not listed).
    var bufferCounts: [Int] { get }
}

extension OptimizerTensorState {
    /// Whether every buffer has `count` elements (used when restoring state by name).
    public func fits(elementCount count: Int) -> Bool { bufferCounts.allSatisfy { $0 == count } }
}

/// What a rule knows about the step it is taking for one tensor.
///
/// `learningRate` is the rate in force for this tensor's group at this step,
/// already multiplied out: base rate × schedule × controllers' scale.
public struct UpdateContext: Sendable, Equatable {
    /// The rate for this step (schedule × controllers' scale, for this tensor's group).
    public var learningRate: Double
    /// The number of this update, starting at 1 (PyTorch's `state["step"]` after incrementing).
    public var step: Int
    /// The weight-decay coefficient of this tensor's group; the rule applies it as its reference does.
    public var weightDecay: Double
    /// A scheduled momentum (SGD momentum, Adam's beta1) replacing the rule's own, e.g. from one-cycle.
    public var momentum: Double?
    /// The parameter's name, e.g. `layers.0.weight`.
    public var parameterName: String

    public init(learningRate: Double, step: Int, weightDecay: Double = 0, momentum: Double? = nil,
                parameterName: String = "") {
        self.learningRate = learningRate
        self.step = step
        self.weightDecay = weightDecay
        self.momentum = momentum
        self.parameterName = parameterName
    }
}
