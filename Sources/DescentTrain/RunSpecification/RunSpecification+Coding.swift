import DescentData
import DescentNN
import DescentOptim
import Foundation

/// A run specification is coded flat, one key per field (`RunSpecification.fields`), unset fields left
/// out: the same keys as `descent train`'s long flags, so any JSON, TOML or YAML file of it is a file of flags.
extension RunSpecification {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for field in Self.fields {
            guard let value = field.get(self) else { continue }
            let key = Key(field.key)
            switch value {
            case let .text(text): try container.encode(text, forKey: key)
            case let .integer(number): try container.encode(number, forKey: key)
            case let .number(number): try container.encode(number, forKey: key)
            case let .flag(on): try container.encode(on, forKey: key)
            case let .sizes(sizes): try container.encode(sizes, forKey: key)
            }
        }
    }

    /// Reads every key it knows (`-` or `_`); an unknown key, or a value of the wrong kind, is an error naming it.
    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: Key.self)
        var byField: [String: Key] = [:]
        for key in container.allKeys {
            guard let field = Self.field(named: key.stringValue) else {
                throw RunSpecificationError(field: key.stringValue, reason: "is not a field of a run")
            }
            if byField[field.key] != nil {
                throw RunSpecificationError(field: key.stringValue, reason: "repeats another key ('-' and '_' name the same field)")
            }
            byField[field.key] = key
        }
        for field in Self.fields {
            guard let key = byField[field.key] else { continue }
            let value: RunFieldValue
            if let on = try? container.decode(Bool.self, forKey: key) {
                value = .flag(on)
            } else if let number = try? container.decode(Int.self, forKey: key) {
                value = .integer(number)
            } else if let number = try? container.decode(Double.self, forKey: key) {
                value = .number(number)
            } else if let text = try? container.decode(String.self, forKey: key) {
                value = .text(text)
            } else if let sizes = try? container.decode([Int].self, forKey: key) {
                value = .sizes(sizes)
            } else if (try? container.decodeNil(forKey: key)) == true {
                continue
            } else {
                throw RunSpecificationError(field: field.key, reason: "has a value of no kind a field takes")
            }
            try field.set(&self, value)
        }
    }

    /// The specification as JSON text (keys sorted, one object).
    public func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The specification from JSON text.
    /// - Throws: `RunSpecificationError` naming a field, or the decoder's error for text that is not a JSON object.
    public init(jsonText: String) throws {
        self = try JSONDecoder().decode(RunSpecification.self, from: Data(jsonText.utf8))
    }
}

// MARK: - Validation

extension RunSpecification {
    /// Checks every field's range and the combinations: exactly one data source, `target` and `task`
    /// only with `csv`, IDX files in pairs, positive widths, a rate > 0, fractions in (0, 1).
    /// - Throws: `RunSpecificationError` naming the first field out of range.
    /// The weight decays a run takes: 0 to 1000. Above that no rate an optimizer trains at keeps the decay alone stable
    /// (AdamW at 1e-3 is stable up to 2000, SGD at 0.01 with momentum 0.9 up to 380: ``weightDecay`` × rate past 2(1 + β)
    /// makes the weights grow), and 1e308 overflows Float32 at the first step.
    public static let weightDecayRange: ClosedRange<Double> = 0...1000
    /// The most epochs `patience` and `plateau_patience` may wait (a million: more than any run has).
    public static let maximumPatience = 1_000_000
    /// The longest interval of the step trackers (`track_noise_scale`, `track_sharpness`): 10^15, a schedule's longest run.
    public static let maximumStepInterval = 1_000_000_000_000_000

    public func validate() throws {
        func fail(_ field: String, _ reason: String) -> RunSpecificationError { RunSpecificationError(field: field, reason: reason) }
        let sources = [dataset != nil, csv != nil, idxImages != nil || idxLabels != nil].filter { $0 }.count
        guard sources == 1 else {
            throw fail("dataset", sources == 0 ? "is missing: give one of dataset, csv or idx_images with idx_labels"
                                               : "goes alone: give exactly one of dataset, csv or idx_images with idx_labels")
        }
        if (idxImages == nil) != (idxLabels == nil) { throw fail(idxImages == nil ? "idx_images" : "idx_labels", "goes with \(idxImages == nil ? "idx_labels" : "idx_images")") }
        if target != nil && csv == nil { throw fail("target", "goes with csv") }
        if task != nil && csv == nil { throw fail("task", "goes with csv (a bundled data set's or IDX labels' task is known)") }
        if let dataset, !Datasets.availableNames.contains(dataset) {
            throw fail("dataset", "'\(dataset.count > 40 ? String(dataset.prefix(40)) + "…" : dataset)' is unknown; available: \(Datasets.availableNames.joined(separator: ", "))")
        }
        guard validationFraction >= 0, validationFraction < 1 else { throw fail("validation_fraction", "must be in [0, 1) (0: no validation part)") }
        for (key, names) in [("categorical", categorical), ("numeric", numeric), ("ignore", ignore)] {
            guard let names else { continue }
            if csv == nil { throw fail(key, "goes with csv (it names the file's columns)") }
            if Self.columnNames(names).isEmpty { throw fail(key, "needs one or more column names, e.g. a,b") }
        }
        if csv == nil, missingValues != nil || minCategoryCount != 5 || targetTransform != .none {
            throw fail(missingValues != nil ? "missing_values" : minCategoryCount != 5 ? "min_category_count" : "target_transform",
                       "goes with csv (it says how a raw table is read)")
        }
        guard (1...1_000_000).contains(minCategoryCount) else { throw fail("min_category_count", "must be in 1...1000000, got \(minCategoryCount)") }
        if let folds, !(2...100).contains(folds) { throw fail("folds", "must be from 2 to 100, got \(folds)") }
        if let ensemble, !SmallTableEnsemble.allowedMembers.contains(ensemble) {
            throw fail("ensemble", "must be from 1 to \(SmallTableEnsemble.allowedMembers.upperBound) models, got \(ensemble)")
        }
        if let threads, !(1...4096).contains(threads) { throw fail("threads", "must be in 1...4096, got \(threads)") }
        if let trackNoiseScale, !(1...Self.maximumStepInterval).contains(trackNoiseScale) {
            throw fail("track_noise_scale", "must be from 1 to 10^15 steps, got \(trackNoiseScale)")
        }
        if let trackSharpness, !(1...Self.maximumStepInterval).contains(trackSharpness) {
            throw fail("track_sharpness", "must be from 1 to 10^15 (steps between measurements), got \(trackSharpness)")
        }
        if let bad = hidden.first(where: { $0 < 1 }) { throw fail("hidden", "'\(bad)' is not a positive layer size") }
        guard !channels.isEmpty else { throw fail("channels", "needs at least one width, e.g. 16,32") }
        if let bad = channels.first(where: { !(1...4096).contains($0) }) { throw fail("channels", "'\(bad)' is not a width in 1...4096") }
        if case let .fixed(rate) = learningRate, !(rate > 0 && rate.isFinite) {
            throw fail("learning_rate", "must be a positive number or auto, got '\(rate)'")
        }
        if case let .automatic(chosen?) = learningRate, !(chosen > 0 && chosen.isFinite) {
            throw fail("chosen_learning_rate", "must be a positive number, got \(chosen)")
        }
        guard Self.weightDecayRange.contains(weightDecay) else {
            throw fail("weight_decay", "must be from 0 to \(Int(Self.weightDecayRange.upperBound)), got \(weightDecay)")
        }
        guard momentum >= 0, momentum < 1 else { throw fail("momentum", "must be in [0, 1)") }
        if let schedule, schedule.trimmingCharacters(in: .whitespaces).isEmpty { throw fail("schedule", "is empty") }
        guard (0...Self.maximumPatience).contains(plateauPatience) else {
            throw fail("plateau_patience", "must be from 0 to \(Self.maximumPatience) epochs, got \(plateauPatience)")
        }
        guard plateauFactor > 0, plateauFactor < 1 else { throw fail("plateau_factor", "must be in (0, 1), got \(plateauFactor)") }
        guard epochs > 0 else { throw fail("epochs", "must be positive") }
        guard batchSize > 0 else { throw fail("batch_size", "must be positive") }
        if let patience, !(1...Self.maximumPatience).contains(patience) {
            throw fail("patience", "must be from 1 to \(Self.maximumPatience) epochs, got \(patience)")
        }
        for (key, path) in [("init_weights", initWeights), ("checkpoint_dir", checkpointDirectory), ("save_weights", saveWeights),
                            ("report", report), ("log", log), ("tensorboard", tensorboard), ("csv", csv),
                            ("idx_images", idxImages), ("idx_labels", idxLabels)] {
            if let path, path.isEmpty { throw fail(key, "is an empty path") }
        }
    }
}
