import DescentCLIShared
import DescentData
import DescentNN
import DescentTrain
import Foundation

/// `descent train --save-weights` on a small table (fewer than 1,000 training rows, `SmallTableEnsemble`) trains five models
/// instead of one: the run itself, then four more with seeds `seed + 1000·k` (each its own validation part, initial
/// weights and automatic rate) on the run's fitted preprocessing, saved in one model file whose card says
/// `descent.ensemble: 5`; `descent predict` and `evaluate` average them (the mean value; the mean of the class
/// probabilities). `--ensemble K` sets the number (1 turns it off); the run's own epochs, validation metric and
/// diagnosis are the first model's, and each member's validation metric is on its own validation part.
///
/// ```
/// $ descent train --csv airquality.csv --target Ozone --save-weights ozone.safetensors
/// …
/// Small table (74 training rows, under 1,000): trained 4 more models (seeds 1000, 2000, 3000, 4000: each its own
/// validation part and rate) and saved the 5 as one ensemble; predict averages them (--ensemble 1 trains one)
///   member validation R²: 0.41, 0.55, 0.62, 0.38, 0.71 (each on its own validation part)
/// ```
extension TrainCommand {
    static let ensembleHelp = "With --save-weights, train this many models (seeds S, S+1000, …: each its own validation part and "
        + "rate) and save them as one model that predicts their average; default: 5 for a table of fewer than 1,000 training rows, "
        + "else 1 (1: one model)."

    /// What the small-table rule did: the JSON summary's `"ensemble"` object (`members`, `automatic`, `training_rows`,
    /// `row_limit`, `seeds`, `learning_rates`, `validation_metrics`, `reason`).
    struct EnsembleNote: Encodable {
        var members: Int
        var automatic: Bool
        var trainingRows: Int
        var rowLimit = SmallTableEnsemble.rowLimit
        var seeds: [UInt64]
        var learningRates: [Double]
        var validationMetrics: [Double?]
        var reason: String
        enum CodingKeys: String, CodingKey {
            case members, automatic, reason, seeds
            case trainingRows = "training_rows", rowLimit = "row_limit", learningRates = "learning_rates"
            case validationMetrics = "validation_metrics"
        }
    }

    /// The ensemble's other members when the rule (or `--ensemble`) asks for more than one model and the model is saved
    /// (`--save-weights`: the ensemble is for prediction), for a table (`--csv`), one process, no `--folds` or
    /// `--init-weights`, a run not interrupted, with a validation part. The first member is the
    /// run itself (`model`, with `rate`); the note is nil when one model is all; `interrupted`: a signal stopped the members
    /// (the run's own model is then saved alone).
    func trainEnsembleMembers(spec: RunSpecification, setup: TrainingSetup, card: ModelCard, rate: Double,
                              validationMetric: Double?, completed: Bool, processes: Int,
                              stopRequest: StopRequest) throws -> (members: [Sequential], note: EnsembleNote?, interrupted: Bool) {
        let rows = setup.split.train.count
        let count = SmallTableEnsemble.members(trainingRows: rows, requested: ensemble)
        guard count > 1, saveWeights != nil, spec.csv != nil, processes == 1, folds == nil, initWeights == nil, completed,
              setup.split.validation.count > 0 else { return ([], nil, false) }
        let trained: [SmallTableEnsemble.Member]
        switch SmallTableEnsemble.trainMembers(count, of: spec, sharing: card, stopRequest: stopRequest) {
        case .trained(let members):
            trained = members
        case .failed(let index, let seed, let error):
            // A member that fails (diverges, say) does not fail the run: the run's own model is saved alone, said.
            StandardOutput.error("note: ensemble member \(index + 1) of \(count) (seed \(seed)) "
                + "failed (\(CommandFailure.bounded("\(error)"))): the run's one model is saved\n")
            return ([], nil, false)
        case .interrupted:
            // A signal during the members: the run is saved as one model (the members trained so far are dropped).
            return ([], nil, true)
        }
        let why = ensemble == nil
            ? "small table (\(rows) training rows, under \(SmallTableEnsemble.rowLimit)): \(count) models averaged "
                + "(one run on few rows hangs on its validation part and rate; --ensemble 1 trains one)"
            : "--ensemble \(count): \(count) models averaged"
        let note = EnsembleNote(members: count, automatic: ensemble == nil, trainingRows: rows,
                                seeds: [spec.seed] + trained.map(\.seed), learningRates: [rate] + trained.map(\.learningRate),
                                validationMetrics: [validationMetric] + trained.map(\.validationMetric), reason: why)
        if !json {
            let seeds = trained.map { String($0.seed) }.joined(separator: ", ")
            print((ensemble == nil ? "Small table (\(rows) training rows, under \(SmallTableEnsemble.rowLimit)): " : "--ensemble \(count): ")
                + "trained \(count - 1) more models (seeds \(seeds): each its own validation part and rate) and saved the \(count) "
                + "as one ensemble; predict averages them" + (ensemble == nil ? " (--ensemble 1 trains one)" : ""))
            let metrics = note.validationMetrics.map { $0.map { String(format: "%.3f", $0) } ?? "–" }.joined(separator: ", ")
            print("  member validation \(setup.objective.metricName): \(metrics) (each on its own validation part)")
        }
        return (trained.map(\.model), note, false)
    }
}
