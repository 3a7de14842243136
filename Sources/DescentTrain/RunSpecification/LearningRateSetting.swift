/// The base (peak) rate of a run: a number, or chosen automatically (`AutomaticLearningRate`: a range
/// test weighed by the run's budget), with the rate it chose once it has.
///
/// Written as a number or `"auto"`; the chosen rate is written beside it (`chosen_learning_rate`),
/// as a record — replaying `auto` runs the range test again.
///
/// ```swift
/// LearningRateSetting(text: "3e-3")   // .fixed(0.003)
/// LearningRateSetting(text: "auto")   // .automatic(chosen: nil)
/// ```
public enum LearningRateSetting: Sendable, Equatable, CustomStringConvertible {
    /// This rate, > 0 and finite.
    case fixed(Double)
    /// Chosen by a range test; `chosen` is the rate it chose (nil before the run).
    case automatic(chosen: Double?)

    /// `auto` (any case) or a positive finite number; nil for anything else.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "auto" {
            self = .automatic(chosen: nil)
        } else if let value = Double(trimmed), value > 0, value.isFinite {
            self = .fixed(value)
        } else {
            return nil
        }
    }

    /// Whether the rate is chosen automatically.
    public var isAutomatic: Bool { if case .automatic = self { return true } else { return false } }

    /// The fixed rate, or the one `auto` chose (nil before it has).
    public var value: Double? {
        switch self {
        case let .fixed(rate): return rate
        case let .automatic(chosen): return chosen
        }
    }

    /// `auto` or the number, as a flag takes it.
    public var description: String {
        switch self {
        case .automatic: return "auto"
        case let .fixed(value): return "\(value)"
        }
    }
}

import Foundation
