import DescentData
import DescentNN
import DescentTensor
import Foundation

/// The rule for small tables: a run on a raw table with fewer than ``rowLimit`` training rows trains
/// ``automaticMembers`` models instead of one — the run itself and `members − 1` more, member k with seed
/// `seed + 1000·k` (so its own validation part, initial weights and automatically chosen rate) on the run's fitted
/// preprocessing — and predicts with their average: for regression the mean output, for classification the mean of
/// the members' class probabilities,
///
///     ŷ = (1/K) Σₖ fₖ(x),   p(c | x) = (1/K) Σₖ softmax(fₖ(x))_c,
///
/// (bagging over validation parts and seeds: Breiman, "Bagging predictors", Machine Learning 24, 1996; Lakshminarayanan
/// et al., "Simple and scalable predictive uncertainty estimation using deep ensembles", NeurIPS 2017). Why: on a few
/// hundred rows one run's result hangs on which 20% its validation part took and on a race of rates decided on ≈ 30
/// validation rows; averaging five runs halved the seed-to-seed spread and raised the mean on 8 of 9 small tables
/// (docs/tabular.md, "Small tables"), where a smaller validation part, smaller batches, a smaller model, weight decay or
/// retraining on all rows did not help on average; on eight held-out tables, on fixed splits, it halved the spread that
/// descent's own seed puts on the result (standard deviation 0.063 → 0.029) and raised the mean by 0.013.
///
/// ```swift
/// SmallTableEnsemble.members(trainingRows: 93, requested: nil)     // 5 (a small table)
/// SmallTableEnsemble.members(trainingRows: 2_140, requested: nil)  // 1
/// SmallTableEnsemble.members(trainingRows: 93, requested: 1)       // 1 (turned off: --ensemble 1)
/// SmallTableEnsemble.seed(of: 2, runSeed: 7)                       // 2007
/// ```
public enum SmallTableEnsemble {
    /// Below this many training rows (after the validation part) a raw table is small.
    public static let rowLimit = 1_000
    /// The members of a small table's ensemble when none is requested.
    public static let automaticMembers = 5
    /// The range of a requested member count (`ensemble`, `--ensemble`).
    public static let allowedMembers = 1...20

    /// How many models to train: `requested` when given, else ``automaticMembers`` for fewer than ``rowLimit``
    /// training rows and 1 otherwise.
    public static func members(trainingRows: Int, requested: Int?) -> Int {
        if let requested { return requested }
        return trainingRows < rowLimit ? automaticMembers : 1
    }

    /// Member `index`'s seed (member 0 is the run itself): `runSeed + 1000·index`, wrapping.
    public static func seed(of index: Int, runSeed: UInt64) -> UInt64 {
        runSeed &+ UInt64(index) &* 1000
    }

    /// The averaged outputs of `outputs` (each `[n, k]`, one per member): the mean for regression; for
    /// classification the logarithm of the mean softmax, so that `softmax` of the result is the mean of the
    /// members' probabilities and its arg-max their averaged vote.
    public static func average(_ outputs: [Tensor], task: PredictionTask) throws -> Tensor {
        guard let first = outputs.first else { return try Tensor(shape: [0, 1], scalars: []) }
        guard outputs.count > 1 else { return first }
        let shape = first.shape
        var sum = [Float](repeating: 0, count: first.scalars.count)
        for output in outputs {
            let values = task == .classification ? try output.softmax(alongAxis: 1).scalars : output.scalars
            for index in sum.indices { sum[index] += values[index] }
        }
        let count = Float(outputs.count)
        let mean = sum.map { $0 / count }
        return try Tensor(shape: shape, scalars: task == .classification ? mean.map { Float(Foundation.log(Double(Swift.max($0, .leastNormalMagnitude)))) } : mean)
    }
}

extension SmallTableEnsemble {
    /// One of an ensemble's other members as trained: its model, seed, rate and kept epoch's validation metric.
    public struct Member {
        public let model: Sequential
        public let seed: UInt64
        public let learningRate: Double
        /// The kept (or last) epoch's validation metric on the member's own validation part (accuracy or R²).
        public let validationMetric: Double?
        public let epochsRun: Int
    }

    /// Trains member `index` (1…K−1) of the ensemble whose first model `spec` trained and `card` describes: the same
    /// run (`TrainingRun`) with seed ``seed(of:runSeed:)`` — its own validation part, initial weights and, when the
    /// rate is automatic, its own rate — reading rows through `card`'s fitted preprocessing (not refitted), so all
    /// members share one input encoding. Outputs (checkpoints, logs, reports, the saved file) are not written.
    /// - Throws: as `TrainingRun.train`.
    public static func trainMember(_ index: Int, of spec: RunSpecification, sharing card: ModelCard,
                                   stopRequest: StopRequest? = nil) throws -> Member {
        var member = spec.withoutOutputs
        member.seed = seed(of: index, runSeed: spec.seed)
        member.folds = nil
        member.initWeights = nil
        member.ensemble = nil
        if member.learningRate.isAutomatic { member.learningRate = .automatic(chosen: nil) }
        var run = try TrainingRun(member)
        run.sharing = card
        let trained = try run.train(stopRequest: stopRequest)
        let history = trained.outcome.history
        let kept = trained.outcome.keptEpoch.flatMap { epoch in history.first { $0.epoch == epoch } } ?? history.last
        return Member(model: trained.predictor.model, seed: member.seed, learningRate: trained.specification.learningRate.value ?? .nan,
                      validationMetric: kept?.validationMetric, epochsRun: history.count)
    }

    /// What training an ensemble's other members came to (``trainMembers(_:of:sharing:stopRequest:)``).
    public enum MembersOutcome {
        /// Members 1…K−1, in order.
        case trained([Member])
        /// Member `index` failed (diverged, say): the run keeps its one model.
        case failed(index: Int, seed: UInt64, error: any Error)
        /// A stop was requested while they trained: the run keeps its one model (those trained so far are dropped).
        case interrupted
    }

    /// Trains members 1…`count`−1 (``trainMember(_:of:sharing:stopRequest:)``) one after another, stopping at the first that
    /// fails or at a stop request: the one loop `descent train` and the library's `TrainingRun` share.
    public static func trainMembers(_ count: Int, of spec: RunSpecification, sharing card: ModelCard,
                                    stopRequest: StopRequest? = nil) -> MembersOutcome {
        var trained: [Member] = []
        for index in 1..<Swift.max(count, 1) {
            if stopRequest?.isRequested == true { return .interrupted }
            do {
                trained.append(try trainMember(index, of: spec, sharing: card, stopRequest: stopRequest))
            } catch {
                return .failed(index: index, seed: seed(of: index, runSeed: spec.seed), error: error)
            }
        }
        return stopRequest?.isRequested == true ? .interrupted : .trained(trained)
    }
}

