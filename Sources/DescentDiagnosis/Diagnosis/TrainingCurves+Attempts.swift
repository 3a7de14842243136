import DescentTrain
/// The steps of a run split into the path it kept and the attempts its rollbacks threw away.
///
/// When the divergence guard rolls back, the trainer restores an earlier state and does the
/// steps after it again, so `steps` holds some step numbers more than once: a run that rolled
/// back twice to the start of epoch 2 holds that epoch's steps three times. Drawn as they come,
/// the three attempts lie over one another. Here each step number keeps only its last attempt
/// (`kept`, increasing step numbers); the attempts a rollback replaced are `discarded`, each with
/// the step it restarted from.
///
/// Example: steps 1 2 3 4 5 | 3 4 | 3 4 5 6 (two rollbacks to the state after step 2) give
/// `kept` = 1 2 3 4 5 6 and `discarded` = [3 4 5 (restart 2), 3 4 (restart 2)].
public struct TrainingAttempts: Sendable, Equatable {
    /// Steps a rollback threw away, and the step whose state the retry started from.
    public struct Discarded: Sendable, Equatable {
        public var steps: [TrainingCurves.Step]
        /// The retry's first step is `restartedAfter + 1`.
        public var restartedAfter: Int
    }

    /// The last attempt of every step, in increasing step order: the path the run kept.
    public var kept: [TrainingCurves.Step]
    /// The attempts replaced by rollbacks, in the order they were thrown away.
    public var discarded: [Discarded]

    /// Splits `steps` (in the order they were reported).
    public init(steps: [TrainingCurves.Step]) {
        var kept: [TrainingCurves.Step] = []
        var discarded: [Discarded] = []
        for step in steps {
            if let last = kept.last, step.step <= last.step {
                let cut = kept.firstIndex { $0.step >= step.step } ?? kept.count
                discarded.append(Discarded(steps: Array(kept[cut...]), restartedAfter: step.step - 1))
                kept.removeSubrange(cut...)
            }
            kept.append(step)
        }
        self.kept = kept
        self.discarded = discarded
    }
}

extension TrainingCurves {
    /// The kept path and the attempts the guard's rollbacks discarded (see ``TrainingAttempts``).
    public var attempts: TrainingAttempts { TrainingAttempts(steps: steps) }
}

extension TrainingCurves {
    /// Where each rollback falls on an epoch axis (epoch k ends at x = k): the epochs completed before
    /// it, in the order things happened, plus the fraction of the next epoch's steps done when it came.
    ///
    /// Step numbers alone cannot say it, because a rollback rewinds them while the epochs count on:
    /// SGD at 20 on iris (4 steps an epoch) rolls back at step 10 to the start twice, after epochs 2 and 4,
    /// so the rollbacks sit at 2.5 and 4.5, not both at 10 / 4 = 2.5. When the steps do not show one
    /// rewind per rollback (a log cut short), each falls back to `step / stepsPerEpoch`.
    public func rollbackEpochPositions(stepsPerEpoch: Int) -> [Double] {
        let perEpoch = Double(Swift.max(stepsPerEpoch, 1))
        var rewinds: [Int] = []
        for index in steps.indices.dropFirst() where steps[index].step <= steps[index - 1].step { rewinds.append(index) }
        guard rewinds.count == rollbacks.count else { return rollbacks.map { Double($0.step) / perEpoch } }
        // The position in `steps` of each epoch's last step: the first time, after the previous epoch's end, that its step number comes.
        var epochEnds: [Int] = []
        var cursor = 0
        for epoch in epochs {
            guard cursor < steps.count, let end = steps[cursor...].firstIndex(where: { $0.step == epoch.step }) else { break }
            epochEnds.append(end)
            cursor = end + 1
        }
        return rewinds.map { position in
            let before = epochEnds.filter { $0 < position }
            let stepsSince = position - ((before.last ?? -1) + 1)
            return Double(before.count) + Double(stepsSince) / perEpoch
        }
    }
}
