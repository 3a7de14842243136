import DescentTensor

/// Walking a module tree by name. Shared modules and parameters (the same object
/// reached twice) are listed once, under the first name, as PyTorch does.
extension Module {
    /// This module (named `""`) and all its descendants, depth first, with dotted names.
    public var namedModules: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = []
        var seen = Set<ObjectIdentifier>()
        func visit(_ module: any Module, _ name: String) {
            guard seen.insert(ObjectIdentifier(module)).inserted else { return }
            result.append((name, module))
            for (local, member) in module.namedMembers {
                if case .module(let child) = member { visit(child, name.isEmpty ? local : "\(name).\(local)") }
            }
        }
        visit(self, "")
        return result
    }

    /// Every parameter, frozen or not, with its dotted name (`layers.0.weight`).
    public var allParameters: [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        var seen = Set<ObjectIdentifier>()
        for (prefix, module) in namedModules {
            for (local, member) in module.namedMembers {
                if case .parameter(let parameter) = member, seen.insert(ObjectIdentifier(parameter)).inserted {
                    result.append((prefix.isEmpty ? local : "\(prefix).\(local)", parameter))
                }
            }
        }
        return result
    }

    /// The parameters that training updates (not frozen), by name: what an optimizer walks.
    public var trainableParameters: [(name: String, parameter: Parameter)] {
        allParameters.filter { !$0.parameter.isFrozen }
    }

    /// The values of the trainable parameters, in order, by name.
    public var namedParameters: [(name: String, value: Tensor)] {
        trainableParameters.map { ($0.name, $0.parameter.value) }
    }

    /// Every buffer (running statistics and other saved state) with its dotted name.
    public var namedBuffers: [(name: String, buffer: Buffer)] {
        var result: [(name: String, buffer: Buffer)] = []
        var seen = Set<ObjectIdentifier>()
        for (prefix, module) in namedModules {
            for (local, member) in module.namedMembers {
                if case .buffer(let buffer) = member, seen.insert(ObjectIdentifier(buffer)).inserted {
                    result.append((prefix.isEmpty ? local : "\(prefix).\(local)", buffer))
                }
            }
        }
        return result
    }

    /// All state to save, module by module in order: each module's parameters
    /// (frozen too) and buffers, as PyTorch's `state_dict()` orders them.
    public var namedState: [(name: String, value: Tensor)] {
        var result: [(name: String, value: Tensor)] = []
        var seen = Set<ObjectIdentifier>()
        for (prefix, module) in namedModules {
            for (local, member) in module.namedMembers {
                let name = prefix.isEmpty ? local : "\(prefix).\(local)"
                switch member {
                case .parameter(let parameter) where seen.insert(ObjectIdentifier(parameter)).inserted:
                    result.append((name, parameter.value))
                case .buffer(let buffer) where seen.insert(ObjectIdentifier(buffer)).inserted:
                    result.append((name, buffer.value))
                default: break
                }
            }
        }
        return result
    }

    /// `namedState` as a dictionary, PyTorch's `state_dict()`.
    public var stateDictionary: [String: Tensor] {
        Dictionary(namedState.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// The parameter with this dotted name, frozen or not.
    public func parameter(named name: String) -> Parameter? {
        allParameters.first { $0.name == name }?.parameter
    }

    /// Number of scalars in the trainable parameters.
    public var parameterCount: Int { trainableParameters.reduce(0) { $0 + $1.parameter.value.count } }
}
