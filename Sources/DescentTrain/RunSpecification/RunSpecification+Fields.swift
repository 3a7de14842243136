import DescentData
import DescentNN
import DescentOptim
import Foundation

/// One value of a `RunSpecification` field, whatever the field.
public enum RunFieldValue: Sendable, Equatable, CustomStringConvertible {
    case text(String)
    case integer(Int)
    case number(Double)
    case flag(Bool)
    case sizes([Int])

    /// As a flag takes it: `64,32` for sizes, the number, the text; a flag as true/false.
    public var description: String {
        switch self {
        case let .text(text): return text
        case let .integer(value): return "\(value)"
        case let .number(value): return "\(value)"
        case let .flag(on): return "\(on)"
        case let .sizes(sizes): return sizes.map(String.init).joined(separator: ",")
        }
    }
}

/// A field of a run specification with a value out of its range or of the wrong kind: names the field.
///
/// ```swift
/// var run = RunSpecification(dataset: "iris"); run.epochs = 0
/// try run.validate()   // RunSpecificationError: "epochs must be positive"
/// ```
public struct RunSpecificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's key (`batch_size`).
    public var field: String
    /// What is wrong, after the field's name ("must be positive").
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }

    /// The field's key and what is wrong: `batch_size must be positive`.
    public var description: String { "\(field) \(reason)" }
    /// The field as a command-line flag and what is wrong: `--batch-size must be positive`.
    public var flagDescription: String { "--\(field.replacingOccurrences(of: "_", with: "-")) \(reason)" }
}

extension RunSpecification {
    /// What a field holds, for reading it from text (a flag, a search, a configuration file).
    public enum FieldKind: Sendable, Equatable {
        case text, integer, number, flag, sizes
        /// A number or `auto`.
        case rate
        /// One of these words.
        case choice([String])
    }

    /// How a field takes part in a run: what shapes the trained weights, what only says where
    /// results go, and what is a record of what happened.
    public enum FieldRole: Sendable, Equatable {
        /// Changes the trained weights: compared when a run resumes, identifies a tuning study.
        case shapesTheRun
        /// The run's length: a resume may extend it.
        case length
        /// Where outputs go: neither compared nor part of a study's identity.
        case output
        /// A record of what happened (the rate `auto` chose).
        case record
        /// How the run is carried out or what it measures alongside (threads, the sharpness and noise-scale
        /// trackers): the weights are the same whatever it is, so neither compared nor part of a study's identity.
        case execution
    }

    /// One field: its key (the long flag with `_`), kind, role, and how it is read and written.
    public struct Field: Sendable {
        public let key: String
        public let kind: FieldKind
        public let role: FieldRole
        let get: @Sendable (RunSpecification) -> RunFieldValue?
        let set: @Sendable (inout RunSpecification, RunFieldValue?) throws -> Void
    }

    /// Every field, in the order a file lists them.
    public static let fields: [Field] = {
        func text(_ key: String, _ path: WritableKeyPath<RunSpecification, String?> & Sendable, role: FieldRole = .shapesTheRun) -> Field {
            Field(key: key, kind: .text, role: role, get: { $0[keyPath: path].map(RunFieldValue.text) }, set: { spec, value in
                guard let value else { spec[keyPath: path] = nil; return }
                guard case let .text(text) = value else { throw RunSpecificationError(field: key, reason: "must be text") }
                spec[keyPath: path] = text
            })
        }
        func integer(_ key: String, _ path: WritableKeyPath<RunSpecification, Int> & Sendable, role: FieldRole = .shapesTheRun) -> Field {
            Field(key: key, kind: .integer, role: role, get: { .integer($0[keyPath: path]) }, set: { spec, value in
                spec[keyPath: path] = try Self.integerValue(value, key: key)
            })
        }
        func number(_ key: String, _ path: WritableKeyPath<RunSpecification, Double> & Sendable) -> Field {
            Field(key: key, kind: .number, role: .shapesTheRun, get: { .number($0[keyPath: path]) }, set: { spec, value in
                spec[keyPath: path] = try Self.numberValue(value, key: key)
            })
        }
        func flag(_ key: String, inverted: Bool, _ path: WritableKeyPath<RunSpecification, Bool> & Sendable) -> Field {
            Field(key: key, kind: .flag, role: .shapesTheRun, get: { .flag($0[keyPath: path] != inverted) }, set: { spec, value in
                guard case let .flag(on) = value else { throw RunSpecificationError(field: key, reason: "must be true or false") }
                spec[keyPath: path] = on != inverted
            })
        }
        func optionalInteger(_ key: String, _ path: WritableKeyPath<RunSpecification, Int?> & Sendable, role: FieldRole) -> Field {
            Field(key: key, kind: .integer, role: role, get: { $0[keyPath: path].map(RunFieldValue.integer) }, set: { spec, value in
                spec[keyPath: path] = try value.map { try Self.integerValue($0, key: key) }
            })
        }
        func choice<Choice: RawRepresentable & CaseIterable & Sendable>(
            _ key: String, _ path: WritableKeyPath<RunSpecification, Choice> & Sendable
        ) -> Field where Choice.RawValue == String {
            let words = Choice.allCases.map(\.rawValue)
            return Field(key: key, kind: .choice(words), role: .shapesTheRun, get: { .text($0[keyPath: path].rawValue) }, set: { spec, value in
                guard let choice = value.flatMap({ Choice(rawValue: $0.description) }) else {
                    throw RunSpecificationError(field: key, reason: "must be \(words.joined(separator: " or ")), not '\(value?.description ?? "")'")
                }
                spec[keyPath: path] = choice
            })
        }
        func sizes(_ key: String, _ path: WritableKeyPath<RunSpecification, [Int]> & Sendable) -> Field {
            Field(key: key, kind: .sizes, role: .shapesTheRun, get: { .sizes($0[keyPath: path]) }, set: { spec, value in
                switch value {
                case let .sizes(sizes)?: spec[keyPath: path] = sizes
                case let .integer(size)?: spec[keyPath: path] = [size]
                case let .text(text)?: spec[keyPath: path] = try Self.sizes(text, key: key)
                default: throw RunSpecificationError(field: key, reason: "must be a list of whole numbers such as 64,32")
                }
            })
        }
        return [
            text("dataset", \.dataset), text("csv", \.csv), text("target", \.target),
            Field(key: "task", kind: .choice(PredictionTask.allCases.map(\.rawValue)), role: .shapesTheRun,
                  get: { $0.task.map { .text($0.rawValue) } }, set: { spec, value in
                      guard let value else { spec.task = nil; return }
                      guard let task = PredictionTask(rawValue: value.description) else {
                          throw RunSpecificationError(field: "task", reason: "must be classification or regression, not '\(value)'")
                      }
                      spec.task = task
                  }),
            text("idx_images", \.idxImages), text("idx_labels", \.idxLabels),
            flag("no_standardize", inverted: true, \.standardize),
            number("validation_fraction", \.validationFraction),
            text("categorical", \.categorical), text("numeric", \.numeric), text("ignore", \.ignore),
            text("missing_values", \.missingValues), integer("min_category_count", \.minCategoryCount),
            choice("target_transform", \.targetTransform), choice("class_weights", \.classWeights),
            optionalInteger("folds", \.folds, role: .shapesTheRun),
            optionalInteger("ensemble", \.ensemble, role: .shapesTheRun),
            Field(key: "model", kind: .choice(ModelArchitecture.Kind.allCases.map(\.rawValue)), role: .shapesTheRun,
                  get: { .text($0.model.rawValue) }, set: { spec, value in
                      guard let kind = value.flatMap({ ModelArchitecture.Kind(rawValue: $0.description) }) else {
                          throw RunSpecificationError(field: "model", reason: "must be mlp or cnn, not '\(value?.description ?? "")'")
                      }
                      spec.model = kind
                  }),
            sizes("hidden", \.hidden), sizes("channels", \.channels),
            Field(key: "optimizer", kind: .choice(OptimizerRegistry.allCases.map(\.rawValue)), role: .shapesTheRun,
                  get: { .text($0.optimizer.rawValue) }, set: { spec, value in
                      guard let optimizer = value.flatMap({ OptimizerRegistry(rawValue: $0.description) }) else {
                          throw RunSpecificationError(field: "optimizer",
                                                      reason: "must be one of \(OptimizerRegistry.listed), not '\(value?.description ?? "")'")
                      }
                      spec.optimizer = optimizer
                  }),
            Field(key: "learning_rate", kind: .rate, role: .shapesTheRun, get: { spec in
                spec.learningRate.isAutomatic ? .text("auto") : spec.learningRate.value.map(RunFieldValue.number)
            }, set: { spec, value in
                switch value {
                case let .number(rate)?: spec.learningRate = .fixed(rate)
                case let .integer(rate)?: spec.learningRate = .fixed(Double(rate))
                case let .text(text)?:
                    guard let setting = LearningRateSetting(text: text) else {
                        throw RunSpecificationError(field: "learning_rate", reason: "must be a positive number or auto, got '\(text)'")
                    }
                    // A chosen rate read before stays with `auto`.
                    if case .automatic = setting, case let .automatic(chosen) = spec.learningRate {
                        spec.learningRate = .automatic(chosen: chosen)
                    } else {
                        spec.learningRate = setting
                    }
                default: throw RunSpecificationError(field: "learning_rate", reason: "must be a positive number or auto")
                }
            }),
            Field(key: "chosen_learning_rate", kind: .number, role: .record, get: { spec in
                if case let .automatic(chosen) = spec.learningRate { return chosen.map(RunFieldValue.number) }
                return nil
            }, set: { spec, value in
                guard let value else { return }
                let rate = try Self.numberValue(value, key: "chosen_learning_rate")
                // Range-checked as it is read (a --config file's .nan or 1e308 here was taken without a word).
                guard rate > 0, rate.isFinite else {
                    throw RunSpecificationError(field: "chosen_learning_rate", reason: "must be a positive number, got \(rate)")
                }
                if case .automatic = spec.learningRate { spec.learningRate = .automatic(chosen: rate) }
            }),
            number("weight_decay", \.weightDecay), number("momentum", \.momentum),
            text("schedule", \.schedule),
            flag("reduce_on_plateau", inverted: false, \.reduceOnPlateau),
            integer("plateau_patience", \.plateauPatience), number("plateau_factor", \.plateauFactor),
            flag("no_guard", inverted: true, \.divergenceGuard),
            Field(key: "scale_rate", kind: .choice(RateScaling.allCases.map(\.rawValue)), role: .shapesTheRun,
                  get: { $0.scaleRate.map { .text($0.rawValue) } }, set: { spec, value in
                      guard let value else { spec.scaleRate = nil; return }
                      guard let rule = RateScaling(rawValue: value.description) else {
                          throw RunSpecificationError(field: "scale_rate", reason: "must be linear, sqrt or none, not '\(value)'")
                      }
                      spec.scaleRate = rule
                  }),
            optionalInteger("threads", \.threads, role: .execution),
            optionalInteger("track_noise_scale", \.trackNoiseScale, role: .execution),
            optionalInteger("track_sharpness", \.trackSharpness, role: .execution),
            integer("epochs", \.epochs, role: .length), integer("batch_size", \.batchSize),
            Field(key: "seed", kind: .integer, role: .shapesTheRun, get: { spec in
                spec.seed <= UInt64(Int.max) ? .integer(Int(spec.seed)) : .text("\(spec.seed)")
            }, set: { spec, value in
                switch value {
                case let .integer(seed)? where seed >= 0: spec.seed = UInt64(seed)
                case let .text(text)?:
                    guard let seed = UInt64(text) else { throw RunSpecificationError(field: "seed", reason: "must be a whole number ≥ 0, got '\(text)'") }
                    spec.seed = seed
                default: throw RunSpecificationError(field: "seed", reason: "must be a whole number ≥ 0")
                }
            }),
            Field(key: "patience", kind: .integer, role: .shapesTheRun, get: { $0.patience.map(RunFieldValue.integer) }, set: { spec, value in
                spec.patience = try value.map { try Self.integerValue($0, key: "patience") }
            }),
            text("init_weights", \.initWeights), text("checkpoint_dir", \.checkpointDirectory, role: .output),
            text("save_weights", \.saveWeights, role: .output), text("report", \.report, role: .output),
            text("log", \.log, role: .output), text("tensorboard", \.tensorboard, role: .output),
        ]
    }()

    /// The field of this key (`-` and `_` alike), or nil.
    public static func field(named key: String) -> Field? {
        let normalized = key.replacingOccurrences(of: "-", with: "_")
        return fields.first { $0.key == normalized }
    }

    /// The value of the field `key` (nil: not set, or no such field).
    public func value(of key: String) -> RunFieldValue? { Self.field(named: key)?.get(self) }

    /// Sets the field `key` to `value`.
    /// - Throws: `RunSpecificationError` for an unknown key or a value of the wrong kind (range checks are `validate()`'s).
    public mutating func set(_ key: String, to value: RunFieldValue?) throws {
        guard let field = Self.field(named: key) else {
            throw RunSpecificationError(field: key, reason: "is not a field of a run (the fields: \(Self.fields.map(\.key).joined(separator: ", ")))")
        }
        try field.set(&self, value)
    }

    /// Sets the field `key` from text as a flag takes it (`64,32`, `3e-3`, `auto`, `true`).
    /// - Throws: `RunSpecificationError` naming the field when the text is not of its kind.
    public mutating func set(_ key: String, text: String) throws {
        guard let field = Self.field(named: key) else { return try set(key, to: .text(text)) }
        let value: RunFieldValue
        switch field.kind {
        case .text, .choice, .rate: value = .text(text)
        case .integer:
            guard let number = Int(text.trimmingCharacters(in: .whitespaces)) else {
                if field.key == "seed" { value = .text(text); break }
                throw RunSpecificationError(field: field.key, reason: "must be a whole number, got '\(text)'")
            }
            value = .integer(number)
        case .number:
            guard let number = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw RunSpecificationError(field: field.key, reason: "must be a number, got '\(text)'")
            }
            value = .number(number)
        case .flag:
            guard let on = Bool(text.lowercased()) else { throw RunSpecificationError(field: field.key, reason: "must be true or false") }
            value = .flag(on)
        case .sizes: value = .sizes(try Self.sizes(text, key: field.key))
        }
        try field.set(&self, value)
    }

    /// Every set field as text, by key.
    public func fieldValues() -> [String: String] {
        Dictionary(uniqueKeysWithValues: Self.fields.compactMap { field in field.get(self).map { (field.key, $0.description) } })
    }

    /// The keys of the fields of `roles` whose values differ between this run and `other`, in file order.
    public func differences(from other: RunSpecification, roles: Set<FieldRole> = [.shapesTheRun]) -> [String] {
        Self.fields.filter { roles.contains($0.role) && $0.get(self) != $0.get(other) }.map(\.key)
    }

    /// The command-line arguments that give this run to `descent train` (fields at their defaults left out).
    /// - Parameter roles: the fields to give (default: all but the record of an automatic rate).
    public func arguments(roles: Set<FieldRole> = [.shapesTheRun, .length, .output]) -> [String] {
        let defaults = RunSpecification()
        var arguments: [String] = []
        for field in Self.fields where roles.contains(field.role) {
            guard let value = field.get(self), value != field.get(defaults) else { continue }
            let flag = "--" + field.key.replacingOccurrences(of: "_", with: "-")
            if case let .flag(on) = value {
                if on { arguments.append(flag) }
            } else {
                arguments += [flag, value.description]
            }
        }
        return arguments
    }

    // MARK: Reading values

    static func integerValue(_ value: RunFieldValue?, key: String) throws -> Int {
        switch value {
        case let .integer(number)?: return number
        case let .number(number)? where number == number.rounded() && abs(number) < 9e15: return Int(number)
        case let .text(text)?:
            guard let number = Int(text) else { throw RunSpecificationError(field: key, reason: "must be a whole number, got '\(text)'") }
            return number
        default: throw RunSpecificationError(field: key, reason: "must be a whole number")
        }
    }

    static func numberValue(_ value: RunFieldValue?, key: String) throws -> Double {
        switch value {
        case let .number(number)?: return number
        case let .integer(number)?: return Double(number)
        case let .text(text)?:
            guard let number = Double(text) else { throw RunSpecificationError(field: key, reason: "must be a number, got '\(text)'") }
            return number
        default: throw RunSpecificationError(field: key, reason: "must be a number")
        }
    }

    /// Widths from text: "64,32"; "" (or spaces) is none (a linear model). Every comma separates a width.
    public static func sizes(_ text: String, key: String) throws -> [Int] {
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return try parts.enumerated().map { index, part in
            guard !part.isEmpty else {
                throw RunSpecificationError(field: key, reason: "has an empty size (item \(index + 1) of '\(text.count > 80 ? String(text.prefix(60)) + "…" : text)')")
            }
            guard let size = Int(part), size > 0 else { throw RunSpecificationError(field: key, reason: "'\(part)' is not a positive size") }
            return size
        }
    }
}
