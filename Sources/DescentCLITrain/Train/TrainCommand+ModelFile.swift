import ArgumentParser
import DescentCLIShared
import DescentNN
import DescentSchedules
import DescentTrain
import Foundation

/// `descent train --save-weights FILE` writes a self-describing model file (``ModelFile``: the tensors
/// under PyTorch's names plus the ``ModelCard`` in the safetensors metadata), and `--init-weights FILE`
/// starts from a saved model's tensors (a warm start: fine-tuning on new data, or going on with another
/// schedule). The warm start happens before `--learning-rate auto`'s range test, which so starts from
/// those weights too.
///
/// ```
/// $ descent train --dataset iris --epochs 20 --save-weights iris.safetensors
/// $ descent train --dataset iris --epochs 10 --init-weights iris.safetensors --learning-rate auto --save-weights tuned.safetensors
/// ```
extension TrainCommand {
    static let initWeightsHelp = "Start from the tensors of this .safetensors file (a model saved by --save-weights, or any "
        + "file with the same tensor names and shapes) instead of random weights."

    /// The card saved with the model: what `setup` built and what the run did.
    func modelCard(setup: TrainingSetup, history: [TrainingRecord], learningRate: Double, schedule: AnySchedule,
                   status: TrainSummary.Status, specification: RunSpecification) -> ModelCard {
        let last = history.last
        let training = ModelCard.TrainingDescription(
            data: setup.dataSummary, optimizer: optimizer.rawValue, learningRate: learningRate, schedule: "\(schedule)",
            epochsRun: history.count, status: status.rawValue, finalTrainingLoss: last?.trainingLoss,
            finalValidationLoss: last?.validationLoss, metricName: setup.objective.metricName,
            finalValidationMetric: last?.validationMetric)
        var card = ModelCard(architecture: setup.modelArchitecture, trainedOn: setup.data, standardizer: setup.standardizer,
                             training: training)
        card.specification = specification.withoutOutputs
        card.preprocessing = setup.preprocessing
        return card
    }

    /// Loads `--init-weights` (already read into `file`) into `model`; a missing, extra or mis-shaped tensor
    /// is an input error naming it. The file's card, when it has one, has already set the standardisation
    /// (`TrainingSetup(_:savedCard:)`): the saved means and deviations, not ones refitted on this data.
    func loadInitialWeights(_ file: ModelFile, into setup: TrainingSetup) throws {
        let path = initWeights ?? ""
        do {
            try setup.model.load(parameters: file.firstModelTensors)
        } catch let error as StateLoadError {
            let saved = file.card.map { "the file holds \($0.architecture.summary); " } ?? ""
            throw CommandFailure(.input, "--init-weights \(path): the tensors do not fit this run's model (\(saved)this run builds "
                + "\(setup.architecture), \(setup.model.stateDictionary.count) tensors): \(error)")
        }
        guard !json else { return }
        print("Starting from the weights in \(path)" + (file.card.map { " (\($0.architecture.summary))" } ?? ""))
        if let card = file.card {
            let saved = card.standardizer == nil ? "raw features, as the saved model was trained"
                : "the saved model's standardisation (its training means and deviations)"
            let note = card.standardizer == nil && !data.noStandardize ? "; --no-standardize is implied"
                : card.standardizer != nil && data.noStandardize ? "; --no-standardize is ignored" : ""
            print("Features: \(saved)\(note)")
        }
    }
}
