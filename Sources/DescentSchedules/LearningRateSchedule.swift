/// A learning-rate schedule: the rate as a pure function of the step (0-based).
///
/// Schedules are closed forms, never recursions: the value at step 10 000 costs the same as at
/// step 1, and a resumed run gets exactly the rate it had. The rate returned is absolute (for
/// PyTorch-style schedules it is `base_lr × factor`, with the base rate stored in the schedule).
///
///     let cosine = try CosineDecaySchedule(from: 0.1, to: 0, steps: 100)
///     cosine(0)    // 0.1
///     cosine(50)   // 0.05
///     cosine(100)  // 0.0
public protocol LearningRateSchedule: Sendable {
    /// The rate in force at `step` (0-based). Defined for every step, including past the end
    /// (each schedule documents what it does there); the built-in schedules treat a negative step as 0.
    func callAsFunction(_ step: Int) -> Double
}

/// A schedule of momentum (SGD momentum or Adam's β₁), cycled inversely to the rate by
/// one-cycle and cyclic schedules, as PyTorch's `OneCycleLR` and `CyclicLR` do.
///
/// `nil` means "this schedule does not set momentum at this step: keep the optimizer's own".
public protocol MomentumSchedule: Sendable {
    func callAsFunction(_ step: Int) -> Double?
}

/// A built-in schedule: it has a text form (its `description`, which parses back to an equal
/// schedule), is `Codable` (encoded as that text form), and may cycle momentum.
public protocol SerializableSchedule: LearningRateSchedule, Codable, CustomStringConvertible {
    /// The number of steps after which the schedule has done its work, used by `a >> b` to know
    /// when `b` begins; `nil` when it goes on for ever (then it can only end a sequence).
    var length: Int? { get }
    /// The momentum this schedule sets at `step`, or `nil` when it does not cycle momentum.
    func momentum(at step: Int) -> Double?
    /// Whether the schedule sets momentum at some step (it is, or contains, a one-cycle or cyclic
    /// schedule that cycles momentum).
    var cyclesMomentum: Bool { get }
}

extension SerializableSchedule {
    public var length: Int? { nil }
    public func momentum(at step: Int) -> Double? { nil }
    public var cyclesMomentum: Bool { false }

    /// Encodes the schedule as its text form, e.g. `"cosine(from: 0.1, to: 0.0, steps: 100)"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Decodes a schedule from its text form; the text must give every parameter explicitly
    /// (there is no run length or base rate to take defaults from).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        let schedule: AnySchedule
        do {
            schedule = try ScheduleParser.parse(text)
        } catch let error as ScheduleError {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "schedule \"\(text)\": \(error)")
        }
        if let typed = schedule.base as? Self {
            self = typed
        } else if let typed = schedule as? Self {
            self = typed
        } else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" is not a \(Self.self)")
        }
    }
}

/// Momentum set by a schedule that cycles it (one-cycle, cyclic), `nil` elsewhere.
///
///     let oneCycle = try OneCycleSchedule(peak: 0.1, steps: 50)
///     let momentum = ScheduledMomentum(oneCycle)
///     momentum(0)   // 0.95 (max_momentum), falls to 0.85 at the peak rate
public struct ScheduledMomentum: MomentumSchedule {
    public let schedule: AnySchedule

    public init(_ schedule: some SerializableSchedule) {
        self.schedule = AnySchedule(schedule)
    }

    public func callAsFunction(_ step: Int) -> Double? {
        schedule.momentum(at: step)
    }
}
