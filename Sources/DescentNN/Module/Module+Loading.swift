import DescentTensor

extension Module {
    /// Replaces parameters and buffers by name from `parameters` (a state
    /// dictionary, e.g. read from a safetensors file), as PyTorch's `load_state_dict`.
    ///
    /// Nothing is changed when it throws. A shape mismatch is always an error; a
    /// missing or unexpected name is an error when `strict` (the default) and is
    /// reported otherwise.
    ///
    /// ```swift
    /// try model.load(parameters: other.stateDictionary)
    /// let report = try model.load(parameters: ["hidden.weight": w], strict: false)
    /// report.missing   // ["hidden.bias", "output.weight", "output.bias"]
    /// ```
    /// - Throws: `StateLoadError` listing every missing, unexpected and mis-shaped name.
    @discardableResult
    public func load(parameters: [String: Tensor], strict: Bool = true) throws -> StateLoadReport {
        var targets: [(name: String, shape: [Int], assign: (Tensor) -> Void)] = []
        for (name, parameter) in allParameters {
            targets.append((name, parameter.value.shape, { parameter.value = $0 }))
        }
        for (name, buffer) in namedBuffers {
            targets.append((name, buffer.value.shape, { buffer.value = $0 }))
        }
        let known = Set(targets.map(\.name))
        let missing = targets.map(\.name).filter { parameters[$0] == nil }
        let unexpected = parameters.keys.filter { !known.contains($0) }.sorted()
        let mismatches = targets.compactMap { target -> StateLoadError.ShapeMismatch? in
            guard let value = parameters[target.name], value.shape != target.shape else { return nil }
            return StateLoadError.ShapeMismatch(name: target.name, expected: target.shape, found: value.shape)
        }
        if !mismatches.isEmpty || (strict && (!missing.isEmpty || !unexpected.isEmpty)) {
            throw StateLoadError(missing: strict ? missing : [], unexpected: strict ? unexpected : [], shapeMismatches: mismatches)
        }
        for target in targets {
            if let value = parameters[target.name] { target.assign(value.detached) }
        }
        return StateLoadReport(missing: missing, unexpected: unexpected)
    }
}
