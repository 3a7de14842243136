/// The linear scaling rule: a schedule tuned for `baseBatchSize` scaled to `batchSize`, reached
/// by a gradual linear warmup.
///
/// Source: Goyal et al. 2017, "Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour".
/// With `k = batchSize / baseBatchSize` and `W = warmup`:
///
///     η(t) = schedule(t) · (1 + (k − 1) · t / W)    for t < W
///     η(t) = schedule(t) · k                        otherwise
///
/// Text form: `scaled(cosine(from: 0.1, to: 0.0, steps: 1000), batch: 1024, base_batch: 256, warmup: 50)`.
///
/// Example: `scaled(constant(0.1), batch: 1024, base_batch: 256, warmup: 10)` gives 0.1 at step 0,
/// 0.25 at step 5, 0.4 from step 10 on.
public struct LinearScalingSchedule: SerializableSchedule, Equatable {
    public let schedule: AnySchedule
    public let batchSize: Int
    public let baseBatchSize: Int
    public let warmup: Int

    public init(_ schedule: AnySchedule, batchSize: Int, baseBatchSize: Int, warmup: Int = 0) throws {
        try ScheduleSettingCheck.atLeast(batchSize, 1, "batch")
        try ScheduleSettingCheck.atLeast(baseBatchSize, 1, "base_batch")
        try ScheduleSettingCheck.atLeast(warmup, 0, "warmup")
        self.schedule = schedule
        self.batchSize = batchSize
        self.baseBatchSize = baseBatchSize
        self.warmup = warmup
    }

    /// The multiplier applied to the schedule at `step`.
    public func multiplier(at step: Int) -> Double {
        let k = Double(batchSize) / Double(baseBatchSize)
        guard step < warmup else { return k }
        return 1 + (k - 1) * Double(max(step, 0)) / Double(warmup)
    }

    public func callAsFunction(_ step: Int) -> Double { schedule(step) * multiplier(at: step) }
    public func momentum(at step: Int) -> Double? { schedule.momentum(at: step) }
    public var length: Int? { schedule.length }
    public var cyclesMomentum: Bool { schedule.cyclesMomentum }

    public var description: String {
        "scaled(\(schedule), batch: \(batchSize), base_batch: \(baseBatchSize), warmup: \(warmup))"
    }
}
