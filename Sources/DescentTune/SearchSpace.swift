/// The hyperparameters a study searches, in the order they were given, each with its distribution.
///
/// ```swift
/// let space = try SearchSpace(parsing: "learning_rate=loguniform(1e-5,1); batch_size=choice(16,32,64)")
/// space.parameters.map(\.name)   // ["learning_rate", "batch_size"]
/// space.textForm                 // "learning_rate=loguniform(1e-05,1); batch_size=choice(16,32,64)"
/// ```
public struct SearchSpace: Sendable, Equatable {
    /// A named distribution.
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var distribution: ParameterDistribution
        public init(name: String, distribution: ParameterDistribution) {
            self.name = name
            self.distribution = distribution
        }
    }

    /// The parameters in order.
    public var parameters: [Parameter]

    public init(_ parameters: [Parameter]) { self.parameters = parameters }

    /// The distribution of the parameter called `name`.
    public subscript(name: String) -> ParameterDistribution? {
        parameters.first { $0.name == name }?.distribution
    }

    /// The text form `name=distribution; …`, which `SearchSpace(parsing:)` reads back.
    public var textForm: String {
        parameters.map { "\($0.name)=\($0.distribution.textForm)" }.joined(separator: "; ")
    }

    /// Parameter values as stored (numbers may come back as `.int` or `.float`), given their
    /// declared kinds: an integral number of a float parameter becomes `.float`, and so on.
    public func normalized(_ values: [String: ParameterValue]) -> [String: ParameterValue] {
        var result = values
        for parameter in parameters {
            guard let value = values[parameter.name] else { continue }
            switch (parameter.distribution, value) {
            case let (.float, .int(x)): result[parameter.name] = .float(Double(x))
            case let (.int, .float(x)) where Int(exactly: x) != nil: result[parameter.name] = .int(Int(exactly: x) ?? 0)
            case let (.categorical, .int(x)): result[parameter.name] = .choice(String(x))
            case let (.categorical, .float(x)): result[parameter.name] = .choice(ParameterDistribution.number(x))
            default: break
            }
        }
        return result
    }
}
