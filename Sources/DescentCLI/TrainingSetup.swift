import ArgumentParser
import Descent
import Foundation

/// What `descent train` and `descent range-test` share: the data (a bundled set or a CSV
/// file), its training/validation split (features standardised with the training part's
/// statistics unless told not to), the objective it implies, and the multilayer perceptron
/// `Linear(d, h₁) → ReLU → … → Linear(hₖ, outputs)` with weights drawn from `seed`.
///
/// ```swift
/// let setup = try TrainingSetup(dataset: "iris", csv: nil, target: nil, hidden: [64],
///                               validationFraction: 0.2, standardize: true, seed: 0)
/// setup.split.train.count     // 120
/// setup.model.parameterCount  // 4·64 + 64 + 64·3 + 3 = 515
/// ```
struct TrainingSetup {
    /// The whole data set as loaded.
    let data: Dataset
    /// Training and validation parts (standardised when asked).
    let split: DatasetSplit
    /// Classification or regression, from the data.
    let objective: Objective
    /// The freshly initialised model.
    let model: Sequential

    init(dataset: String?, csv: String?, target: String?, hidden: [Int], validationFraction: Double,
         standardize: Bool, seed: UInt64) throws {
        if let name = dataset {
            data = try Datasets.load(named: name)
        } else if let csv {
            data = try Dataset.loadCSV(path: csv, targetColumn: target)
        } else {
            throw ValidationError("give exactly one of --dataset NAME or --csv FILE")
        }
        var split = try data.split(validationFraction: validationFraction, seed: seed)
        guard split.validation.count > 0 else {
            // round(n × fraction) must be at least 1.
            let smallest = 0.5 / Double(data.count)
            throw ValidationError("--validation-fraction \(validationFraction) of \(data.count) rows leaves no validation rows"
                + (data.count >= 2 ? "; use at least \(String(format: "%.3g", smallest * 1.001))" : "; the data set needs at least 2 rows"))
        }
        if standardize { split = try split.standardized().split }
        self.split = split
        objective = Objective(for: data)
        let widths = [data.featureCount] + hidden + [objective.outputSize]
        guard let parameterCount = Self.parameterCount(widths: widths),
              UInt64(parameterCount).multipliedReportingOverflow(by: 16).partialValue <= Self.memoryBudget,
              parameterCount <= Int.max / 16 else {
            throw ValidationError("--hidden \(hidden.map(String.init).joined(separator: ",")): a model with layer widths \(widths) "
                + "needs more memory than this machine has "
                + "(\(Self.memoryBudget >> 20) MiB allowed for its weights, gradients and optimizer state)")
        }
        var generator = SeededGenerator(seed: seed)
        var layers: [any Module] = []
        var width = data.featureCount
        for size in hidden {
            layers.append(try Linear(width, size, using: &generator))
            layers.append(ReLU())
            width = size
        }
        layers.append(try Linear(width, objective.outputSize, using: &generator))
        model = Sequential(layers)
    }

    /// The most bytes of model state (weights, gradients and optimizer moments, about 16 bytes a
    /// parameter) allowed: half the machine's memory, so `--hidden 4000000000` is an error, not a crash.
    static var memoryBudget: UInt64 { ProcessInfo.processInfo.physicalMemory / 2 }

    /// The parameter count of an MLP with these layer widths, or nil if it overflows.
    static func parameterCount(widths: [Int]) -> Int? {
        var total = 0
        for (input, output) in zip(widths, widths.dropFirst()) {
            let (weights, overflow1) = input.multipliedReportingOverflow(by: output)
            let (layer, overflow2) = weights.addingReportingOverflow(output)
            let (sum, overflow3) = total.addingReportingOverflow(layer)
            if overflow1 || overflow2 || overflow3 { return nil }
            total = sum
        }
        return total
    }

    /// One line on the data: source, sizes and the task.
    var dataSummary: String {
        "\(data.source): \(split.train.count) training and \(split.validation.count) validation examples, "
            + "\(data.featureCount) features, \(objective.metricName == "accuracy" ? "\(objective.outputSize) classes" : "regression")"
    }

    /// Checks the data-source options: exactly one of `--dataset` and `--csv`, `--target` only with `--csv`.
    static func validateSource(dataset: String?, csv: String?, target: String?) throws {
        if (dataset == nil) == (csv == nil) { throw ValidationError("give exactly one of --dataset NAME or --csv FILE") }
        if target != nil && csv == nil { throw ValidationError("--target goes with --csv") }
    }

    /// The layer sizes of `--hidden` ("64", "128,64", "" for a linear model).
    static func hiddenSizes(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.map { part in
            guard let size = Int(part), size > 0 else { throw ValidationError("--hidden: '\(part)' is not a positive layer size") }
            return size
        }
    }
}
