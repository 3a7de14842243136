import ArgumentParser
import DescentCLIShared
import DescentTrain
import Foundation

/// `descent train --config FILE`: the file's run (`ConfigurationArguments.Loaded`, decoded into a `RunSpecification`)
/// with the flags the command line gives over it becomes this command's settings before they are checked.
extension TrainCommand: SpecificationCommand {
    /// `SpecificationCommand.adoptConfigurationFile`, and no rate when neither the file nor the command line names one
    /// (auto by default, said as it is without a file).
    mutating func adoptConfiguration() throws {
        guard let loaded = try adoptConfigurationFile() else { return }
        if !loaded.keys.contains("learning_rate") && !loaded.given.contains("learning_rate") { learningRateOption = nil }
    }

    /// `spec`'s fields on this command's settings: the inverse of `specification()` (a test checks that every field
    /// goes there and back).
    package mutating func take(_ spec: RunSpecification) {
        data.take(spec)
        optimizer = spec.optimizer
        switch spec.learningRate {
        case let .fixed(rate): learningRateOption = .fixed(rate)
        case .automatic: learningRateOption = .automatic
        }
        weightDecay = spec.weightDecay
        momentum = spec.momentum
        schedule = spec.schedule
        epochs = spec.epochs
        patience = spec.patience
        reduceOnPlateau = spec.reduceOnPlateau
        plateauPatience = spec.plateauPatience
        plateauFactor = spec.plateauFactor
        noGuard = !spec.divergenceGuard
        initWeights = spec.initWeights
        checkpointDirectory = spec.checkpointDirectory
        saveWeights = spec.saveWeights
        reportPath = spec.report
        outputs.logPath = spec.log
        outputs.tensorboardDirectory = spec.tensorboard
        folds = spec.folds
        ensemble = spec.ensemble
        scaleRate = spec.scaleRate
        threads = spec.threads
        trackNoiseScale = spec.trackNoiseScale
        trackSharpness = spec.trackSharpness
    }
}
