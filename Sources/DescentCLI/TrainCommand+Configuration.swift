import ArgumentParser
import Descent
import Foundation

/// `descent train --config FILE`: the file's run (`ConfigurationArguments.Loaded`, decoded into a `RunSpecification`)
/// with the flags the command line gives over it becomes this command's settings before they are checked.
extension TrainCommand {
    /// Takes the `--config` file's run, the flags given on the command line winning; nothing without `--config`.
    /// - Throws: `ValidationError` for a file that cannot be used (when not read before the parse) or a flag that cannot be read.
    mutating func adoptConfigurationFile() throws {
        guard let path = configurationFile.path else { return }
        let loaded: ConfigurationArguments.Loaded
        do {
            if let current = ConfigurationArguments.current, current.path == path {
                loaded = current
            } else {
                // Parsed outside `descent`'s main: the process's own command line says which flags were given.
                let (specification, keys) = try SpecificationFile.read(try ConfigurationFile(contentsOf: path))
                loaded = .init(path: path, specification: specification, keys: keys,
                               given: ConfigurationArguments.givenFields(Array(CommandLine.arguments.dropFirst())))
            }
            let merged = try ConfigurationArguments.merge(loaded.specification, flags: try specification(), given: loaded.given)
            let namesRate = loaded.keys.contains("learning_rate") || loaded.given.contains("learning_rate")
            take(merged)
            if !namesRate { learningRateOption = nil }   // neither says a rate: auto by default, as without a file
        } catch let error as ConfigurationError {
            throw ValidationError("\(error)")
        } catch let error as RunSpecificationError {
            throw ValidationError(error.flagDescription)
        }
    }

    /// `spec`'s fields on this command's settings: the inverse of `specification()` (a test checks that every field
    /// goes there and back).
    mutating func take(_ spec: RunSpecification) {
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
        scaleRate = spec.scaleRate
        threads = spec.threads
        trackNoiseScale = spec.trackNoiseScale
        trackSharpness = spec.trackSharpness
    }
}
