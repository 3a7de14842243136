import ArgumentParser
import DescentTrain
import Foundation

/// `--config FILE`: a run read from a TOML, YAML or JSON file straight into a `RunSpecification`, with the flags
/// the command line gives over it.
///
/// The file's keys are the specification's fields (`RunSpecification.fields`: the long flags with `_` or `-`),
/// decoded field by field (`SpecificationFile.read`); nothing is turned into command-line words. The command
/// then takes the file's run and sets on it each field whose flag the command line gives, so a flag on the
/// command line always wins over the file; so does a choice of data source (`--csv` on the command line drops
/// the file's `dataset` and the other way round, with the raw-table fields that go with `csv`). `range-test` takes
/// the file's data, model, optimizer and momentum; `tune` also its rate, weight decay and epochs (the run every
/// trial starts from); the other fields are `train`'s.
///
/// ```
/// $ cat run.toml
/// dataset = "digits"
/// learning_rate = 0.05
/// epochs = 30
/// $ descent train --config run.toml --epochs 5     # digits at 0.05 for 5 epochs
/// ```
///
/// A key that is no field of a run, or a value of the wrong kind, is an error naming the file, the line (YAML)
/// and the key (with the nearest field as a suggestion); so is a missing, unreadable or malformed file. `descent`
/// exits 2 for all of them: the file stands for flags, so its errors are usage errors.
package enum ConfigurationArguments {
    /// A `--config` file's run and the flags the command line gives beside it.
    package struct Loaded: Sendable {
        /// The file, as given.
        var path: String
        /// The run the file describes (fields it does not name at their defaults).
        var specification: RunSpecification
        /// The fields the file names, in file order.
        package var keys: [String]
        /// The fields whose flags the command line gives (keys with `_`).
        package var given: Set<String>

        /// The file's settings that the command line does not override, as flags (`--epochs=0`): named in a usage error they cause.
        package var adoptedFlags: [String] {
            keys.filter { !given.contains($0) }.compactMap { key in
                specification.value(of: key).map { "--\(key.replacingOccurrences(of: "_", with: "-"))=\($0)" }
            }
        }
    }

    /// The `--config` of the command being parsed (set by `DescentCommand.mainWithUsageStatus` around the parse).
    @TaskLocal package static var current: Loaded?

    /// The subcommands that take `--config`.
    static let commands: Set<String> = ["train", "range-test", "tune"]

    /// The alternative data sources: when the command line gives a field of one, the file's fields of the others are reset.
    static let dataSourceGroups: [[String]] = [
        ["dataset"],
        ["csv", "target", "task", "categorical", "numeric", "ignore", "missing_values", "min_category_count", "target_transform"],
        ["idx_images", "idx_labels"],
    ]

    /// The `--config` file of `arguments` (without the executable's name) read into a run, or nil when the subcommand
    /// takes no configuration or none is given.
    /// - Throws: `ConfigurationError` naming the file (and the line and key) for a file that cannot be used.
    package static func load(_ arguments: [String],
                     read: (String) throws -> ConfigurationFile = { try ConfigurationFile(contentsOf: $0) }) throws -> Loaded? {
        guard let command = arguments.first, commands.contains(command) else { return nil }
        let commandLine = Array(arguments.dropFirst())
        var paths: [String] = []
        var index = 0
        while index < commandLine.count {
            let token = commandLine[index]
            if token == "--" { break }
            if token == "--config" {
                guard index + 1 < commandLine.count else { break }   // the parser reports the missing value
                paths.append(commandLine[index + 1])
                index += 1
            } else if token.hasPrefix("--config=") {
                paths.append(String(token.dropFirst("--config=".count)))
            }
            index += 1
        }
        guard let path = paths.first else { return nil }
        guard paths.count == 1 else {
            throw ConfigurationError(path: paths[1], reason: "--config is given \(paths.count) times; give one file")
        }
        let (specification, keys) = try SpecificationFile.read(try read(path))
        return Loaded(path: path, specification: specification, keys: keys, given: givenFields(commandLine))
    }

    /// The fields whose long flags `commandLine` gives (`--epochs 5`, `--epochs=5`), as keys with `_`; nothing after `--`.
    static func givenFields(_ commandLine: [String]) -> Set<String> {
        var given: Set<String> = []
        for token in commandLine {
            if token == "--" { break }
            guard token.hasPrefix("--") else { continue }
            let name = token.dropFirst(2).split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            if let field = RunSpecification.field(named: name) { given.insert(field.key) }
        }
        return given
    }

    /// The command's run (`flags`: its flags, the command's defaults where none is given) with each field the file
    /// names (`keys`) set from the file's run, but those the command line gives; a data source the command line chose
    /// keeps the file's other sources (and the raw-table fields that go with `csv`) out.
    /// - Throws: `RunSpecificationError` naming a field (not expected: both runs are specifications already).
    static func merge(_ file: RunSpecification, keys: [String], flags: RunSpecification, given: Set<String>) throws -> RunSpecification {
        var merged = flags
        let chosen = dataSourceGroups.filter { $0.contains(where: given.contains) }
        for key in keys where !given.contains(key) {
            if !chosen.isEmpty, let group = dataSourceGroups.first(where: { $0.contains(key) }), !chosen.contains(group) { continue }
            try merged.set(key, to: file.value(of: key))
        }
        return merged
    }

    /// The field closest to `key` by edit distance, if it is close (at most a third of its letters differ).
    static func nearestKey(to key: String, in keys: [String]) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, x) in a.enumerated() {
                var current = [i + 1] + Array(repeating: 0, count: b.count)
                for (j, y) in b.enumerated() {
                    current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
                }
                previous = current
            }
            return previous[b.count]
        }
        guard key.count <= 64 else { return nil }   // no field is that long; and the distance costs length²
        let scored = keys.map { ($0, distance(Array(key), Array($0))) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first, best.1 <= Swift.max(1, key.count / 3) else { return nil }
        return best.0
    }
}

/// A command whose settings are a run specification, so `--config FILE` can give them (`train`, `range-test`, `tune`).
package protocol SpecificationCommand {
    /// `--config FILE`.
    var configurationFile: ConfigurationOption { get }
    /// The run the command's settings describe.
    func specification() throws -> RunSpecification
    /// Sets the command's settings from `spec` (the fields it has; the inverse of `specification()` on those).
    mutating func take(_ spec: RunSpecification)
}

extension SpecificationCommand {
    /// Takes the `--config` file's run, the flags given on the command line winning; nothing without `--config`.
    /// Returns what was read (nil: no `--config`).
    /// - Throws: `ValidationError` for a file that cannot be used (when not read before the parse) or a flag that cannot be read.
    @discardableResult
    package mutating func adoptConfigurationFile() throws -> ConfigurationArguments.Loaded? {
        guard let path = configurationFile.path else { return nil }
        do {
            let loaded: ConfigurationArguments.Loaded
            if let current = ConfigurationArguments.current, current.path == path {
                loaded = current
            } else {
                // Parsed outside `descent`'s main: the process's own command line says which flags were given.
                let (specification, keys) = try SpecificationFile.read(try ConfigurationFile(contentsOf: path))
                loaded = .init(path: path, specification: specification, keys: keys,
                               given: ConfigurationArguments.givenFields(Array(CommandLine.arguments.dropFirst())))
            }
            take(try ConfigurationArguments.merge(loaded.specification, keys: loaded.keys, flags: try specification(), given: loaded.given))
            return loaded
        } catch let error as ConfigurationError {
            throw ValidationError("\(error)")
        } catch let error as RunSpecificationError {
            throw ValidationError(error.flagDescription)
        }
    }
}
