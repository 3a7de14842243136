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
