/// Asynchronous successive halving (ASHA; Li et al., "A System for Massively Parallel
/// Hyperparameter Tuning", MLSys 2020) with Optuna's `SuccessiveHalvingPruner` semantics.
///
/// Rung r is reached at step `minimumResource · η^(minimumEarlyStoppingRate + r)`. When a trial
/// reaches a rung, its value there joins the rung's values (those of every trial that reached it,
/// pruned ones included); it is promoted (goes on) when it is among the best ⌊k/η⌋ of the k values
/// — or, while k < η, when it is the best so far — and pruned otherwise. A NaN value is pruned.
/// With `minimumResource` nil ("auto", Optuna's default) it is max(⌊n/100⌋, 1) where n is the
/// last step of the first complete trial, and nothing is pruned before a trial completes. The
/// trials that started before that first trial finished ran with no minimum resource known:
/// Optuna neither judged them nor entered them in any rung then (it records a rung value only
/// when it judges), so here too they stay out of the rungs and go on to the end. (One difference
/// remains: Optuna judges a start-up trial still running at its first report after the minimum
/// resource is known, entering that report's value in every rung it has passed.) (Left in, these
/// start-up trials — often full 20-epoch runs — crowded the upper rungs: with η = 4 a rung of
/// fewer than 4 values keeps only its best, so one good start-up trial at epoch 16 pruned every
/// later trial that reached epoch 16 with a worse value.)
///
/// Example (η = 4, minimum resource 1, one report per epoch): the rungs are at epochs 1, 4, 16.
/// A trial at epoch 4 whose loss ranks 3rd among 8 trials that reached epoch 4 is pruned
/// (only the best ⌊8/4⌋ = 2 go on).
public struct SuccessiveHalvingPruner: Pruner {
    public var minimumResource: Int?
    public var reductionFactor: Int
    public var minimumEarlyStoppingRate: Int

    public init(minimumResource: Int? = nil, reductionFactor: Int = 4, minimumEarlyStoppingRate: Int = 0) {
        self.minimumResource = minimumResource
        self.reductionFactor = Swift.max(reductionFactor, 2)
        self.minimumEarlyStoppingRate = Swift.max(minimumEarlyStoppingRate, 0)
    }

    /// The step at which rung `rung` is reached.
    public func rungStep(_ rung: Int, minimumResource: Int) -> Int {
        var step = minimumResource
        for _ in 0..<(minimumEarlyStoppingRate + rung) {
            let (next, overflow) = step.multipliedReportingOverflow(by: reductionFactor)
            if overflow { return .max }
            step = next
        }
        return step
    }

    /// A trial's value at rung `rung`: its value at the first step it reported at or after the rung's step.
    func rungValue(_ trial: TrialRecord, step rungStep: Int) -> (step: Int, value: Double)? {
        guard let step = trial.intermediate.keys.filter({ $0 >= rungStep }).min() else { return nil }
        return (step, trial.intermediate[step]!)
    }

    public func shouldPrune(_ trial: TrialRecord, trials: [TrialRecord], direction: StudyDirection) -> Bool {
        guard let step = trial.lastStep, let value = trial.intermediate[step] else { return false }
        let resource: Int
        var startedBefore = -Double.infinity
        if let minimumResource {
            resource = minimumResource
        } else {
            // Optuna fixes "auto" from the first complete trial seen; the earliest-numbered one is the same in every worker.
            let complete = trials.filter { $0.state == .complete && $0.number != trial.number }
            guard let first = complete.min(by: { $0.number < $1.number }), let steps = first.lastStep else { return false }
            resource = Swift.max(steps / 100, 1)
            // The start-up trials: those that started before the first complete trial finished.
            if let firstFinish = complete.compactMap(\.finished).min() {
                startedBefore = firstFinish
                if trial.started < firstFinish { return false }
            }
        }
        let judged = trials.filter { $0.number != trial.number && $0.started >= startedBefore }
        var rung = 0
        while true {
            let promotion = rungStep(rung, minimumResource: resource)
            guard step >= promotion else { return false }
            // Only the report that first reaches this rung is judged; earlier rungs were judged before.
            guard let reached = rungValue(trial, step: promotion), reached.step == step else {
                rung += 1
                continue
            }
            if value.isNaN { return true }
            var competing = judged.compactMap { rungValue($0, step: promotion)?.value }
            competing.append(value)
            if !Self.isPromotable(value, competing, reductionFactor: reductionFactor, direction: direction) { return true }
            rung += 1
        }
    }

    /// Whether `value` is among the best ⌊k/η⌋ of the k `competing` values (the best one while k < η).
    static func isPromotable(_ value: Double, _ competing: [Double], reductionFactor: Int, direction: StudyDirection) -> Bool {
        var index = competing.count / reductionFactor - 1
        if index == -1 { index = 0 }
        // NaN sorts last, as NumPy's sort puts it.
        let sorted = competing.sorted { $1.isNaN ? !$0.isNaN : (!$0.isNaN && $0 < $1) }
        if direction == .maximize { return value >= sorted.filter { !$0.isNaN }.reversed().dropFirst(index).first ?? -.infinity }
        return value <= sorted[index]
    }
}
