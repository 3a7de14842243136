import DescentData
import DescentDistributed
import DescentNN
import DescentOptim
import DescentTensor

extension Trainer {
    /// The validation loss and metric of a data-parallel job, each process evaluating its shard of the validation
    /// rows (rows ⌊r·n/N⌋ ..< ⌊(r+1)·n/N⌋, as `DataParallelStep` cuts a batch) instead of rank 0 alone while the
    /// others wait: the sums that make them are all-reduced,
    ///
    ///     loss = Σ_r n_r · ℓ̄_r / n,    accuracy = Σ_r n_r · a_r / n,    R² = 1 − Σ_r Σ_{i∈r} (ŷᵢ − yᵢ)² / Σᵢ (yᵢ − ȳ)²
    ///
    /// (ℓ̄_r, a_r: the mean loss and the accuracy of rank r's n_r rows; the denominator of R² from every target, which
    /// each process holds), and rank 0's result is broadcast, so every process decides on the same numbers. The same
    /// loss and metric as one process evaluating every row, up to the rounding of the sums (1e-7 relative).
    ///
    /// Only for models without buffers: batch-norm statistics are per process, and a model with them is evaluated by
    /// rank 0 alone (`shardsEvaluation(of:)`), with rank 0's statistics as before.
    ///
    /// ```swift
    /// // 2 processes, 360 validation rows: each evaluates 180, 2 doubles and a count travel, 0.5 × the time
    /// let (loss, accuracy) = try trainer.evaluateInShards(model, optimizer: &optimizer, on: validation, objective: objective)
    /// ```
    func evaluateInShards<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: inout Optimizer<Rule>, on dataset: Dataset, objective: Objective
    ) throws -> (loss: Double, metric: Double) {
        let rows = DataParallelStep.shard(of: 0..<dataset.count, rank: communicator.rank, size: communicator.size)
        // This process's sums: Σ loss over its rows, Σ correct (classification) or Σ squared residual (regression).
        var sums = [0.0, 0.0]
        if !rows.isEmpty {
            let shard = rows.count == dataset.count ? dataset : dataset.subset(Array(rows))
            let outputs = try evaluationOutputs(of: model, optimizer: &optimizer, features: shard.features)
            let count = Double(rows.count)
            sums[0] = Double(try objective.loss(outputs, shard.targets).item) * count
            switch (objective, shard.targets) {
            case (.regression, .values(let values)):
                let predictions = try outputs.reshaped(to: [rows.count]).scalars, targets = values.scalars
                sums[1] = zip(predictions, targets).reduce(0.0) { $0 + (Double($1.0) - Double($1.1)) * (Double($1.0) - Double($1.1)) }
            default:
                sums[1] = try objective.metric(outputs, shard.targets) * count
            }
        }
        try sums.withUnsafeMutableBufferPointer { try communicator.allReduce($0, .sum) }
        let count = Double(dataset.count)
        var numbers = [sums[0] / count, sums[1] / count]
        if case (.regression, .values(let values)) = (objective, dataset.targets) {
            // R² over every row, with Objective.metric's NaN for constant targets.
            let targets = values.scalars
            let mean = targets.reduce(0.0) { $0 + Double($1) } / count
            let total = targets.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
            numbers[1] = total > 0 ? 1 - sums[1] / total : .nan
        }
        try communicator.broadcast(&numbers, from: 0)
        return (numbers[0], numbers[1])
    }

    /// Whether the processes evaluate the validation set in shards: with more than one, and a model without buffers
    /// (whose per-process running statistics would make the shards disagree with rank 0's evaluation).
    func shardsEvaluation(of model: some Module) -> Bool {
        communicator.size > 1 && model.namedBuffers.isEmpty
    }
}
