import DescentData
import DescentNN
import DescentOptim
import DescentTensor

/// A short race among candidate peak rates, decided on validation loss: successive halving (Li et al.,
/// "Hyperband", JMLR 2018) over the run's own schedule, the survivors trained on.
///
/// Every candidate starts from the same weights and trains with the run's schedule built for its rate
/// (the whole run's length, so its warm-up and decay are those the run will have). At each rung (an
/// epoch count) the candidates are ranked by the lowest validation loss they have reached so far and the
/// better half goes on; the last survivor is the winner, and its checkpoint (weights, optimizer state,
/// history) is where the run goes on from, so the winner's epochs are not trained twice. With n
/// candidates and rungs at e₁ < e₂ < … the race costs n·e₁ + ⌈n/2⌉·(e₂ − e₁) + … epochs before the
/// winner's remaining ones.
///
/// Ranking by the best epoch so far (not the last) matches what the run keeps when
/// `TrainingConfiguration.keepsBestWeights` is on, and a candidate whose validation loss rises late
/// (overfitting) keeps the score of its best epoch, as its kept weights will.
///
/// ```swift
/// let race = LearningRateRace(rates: [1e-3, 3.16e-3, 1e-2, 3.16e-2], rungs: [4, 8])
/// var configuration = TrainingConfiguration(epochs: 30, batchSize: 32)
/// configuration.keepsBestWeights = true
/// let result = try race.run(model: model, configuration: configuration, training: split.train,
///                           validation: split.validation) { rate in try Optimizer(Adam(), learningRate: rate) }
/// result.winner                 // the index of the rate with the lowest validation loss at the last rung
/// result.candidates[0].bestValidationLoss
/// ```
public struct LearningRateRace: Sendable, Equatable {
    /// The candidate peak rates, in the order they are reported.
    public var rates: [Double]
    /// The epoch counts after which the field is halved (increasing, each at least 1).
    public var rungs: [Int]

    public init(rates: [Double], rungs: [Int]) {
        self.rates = rates
        self.rungs = rungs
    }

    /// One candidate as the race left it.
    public struct Candidate: Codable, Sendable, Equatable {
        /// Its peak rate.
        public var learningRate: Double
        /// Epochs it was trained.
        public var epochsTrained: Int
        /// Its validation loss after each epoch it trained (nil where not finite).
        public var validationLosses: [Double?]
        /// The lowest finite validation loss it reached (nil: none, e.g. it diverged).
        public var bestValidationLoss: Double?
        /// The rung (epoch count) after which it was dropped; nil for the winner.
        public var eliminatedAfterEpoch: Int?
        /// Why it ended, when it did not simply lose a rung (diverged, stopped early).
        public var note: String?

        public init(learningRate: Double, epochsTrained: Int = 0, validationLosses: [Double?] = [], bestValidationLoss: Double? = nil,
                    eliminatedAfterEpoch: Int? = nil, note: String? = nil) {
            self.learningRate = learningRate
            self.epochsTrained = epochsTrained
            self.validationLosses = validationLosses
            self.bestValidationLoss = bestValidationLoss
            self.eliminatedAfterEpoch = eliminatedAfterEpoch
            self.note = note
        }
    }

    /// What the race did: every candidate, the winner and where its run stands.
    public struct Result<Rule: OptimizerRule> {
        public var candidates: [Candidate]
        /// The index of the winner in `candidates`.
        public var winner: Int
        /// The winner's run after the last rung, to go on from with `Trainer.run(resumingFrom:)`.
        public var checkpoint: TrainingCheckpoint<Rule>
        /// Epochs trained by all candidates together (the race's cost).
        public var epochsTrained: Int { candidates.reduce(0) { $0 + $1.epochsTrained } }
    }

    /// The rungs for a run of `epochs` epochs: the field is halved after about an eighth and a quarter of the
    /// run (`fractions`), each rung at least one epoch and before the last epoch; fewer rungs when the run is
    /// too short for distinct ones (a 5-epoch run has one rung, at epoch 1). Four candidates then cost
    /// 4·E/8 + 2·E/8 + 3E/4 ≈ 1.5 runs of E epochs, the winner's included. The automatic rate's race takes its
    /// rungs from `rungs(epochs:candidates:)`.
    ///
    /// ```swift
    /// LearningRateRace.rungs(epochs: 30)    // [4, 8]
    /// LearningRateRace.rungs(epochs: 200)   // [25, 50]
    /// ```
    public static func rungs(epochs: Int, fractions: [Double] = [1.0 / 8, 1.0 / 4]) -> [Int] {
        var result: [Int] = []
        for fraction in fractions {
            let epoch = Swift.max(Int((Double(epochs) * fraction).rounded()), 1)
            if epoch < epochs && epoch > (result.last ?? 0) { result.append(epoch) }
        }
        return result
    }

    /// The rungs for `candidates` candidates: successive halving with one rung per halving, ⌈log₂ n⌉ of them,
    /// the last after 3/8 of the run and the earlier ones at E/8, E/16, … (the last but one at E/8), so the
    /// race costs about 1.6 runs whatever the field. Four candidates: rungs E/8 and 3E/8, cost
    /// 4·E/8 + 2·2E/8 + 5E/8 = 1.625 E; five to eight add one at E/16 (six: 1.69 E).
    ///
    /// The last rung is at 3/8 rather than 1/4 because the validation loss of small, noisy tables jumps from
    /// epoch to epoch: on aids2 (30 epochs) two survivors at 0.0398 and 0.0126 were 0.094 and 0.101 after
    /// epoch 8, and 0.0126 ended at 0.073 where 0.0398 ended at 0.091; after epoch 11 the ranking held.
    ///
    /// ```swift
    /// LearningRateRace.rungs(epochs: 30, candidates: 4)    // [4, 11]
    /// LearningRateRace.rungs(epochs: 200, candidates: 6)   // [13, 25, 75]  (6·13 + 3·12 + 2·50 + 125 = 339 epochs)
    /// LearningRateRace.rungs(epochs: 5, candidates: 6)     // [1, 2]
    /// ```
    public static func rungs(epochs: Int, candidates: Int) -> [Int] {
        var halvings = 1
        while 1 << halvings < candidates { halvings += 1 }
        var fractions = (0..<halvings).reversed().map { 0.25 / Double(1 << $0) }
        fractions[fractions.count - 1] = 3.0 / 8
        return rungs(epochs: epochs, fractions: fractions)
    }

    /// The race ended by a `StopRequest` before it had a winner (thrown by `run`): every candidate as far as it got.
    public struct Interrupted: Error, Sendable {
        /// The candidates, the one stopped noted; epochs cut short by the stop are not counted.
        public var candidates: [Candidate]
        /// Epochs trained by all candidates together before the stop.
        public var epochsTrained: Int { candidates.reduce(0) { $0 + $1.epochsTrained } }
    }

    /// Trains the candidates on `training`, ranks them on `validation`, and returns the winner's checkpoint.
    /// `model` is left holding the weights it started with.
    /// - Parameters:
    ///   - configuration: the run's configuration (its `epochs` is the run's length; the race trains to its rungs).
    ///   - description: the run's description, stored in the checkpoint the run resumes from.
    ///   - stopRequest: checked before each step of each candidate (`Trainer.run`); once set the race ends there.
    ///   - makeOptimizer: the run's optimizer, schedule and controllers for a peak rate.
    /// - Throws: `Interrupted` when `stopRequest` was set before the race had a winner;
    ///   `TrainingError.invalidConfiguration` when there are no candidates or no rungs; the model's
    ///   and data's errors. A candidate that diverges is dropped (noted), not thrown.
    public func run<Model: Module, Rule: OptimizerRule>(
        model: Model, configuration: TrainingConfiguration, training: Dataset, validation: Dataset,
        description: [String: String] = [:], stopRequest: StopRequest? = nil, makeOptimizer: (Double) throws -> Optimizer<Rule>
    ) throws -> Result<Rule> {
        guard !rates.isEmpty else { throw TrainingError.invalidConfiguration("a learning-rate race needs at least one candidate") }
        guard let lastRung = rungs.last, lastRung >= 1, lastRung <= configuration.epochs,
              zip(rungs, rungs.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw TrainingError.invalidConfiguration("the race's rungs \(rungs) must increase within 1…\(configuration.epochs) epochs")
        }
        let initial = model.stateDictionary
        defer { _ = try? model.load(parameters: initial) }
        var candidates = rates.map { Candidate(learningRate: $0) }
        var checkpoints = [TrainingCheckpoint<Rule>?](repeating: nil, count: rates.count)
        var finished = [Bool](repeating: false, count: rates.count)
        var alive = Array(rates.indices)
        for (rungIndex, rung) in rungs.enumerated() {
            for index in alive where !finished[index] {
                if stopRequest?.isRequested == true { throw Interrupted(candidates: candidates) }
                var stage = configuration
                stage.epochs = rung
                stage.checkpointsEachEpoch = false
                var optimizer = try makeOptimizer(rates[index])
                let latest = CheckpointHolder<Rule>()
                if checkpoints[index] == nil { try model.load(parameters: initial) }
                do {
                    let outcome = try Trainer(configuration: stage).run(
                        model, optimizer: &optimizer, training: training, validation: validation,
                        resumingFrom: checkpoints[index], description: description, stopRequest: stopRequest,
                        saveCheckpoint: { latest.checkpoint = $0 })
                    if outcome.status == .interrupted {
                        candidates[index].validationLosses = outcome.history.map { $0.validationLoss.flatMap { $0.isFinite ? $0 : nil } }
                        candidates[index].epochsTrained = outcome.history.count
                        candidates[index].bestValidationLoss = candidates[index].validationLosses.compactMap { $0 }.min()
                        candidates[index].note = "stopped during epoch \(outcome.history.count + 1) (\(stopRequest?.reason ?? "stop requested"))"
                        throw Interrupted(candidates: candidates)
                    }
                    if outcome.status == .stoppedEarly {
                        finished[index] = true
                        candidates[index].note = "stopped early after epoch \(outcome.history.count) (patience)"
                    }
                    candidates[index].validationLosses = outcome.history.map { $0.validationLoss.flatMap { $0.isFinite ? $0 : nil } }
                } catch let error as TrainingError {
                    guard case .diverged = error else { throw error }
                    finished[index] = true
                    candidates[index].note = "diverged (\(error))"
                    candidates[index].bestValidationLoss = nil
                    candidates[index].epochsTrained = (checkpoints[index]?.progress.epoch ?? 0)
                    continue
                }
                checkpoints[index] = latest.checkpoint
                candidates[index].epochsTrained = candidates[index].validationLosses.count
                candidates[index].bestValidationLoss = candidates[index].validationLosses.compactMap { $0 }.min()
            }
            // The better half (by the best validation loss so far) goes on; diverged candidates never do.
            let ranked = alive.filter { candidates[$0].bestValidationLoss != nil && checkpoints[$0] != nil }
                .sorted { (candidates[$0].bestValidationLoss ?? .infinity, $0) < (candidates[$1].bestValidationLoss ?? .infinity, $1) }
            let keep = rungIndex == rungs.count - 1 ? 1 : Swift.max((alive.count + 1) / 2, 1)
            let survivors = Array(ranked.prefix(keep))
            for index in alive where !survivors.contains(index) { candidates[index].eliminatedAfterEpoch = rung }
            alive = survivors
            if alive.isEmpty { break }
        }
        guard let winner = alive.first, let checkpoint = checkpoints[winner] else {
            throw TrainingError.invalidConfiguration("every candidate of the learning-rate race diverged ("
                + rates.map { String(format: "%.3g", $0) }.joined(separator: ", ") + ")")
        }
        return Result(candidates: candidates, winner: winner, checkpoint: checkpoint)
    }
}

/// The last checkpoint a run handed out (a reference, so the trainer's callback can set it).
private final class CheckpointHolder<Rule: OptimizerRule> {
    var checkpoint: TrainingCheckpoint<Rule>?
}
