import DescentTensor

/// Layers applied one after another, as PyTorch's `nn.Sequential`; its
/// members are named `0`, `1`, ... so a model holding it as `layers` has
/// parameters `layers.0.weight`, `layers.0.bias`, ...
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try Sequential {
///     try Linear(64, 32, using: &generator)
///     ReLU()
///     try Linear(32, 10, using: &generator)
/// }
/// model.namedParameters.map(\.name)   // ["0.weight", "0.bias", "2.weight", "2.bias"]
/// try model(Tensor.zeros([5, 64])).shape   // [5, 10]
/// ```
public final class Sequential: Module {
    public private(set) var layers: [any Module]
    public var isTraining = true

    public init(_ layers: [any Module]) { self.layers = layers }

    public convenience init(@ModuleBuilder _ content: () throws -> [any Module]) rethrows {
        self.init(try content())
    }

    /// Adds a layer at the end.
    public func append(_ layer: any Module) { layers.append(layer) }

    public var namedMembers: [(name: String, member: ModuleMember)] {
        layers.enumerated().map { ("\($0.offset)", .module($0.element)) }
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try layers.reduce(input) { try $1($0) }
    }
}

/// Builds a list of modules from statements, with `if`, `if/else` and `for`.
@resultBuilder
public enum ModuleBuilder {
    public static func buildExpression(_ module: any Module) -> [any Module] { [module] }
    public static func buildExpression(_ modules: [any Module]) -> [any Module] { modules }
    public static func buildBlock(_ parts: [any Module]...) -> [any Module] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [any Module]?) -> [any Module] { part ?? [] }
    public static func buildEither(first part: [any Module]) -> [any Module] { part }
    public static func buildEither(second part: [any Module]) -> [any Module] { part }
    public static func buildArray(_ parts: [[any Module]]) -> [any Module] { parts.flatMap { $0 } }
}
