import Dispatch

/// Where the training steps' wall-clock time went, summed over the run's steps: the profile that
/// `descent bench train --profile` prints, and the all-reduce's share of a step.
///
/// Each phase is measured with the monotonic clock around one part of a step:
///
/// * `batch`: selecting the step's rows (this process's shard of the global batch);
/// * `forward`: the forward pass and the loss on those rows (recording the tape);
/// * `backward`: the backward pass (the gradients from the tape);
/// * `pack` / `unpack`: copying the gradients into the buffer that is all-reduced and back out (N processes);
/// * `wait`: with `Trainer.separatesWaitFromTransfer`, a barrier before the all-reduce: the time this
///   process waits for the slowest one (0 otherwise, and then `allReduce` includes that wait);
/// * `allReduce`: the all-reduce itself (the gradients, the loss and example sums and the stop request, in one call);
/// * `optimizer`: the optimizer's update of the parameters.
///
/// Outside the phases (not in `total`), per run: `betweenPhases`, the rest of the steps (events, bookkeeping,
/// the guard); `epochWork`, each epoch's work before its first step and after its last (shuffling, parameter
/// discovery, validation, controllers, checkpoints, the epoch's events). They tell what a data-parallel run
/// pays that one process does not, outside the all-reduce.
///
/// ```swift
/// let outcome = try trainer.run(model, optimizer: &optimizer, training: data)
/// let times = outcome.stepTimes
/// times.communication / times.total   // e.g. 0.04: 4 % of a step in the all-reduce (and the wait before it)
/// times.perStep(times.backward)        // e.g. 0.0009 s per step in the backward pass
/// ```
public struct StepTimes: Sendable, Equatable {
    public var steps = 0
    public var batch = 0.0
    public var forward = 0.0
    public var backward = 0.0
    public var pack = 0.0
    public var wait = 0.0
    public var allReduce = 0.0
    public var unpack = 0.0
    public var optimizer = 0.0
    /// Seconds inside the steps' loop but outside the phases.
    public var betweenPhases = 0.0
    /// Seconds of the epochs' work before their first step and after their last.
    public var epochWork = 0.0

    public init() {}

    /// The seconds of the all-reduce, the wait before it included.
    public var communication: Double { wait + allReduce }
    /// The seconds of every measured phase.
    public var total: Double { batch + forward + backward + pack + wait + allReduce + unpack + optimizer }
    /// `seconds` averaged over the steps (0 before the first).
    public func perStep(_ seconds: Double) -> Double { steps == 0 ? 0 : seconds / Double(steps) }

    /// The phases by name, in the order of a step, for printing and JSON.
    public var phases: [(name: String, seconds: Double)] {
        [("batch", batch), ("forward", forward), ("backward", backward), ("pack", pack), ("wait", wait),
         ("all_reduce", allReduce), ("unpack", unpack), ("optimizer", optimizer)]
    }
}

/// Nanoseconds of the monotonic clock, for `StepTimes`.
@inline(__always) func monotonicNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// Seconds between two readings of `monotonicNanoseconds()`.
@inline(__always) func seconds(from start: UInt64, to end: UInt64) -> Double { Double(end &- start) / 1e9 }
