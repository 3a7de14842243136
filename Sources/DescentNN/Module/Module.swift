import DescentTensor

/// A layer or a model: a function of a tensor that owns named parameters,
/// buffers and sub-modules, as PyTorch's `nn.Module`.
///
/// Modules are classes (reference types): a model is one object graph whose
/// parameters the optimizer updates in place. Parameter discovery is by name:
/// every stored property holding a `Parameter`, a `Buffer`, a `Module`, or an
/// array of them, is found by reflection and named after the property, nested
/// with dots, arrays by index — the names of PyTorch's `state_dict`:
///
/// ```swift
/// final class TwoLayer: Module {
///     public var isTraining = true
///     let hidden: Linear, output: Linear
///     init(using generator: inout SeededGenerator) throws {
///         hidden = try Linear(4, 8, using: &generator)
///         output = try Linear(8, 3, using: &generator)
///     }
///     func callAsFunction(_ x: Tensor) throws -> Tensor { try output(hidden(x).relu()) }
/// }
/// var generator = SeededGenerator(seed: 0)
/// let model = try TwoLayer(using: &generator)
/// model.namedParameters.map(\.name)   // ["hidden.weight", "hidden.bias", "output.weight", "output.bias"]
/// ```
///
/// A module that needs other names (PyTorch's `running_mean`, `Sequential`'s
/// `0`, `1`, ...) implements `namedMembers` itself.
public protocol Module: AnyObject {
    /// Applies the module to a batch.
    func callAsFunction(_ input: Tensor) throws -> Tensor

    /// Whether the module behaves as in training (dropout active, batch
    /// statistics) or evaluation. Set it for a whole model with `train()` / `eval()`.
    /// Each module stores its own flag: `public var isTraining = true`.
    var isTraining: Bool { get set }

    /// The parameters, buffers and sub-modules held directly by this module, in
    /// order, with their local names. The default finds them by reflection.
    var namedMembers: [(name: String, member: ModuleMember)] { get }
}

/// What a module holds directly: a trainable tensor, a state tensor, or another module.
public enum ModuleMember {
    case parameter(Parameter)
    case buffer(Buffer)
    case module(any Module)

    /// The member inside `value` if it is one (or an optional one), else nil.
    static func from(_ value: Any) -> ModuleMember? {
        if let parameter = value as? Parameter { return .parameter(parameter) }
        if let buffer = value as? Buffer { return .buffer(buffer) }
        if let module = value as? any Module { return .module(module) }
        return nil
    }
}

extension Module {
    /// Stored properties of type `Parameter`, `Buffer`, `Module` (optional or not)
    /// and arrays of them (named `property.index`), superclass properties first.
    /// A leading underscore (property wrappers) is dropped from the name.
    public var namedMembers: [(name: String, member: ModuleMember)] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let current = mirror { mirrors.insert(current, at: 0); mirror = current.superclassMirror }
        var result: [(name: String, member: ModuleMember)] = []
        for mirror in mirrors {
            for child in mirror.children {
                guard var name = child.label else { continue }
                if name.hasPrefix("_") { name.removeFirst() }
                if let member = ModuleMember.from(child.value) {
                    result.append((name, member))
                } else if Mirror(reflecting: child.value).displayStyle == .collection {
                    for (index, element) in Mirror(reflecting: child.value).children.enumerated() {
                        if let member = ModuleMember.from(element.value) { result.append(("\(name).\(index)", member)) }
                    }
                }
            }
        }
        return result
    }
}
