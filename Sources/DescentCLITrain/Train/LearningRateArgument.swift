import Foundation
import ArgumentParser
import DescentCLIShared

/// The value of `--learning-rate`: a positive number, or `auto` to choose it with a range test
/// weighed by the run's budget (`AutomaticLearningRate`).
///
/// ```
/// $ descent train --dataset iris --learning-rate 0.01
/// $ descent train --dataset iris --learning-rate auto
/// ```
enum LearningRateArgument: ExpressibleByArgument, Equatable, CustomStringConvertible, Sendable {
    case automatic
    case fixed(Double)

    /// "auto" (any case), or a finite number > 0; anything else is a usage error naming the flag.
    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        if text.lowercased() == "auto" {
            self = .automatic
        } else if let value = Double(text), value > 0, value.isFinite {
            self = .fixed(value)
        } else {
            return nil
        }
    }

    /// Parses the flag's text; anything but `auto` or a finite number > 0 is a usage error saying so.
    static func parse(_ text: String) throws -> LearningRateArgument {
        guard let value = LearningRateArgument(argument: text) else {
            throw ValidationError("--learning-rate must be a positive number or auto, got '\(CaretExcerpt.cut(text))'")
        }
        return value
    }

    var description: String {
        switch self {
        case .automatic: return "auto"
        case .fixed(let value): return "\(value)"
        }
    }

    var defaultValueDescription: String { description }

    /// The fixed rate (nil for `auto`).
    var fixedValue: Double? { if case .fixed(let value) = self { return value } else { return nil } }
}
