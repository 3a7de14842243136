/// Any built-in schedule, type-erased: what the parser returns and what combinators hold.
///
/// Two `AnySchedule`s are equal when their text forms are equal (the text form lists every
/// parameter, with shortest round-trip number formatting). Codable as the text form.
///
///     let schedule = try ScheduleParser.parse("warmup(500) >> cosine(to: 1e-5)",
///                                             totalSteps: 10_000, baseLearningRate: 3e-4)
///     schedule(0)       // 0.0
///     schedule(500)     // 0.0003
///     schedule(10_000)  // 1e-05
public struct AnySchedule: SerializableSchedule, Equatable {
    /// The schedule inside.
    public let base: any SerializableSchedule

    public init(_ schedule: some SerializableSchedule) {
        if let erased = schedule as? AnySchedule {
            self = erased
        } else {
            base = schedule
        }
    }

    public func callAsFunction(_ step: Int) -> Double { base(step) }
    public var length: Int? { base.length }
    public func momentum(at step: Int) -> Double? { base.momentum(at: step) }
    public var description: String { base.description }

    public var cyclesMomentum: Bool { base.cyclesMomentum }

    public static func == (lhs: AnySchedule, rhs: AnySchedule) -> Bool {
        lhs.description == rhs.description
    }
}
