import ArgumentParser
import DescentCLIShared
import DescentCLITrain
import DescentOptim
import DescentTrain
import DescentTune
import Foundation

/// `descent tune`: a study of learning rate, batch size, optimizer and weight decay together —
/// Optuna's loop for a Descent model, with its samplers and pruners, shared by any number of
/// worker processes on this machine (`--workers`) and others (same `--storage` and `--study`).
package struct TuneCommand: AsyncParsableCommand, DataModelOptionsWording, SpecificationCommand {
    package static let csvHelp = "A CSV file with a header row to tune on instead of a bundled data set."
    package static let validationFractionHelp = "Fraction of the data held out for validation (each trial's score is its final validation loss)."

    package static let configuration = CommandConfiguration(
        commandName: "tune",
        abstract: "Search learning rate, batch size, optimizer and more with a study (TPE, grid or random; pruning).",
        discussion: """
        Each trial trains the model with the parameters its sampler chose and scores it by the final \
        validation loss (lower is better), reporting the validation loss after every epoch so a pruner \
        can stop poor trials early. Trials live in --storage under --study: run the same command again \
        to resume, or on another machine (with a postgres:// storage) to add workers. --trials is the \
        study's total, whatever their state.

        --search "learning_rate=loguniform(1e-5,1); batch_size=choice(16,32,64); optimizer=choice(adam,sgd)"
        Distributions: uniform(a,b), loguniform(a,b), int(a,b), logint(a,b), choice(x,y,…).
        --sampler grid tries every combination: choice(…) values as listed, int ranges of at most \
        --grid-points values whole, other ranges at --grid-points evenly spaced points (geometric for \
        log ranges; 5 by default): give choice(…) for exactly the values you want.
        Tunable: \(TuneCommand.tunableNames.sorted().joined(separator: ", ")) (lr for learning_rate, wd for weight_decay; \
        hidden=int(8,128) is one hidden layer's width, hidden=choice("64","64,32") names whole lists; schedule=choice(…) \
        quotes schedules with commas). Every trial is exactly the `descent train` run its reproduce line prints.
        """
    )

    /// The run's fields a search may name: every numeric or categorical field that shapes a trial but the
    /// data source and the epochs (the pruners' resource).
    static let tunableNames: Set<String> = Set(RunSpecification.fields.filter { field in
        field.role == .shapesTheRun && (field.kind != .text || field.key == "schedule")
            && !["task", "seed"].contains(field.key)
    }.map(\.key)).union(["seed"])
    static let aliases = ["lr": "learning_rate", "wd": "weight_decay"]

    enum SamplerChoice: String, ExpressibleByArgument, CaseIterable { case random, grid, tpe }
    enum PrunerChoice: String, ExpressibleByArgument, CaseIterable { case none, median, asha }

    @OptionGroup var data: DataModelOptions<TuneCommand>
    @Option(help: "The optimizer when not searched: \(OptimizerChoice.listed).")
    var optimizer: OptimizerChoice = .adam
    @Option(name: .customLong("learning-rate"), help: "The learning rate when not searched.")
    var learningRate: Double = 3e-3
    @Option(name: .customLong("weight-decay"), help: "Weight decay when not searched.")
    var weightDecay: Double = 0
    @Option(help: "SGD momentum when not searched.")
    var momentum: Double = 0.9
    @Option(help: "Epochs per trial (the pruners' resource: one intermediate value per epoch).")
    var epochs: Int = 20
    @Option(help: "The search space, e.g. \"learning_rate=loguniform(1e-5,1); batch_size=choice(16,32,64)\".")
    var search: String
    @Option(help: "Trials in the study in total (resuming a study counts the trials it has).")
    var trials: Int = 20
    @Option(help: "The sampler: random, grid or tpe.")
    var sampler: SamplerChoice = .tpe
    @Option(name: .customLong("grid-points"),
            help: "grid: points each uniform/loguniform range (and each int range with more values) is cut into, ends included (2…1000).")
    var gridPoints: Int = GridSampler.defaultPointsPerRange
    @Option(help: "The pruner: none, median or asha (successive halving).")
    var pruner: PrunerChoice = .median
    @Option(help: ArgumentHelp(StudyStorageOption.help))
    var storage: String = StudyStorageOption.defaultValue
    @Option(help: "The study's name (an existing study resumes).")
    var study: String = "descent"
    @Option(help: "Worker processes to run on this machine.")
    var workers: Int = 1
    @Option(name: .customLong("reduction-factor"), help: "asha: the reduction factor η (keep the best 1/η at each rung).")
    var reductionFactor: Int = 4
    @Option(name: .customLong("minimum-resource"), help: "asha: epochs before the first rung (default: auto, as Optuna).")
    var minimumResource: Int?
    @Option(name: .customLong("warmup-epochs"), help: "median: epochs before a trial may be pruned.")
    var warmupEpochs: Int = 0
    @Option(name: .customLong("startup-trials"), help: "median: complete trials before any is pruned.")
    var startupTrials: Int = 5
    @Option(name: .customLong("heartbeat-interval"), help: "Seconds between a running trial's heartbeats.")
    var heartbeatInterval: Double = 5
    @Option(name: .customLong("grace-period"), help: "Seconds without a heartbeat after which a running trial counts as failed.")
    var gracePeriod: Double = 60
    @Option(help: "Threads each worker process trains with (default: this machine's cores divided among the --workers).")
    var threads: Int?
    @Option(name: .customLong("save-config"),
            help: ArgumentHelp("Write the run every trial starts from (its searched fields at the flags' values) to this .toml, "
                               + ".yaml or .json file.", valueName: "file"))
    var saveConfig: String?
    @OptionGroup package var configurationFile: ConfigurationOption
    @Flag(help: "Print a JSON summary as the last line.")
    var json = false
    @Flag(name: .customLong("worker"), help: .hidden)
    var isWorker = false

    package mutating func validate() throws {
        try adoptConfigurationFile()
        try data.validateSourceAndModel()
        guard learningRate > 0, learningRate.isFinite else { throw ValidationError("--learning-rate must be a positive number") }
        guard (1...1_000_000).contains(epochs) else { throw ValidationError("--epochs must be in 1…1000000, got \(epochs)") }
        guard data.batchSize > 0 else { throw ValidationError("--batch-size must be positive") }
        guard data.validationFraction > 0, data.validationFraction < 1 else { throw ValidationError("--validation-fraction must be in (0, 1)") }
        guard RunSpecification.weightDecayRange.contains(weightDecay) else {
            throw ValidationError("--weight-decay must be from 0 to \(Int(RunSpecification.weightDecayRange.upperBound)), got \(weightDecay)")
        }
        guard momentum >= 0, momentum < 1 else { throw ValidationError("--momentum must be in [0, 1)") }
        guard (1...1_000_000).contains(trials) else { throw ValidationError("--trials must be in 1…1000000, got \(trials)") }
        guard (1...256).contains(workers) else { throw ValidationError("--workers must be in 1…256, got \(workers)") }
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be in 1…1024, got \(threads)") }
        guard (2...1000).contains(reductionFactor) else { throw ValidationError("--reduction-factor must be in 2…1000, got \(reductionFactor)") }
        if let minimumResource, !(1...1_000_000).contains(minimumResource) {
            throw ValidationError("--minimum-resource must be in 1…1000000, got \(minimumResource)")
        }
        guard (0...1_000_000).contains(warmupEpochs) else { throw ValidationError("--warmup-epochs must be in 0…1000000, got \(warmupEpochs)") }
        guard (0...1_000_000).contains(startupTrials) else { throw ValidationError("--startup-trials must be in 0…1000000, got \(startupTrials)") }
        guard heartbeatInterval > 0, heartbeatInterval <= 3600 else { throw ValidationError("--heartbeat-interval must be in (0, 3600] seconds") }
        guard gracePeriod > heartbeatInterval, gracePeriod <= 86_400 else {
            throw ValidationError("--grace-period must be longer than --heartbeat-interval (\(heartbeatInterval)) and at most 86400 seconds")
        }
        guard !study.isEmpty, study.count <= 200, !study.contains(where: { $0.isNewline }) else {
            throw ValidationError("--study must be a non-empty name of at most 200 characters on one line")
        }
        guard (2...1000).contains(gridPoints) else { throw ValidationError("--grid-points must be in 2…1000, got \(gridPoints)") }
        if gridPoints != GridSampler.defaultPointsPerRange && sampler != .grid {
            throw ValidationError("--grid-points goes with --sampler grid")
        }
        if sampler == .grid {
            let size = GridSampler(pointsPerRange: gridPoints).size(of: try searchSpace())
            guard let size, size <= GridSampler.largestGrid else {
                throw ValidationError("--search with --grid-points \(gridPoints) makes a grid of "
                    + (size.map { "\($0)" } ?? "more than \(Int.max)") + " points, more than \(GridSampler.largestGrid); "
                    + "use fewer --grid-points or fewer values, or --sampler tpe")
            }
        }
        try StudyStorageOption.validate(storage)
        if let saveConfig {
            // As train and range-test: writable, and neither the data, the configuration nor the study database.
            let database = storage.hasPrefix("sqlite:") ? String(storage.dropFirst("sqlite:".count)) : nil
            try TrainCommand.validateOutputs([("--save-config", saveConfig)],
                                             inputs: data.inputFiles + [("--config", configurationFile.path)]
                                                 + ["", "-wal", "-shm", "-journal"].map { suffix in (flag: "--storage", path: database.map { $0 + suffix }) })
            try SpecificationFile.checkPath(saveConfig, flag: "--save-config")
        }
        _ = try TrainingSetup.hiddenSizes(data.hidden)
        do { try specification().validate() } catch let error as RunSpecificationError { throw ValidationError(error.flagDescription) }
        _ = try searchSpace()
        if let csv = data.csv, data.dataset == nil, !FileManager.default.isReadableFile(atPath: csv) {
            throw ValidationError("--csv: cannot read '\(csv)'")
        }
    }

    /// Threads per worker: `--threads`, else the cores shared among the workers (at least 1).
    var threadsPerWorker: Int {
        threads ?? Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / workers)
    }

    /// The parsed `--search`; a malformed one is a usage error pointing at the column.
    func searchSpace() throws -> SearchSpace {
        do {
            let space = try SearchSpace(parsing: search, aliases: Self.aliases, allowedNames: Self.tunableNames)
            try checkKinds(space)
            return space
        } catch let error as SearchSpaceError {
            throw ValidationError("--search: \(error.message)\n" + CaretExcerpt.lines(search, column: error.column).dropLast())
        }
    }

    /// Each tunable takes the kind of distribution that makes sense for it.
    private func checkKinds(_ space: SearchSpace) throws {
        for parameter in space.parameters {
            let column = (search.range(of: parameter.name).map { search.distance(from: search.startIndex, to: $0.lowerBound) } ?? 0) + 1
            func fail(_ message: String) -> SearchSpaceError { SearchSpaceError(message: message, column: column) }
            switch (parameter.name, parameter.distribution) {
            case ("optimizer", .categorical(let choices)):
                for choice in choices where OptimizerChoice(rawValue: choice) == nil {
                    throw fail("optimizer '\(choice)' is unknown; use \(OptimizerChoice.listed)")
                }
            case ("optimizer", _): throw fail("optimizer takes choice(…) of optimizer names")
            case ("hidden", .categorical):
                break   // choice("64","64,32"): whole lists of widths, checked below as any field is
            case ("batch_size", _), ("hidden", _):
                for value in Self.numbers(parameter.distribution) where value < 1 || value != value.rounded() || value > 1e9 {
                    throw fail("\(parameter.name) values must be whole numbers in 1…1e9")
                }
                if case .float = parameter.distribution { throw fail("\(parameter.name) takes int(…), logint(…) or choice(…)") }
            case ("learning_rate", _):
                for value in Self.numbers(parameter.distribution) where !(value > 0) { throw fail("learning_rate values must be > 0") }
            case ("weight_decay", _):
                for value in Self.numbers(parameter.distribution) where !(value >= 0) { throw fail("weight_decay values must be ≥ 0") }
            case ("momentum", _):
                for value in Self.numbers(parameter.distribution) where !(value >= 0 && value < 1) { throw fail("momentum values must be in [0, 1)") }
            default: break
            }
            // Any other field: each choice, and each end of a range, must make a valid run.
            var values: [ParameterValue]
            switch parameter.distribution {
            case let .float(low, high, _): values = [.float(low), .float(high)]
            case let .int(low, high, _): values = [.int(low), .int(high)]
            case let .categorical(choices): values = choices.map(ParameterValue.choice)
            }
            if case .float = parameter.distribution, let field = RunSpecification.field(named: parameter.name),
               [.integer, .sizes].contains(field.kind) {
                throw fail("\(parameter.name) takes int(…), logint(…) or choice(…)")
            }
            for value in values {
                do {
                    var spec = try specification()
                    try Self.apply(value, to: parameter.name, in: &spec)
                    try spec.validate()
                } catch let error as RunSpecificationError {
                    throw fail("\(parameter.name)=\(value): \(error)")
                } catch let error as ValidationError {
                    throw fail("\(parameter.name)=\(value): \(error.message)")
                }
            }
        }
    }

    /// Sets one trial parameter on a run: a number as it is, a choice as its text (`64,32`, `adam`, `warmup(5) >> cosine`).
    static func apply(_ value: ParameterValue, to name: String, in spec: inout RunSpecification) throws {
        switch value {
        case let .int(number): try spec.set(name, to: .integer(number))
        case let .float(number): try spec.set(name, to: .number(number))
        case let .choice(text): try spec.set(name, text: text)
        }
    }

    /// The numbers a distribution can produce at its ends (or all its choices; non-numeric choices are NaN).
    static func numbers(_ distribution: ParameterDistribution) -> [Double] {
        switch distribution {
        case let .float(low, high, _): return [low, high]
        case let .int(low, high, _): return [Double(low), Double(high)]
        case let .categorical(choices): return choices.map { Double($0) ?? .nan }
        }
    }

    package init() {}
}
