import ArgumentParser
import Foundation

/// Turns `--config FILE` into command-line flags before the command line is parsed.
///
/// Each `key = value` of the file becomes `--key=value` (a flag set to `true` becomes `--key`,
/// one set to `false` nothing), and these go *before* the command line's own arguments, right
/// after the subcommand's name. A key that the command line also gives is left out, so a flag on
/// the command line always wins over the file; so is the other side of a choice the command line
/// made (`--csv` on the command line drops the file's `dataset`, and the other way round).
/// The parser then checks and range-checks every value as if it had been typed.
///
/// ```
/// $ cat run.toml
/// dataset = "digits"
/// learning_rate = 0.05
/// epochs = 30
/// $ descent train --config run.toml --epochs 5
/// # parses as: descent train --dataset=digits --learning-rate=0.05 --config run.toml --epochs 5
/// ```
///
/// A key no flag has, or a value of the wrong type, is an error naming the file and the key
/// (with the nearest known key as a suggestion); so is a missing, unreadable or malformed file.
/// `descent` exits 2 for all of them: the file stands for flags, so its errors are usage errors.
enum ConfigurationArguments {
    /// The kind of value a flag takes.
    enum Kind: Equatable, Sendable {
        /// A whole number: `epochs = 20`.
        case integer
        /// Any number: `learning_rate = 3e-3` (or `= 1`).
        case number
        /// Text: `schedule = "warmup(50) >> cosine"`.
        case string
        /// Layer sizes: `hidden = [64, 32]`, `hidden = 64` or `hidden = "64,32"`.
        case sizes
        /// An on/off flag: `json = true`.
        case flag
        /// A number, or one of some words: `learning_rate = "auto"`.
        case numberOr([String])
        /// An option the table does not type (one added since): any string or number, checked by the parser.
        case any

        var expected: String {
            switch self {
            case .integer: return "an integer"
            case .number: return "a number"
            case .string: return "a string"
            case .sizes: return "a list of integers (or a string such as \"64,32\")"
            case .flag: return "true or false"
            case .any: return "a string or a number"
            case let .numberOr(words): return "a number or " + words.map { "\"\($0)\"" }.joined(separator: " or ")
            }
        }
    }

    /// What one subcommand's configuration file may hold.
    struct Keys: Sendable {
        /// The long flag names (with `-`) and the kind of each.
        var kinds: [String: Kind]
        /// Alternatives: when the command line gives a key of one group, the file's keys of the others are left out.
        var exclusiveGroups: [[[String]]] = []
        /// The command's own list of its flags (from ArgumentParser), for a flag `kinds` does not list yet:
        /// it is still accepted, as `.flag` or `.any`. A test keeps `kinds` complete; this keeps users unblocked.
        var declared: @Sendable () -> [String: Kind] = { [:] }
    }

    /// The long names of a command's flags and options, read from ArgumentParser's description of it.
    static func declaredKeys(of command: any ParsableArguments.Type) -> [String: Kind] {
        guard let data = command._dumpHelp().data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let description = object["command"] as? [String: Any],
              let arguments = description["arguments"] as? [[String: Any]] else { return [:] }
        var keys: [String: Kind] = [:]
        for argument in arguments {
            let names = (argument["names"] as? [[String: Any]]) ?? []
            guard let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                  !["help", "version", "config"].contains(long) else { continue }
            switch argument["kind"] as? String {
            case "flag": keys[long] = .flag
            case "option": keys[long] = .any
            default: break
            }
        }
        return keys
    }

    /// The subcommands that take `--config`, by name.
    static let commands: [String: Keys] = ["train": TrainCommand.configurationKeys]

    /// `arguments` (without the executable's name) with the file of a `--config FILE` expanded
    /// into flags; unchanged when the subcommand takes no configuration or none is given.
    static func expand(_ arguments: [String],
                       read: (String) throws -> ConfigurationFile = { try ConfigurationFile(contentsOf: $0) }) throws -> [String] {
        guard let command = arguments.first, let keys = commands[command] else { return arguments }
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
        guard let path = paths.first else { return arguments }
        guard paths.count == 1 else {
            throw ConfigurationError(path: paths[1], reason: "--config is given \(paths.count) times; give one file")
        }
        let file = try read(path)
        return [command] + (try flags(from: file, keys: keys, commandLine: commandLine)) + commandLine
    }

    /// The flags of `file`'s entries that `commandLine` does not already set.
    static func flags(from file: ConfigurationFile, keys: Keys, commandLine: [String]) throws -> [String] {
        func given(_ key: String) -> Bool {
            commandLine.contains { $0 == "--\(key)" || $0.hasPrefix("--\(key)=") }
        }
        var seen: [String: String] = [:]
        var flags: [String] = []
        for entry in file.entries {
            let key = entry.key.replacingOccurrences(of: "_", with: "-")
            func failure(_ reason: String) -> ConfigurationError {
                ConfigurationError(path: file.path, line: entry.line, reason: reason)
            }
            guard let kind = keys.kinds[key] ?? keys.declared()[key] else {
                var reason = "unknown key '\(CaretExcerpt.cut(entry.key))'"
                if let nearest = nearestKey(to: key, in: Array(keys.kinds.keys)) { reason += "; did you mean '\(nearest)'?" }
                throw failure(reason + " (the keys are the long flag names of the command, e.g. learning-rate)")
            }
            if let earlier = seen[key] {
                throw failure("the key '\(CaretExcerpt.cut(entry.key))' repeats '\(CaretExcerpt.cut(earlier))' (a '-' and a '_' name the same flag)")
            }
            seen[key] = entry.key
            let text = try argument(entry.value, kind: kind, key: entry.key, failure: failure)
            let overridden = given(key) || keys.exclusiveGroups.contains { group in
                group.contains { $0.contains(key) } && group.contains { !$0.contains(key) && $0.contains(where: given) }
            }
            guard let text, !overridden else { continue }
            // An empty value (`hidden = []`: no hidden layer) goes as its own word: ArgumentParser reads
            // "--hidden=" as a flag without its value.
            if text.isEmpty {
                flags += kind == .flag ? ["--\(key)"] : ["--\(key)", ""]
            } else {
                flags.append("--\(key)=\(text)")
            }
        }
        return flags
    }

    /// The flag's value as it would be typed ("" for a flag that is on, nil for one that is off).
    private static func argument(_ value: ConfigurationFile.Value, kind: Kind, key: String,
                                 failure: (String) -> ConfigurationError) throws -> String? {
        let mismatch = failure("'\(CaretExcerpt.cut(key))' must be \(kind.expected), not \(value.described)")
        switch (kind, value) {
        case let (.integer, .integer(number)): return "\(number)"
        case let (.number, .integer(number)): return "\(number)"
        case let (.number, .number(number)): return "\(number)"
        // YAML 1.1 reads 5e-2 (no dot) as a string: a string that is a number is taken as one.
        case let (.integer, .string(text)) where Int(text) != nil: return text
        case let (.number, .string(text)) where Double(text) != nil: return text
        case let (.string, .string(text)): return text
        case let (.sizes, .string(text)): return text
        case let (.sizes, .integer(number)): return "\(number)"
        case let (.sizes, .list(items)):
            return try items.map { item -> String in
                guard case let .integer(size) = item else { throw mismatch }
                return "\(size)"
            }.joined(separator: ",")
        case let (.flag, .boolean(on)): return on ? "" : nil
        case let (.numberOr, .integer(number)): return "\(number)"
        case let (.numberOr, .number(number)): return "\(number)"
        case let (.numberOr(words), .string(text)) where words.contains(text) || Double(text) != nil: return text
        case let (.any, .string(text)): return text
        case let (.any, .integer(number)): return "\(number)"
        case let (.any, .number(number)): return "\(number)"
        default: throw mismatch
        }
    }

    /// The known key closest to `key` by edit distance, if it is close (at most a third of its letters differ).
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
        guard key.count <= 64 else { return nil }   // no flag is that long; and the distance costs length²
        let scored = keys.map { ($0, distance(Array(key), Array($0))) }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let best = scored.first, best.1 <= Swift.max(1, key.count / 3) else { return nil }
        return best.0
    }
}
