import DescentTensor

/// The loss of a model and its gradient with respect to every trainable
/// (not frozen) parameter, by name — backpropagation over a module tree.
///
/// During `loss` each trainable parameter holds a tracked copy of its value; the
/// values are restored afterwards (also when `loss` throws). Frozen parameters
/// and buffers are constants.
///
/// ```swift
/// let (loss, gradients) = try valueWithGradient(at: model) { model in
///     try crossEntropy(model(images), labels)
/// }
/// gradients["layers.0.weight"]   // same shape as that weight
/// ```
/// - Throws: what `loss` throws, or `TensorError` if it does not return one value.
public func valueWithGradient<M: Module>(at model: M, _ loss: (M) throws -> Tensor) throws -> (value: Tensor, gradients: [String: Tensor]) {
    try valueWithGradient(at: model, parameters: model.trainableParameters, loss)
}

/// `valueWithGradient(at:_:)` with the trainable parameters already listed (`model.trainableParameters`),
/// so that a training loop walks the module tree once, not at every step.
public func valueWithGradient<M: Module>(at model: M, parameters trainable: [(name: String, parameter: Parameter)],
                                         _ loss: (M) throws -> Tensor) throws -> (value: Tensor, gradients: [String: Tensor]) {
    let originals = trainable.map { $0.parameter.value }
    defer { for (entry, original) in zip(trainable, originals) { entry.parameter.value = original } }
    let (value, gradients) = try valueWithGradient(at: originals) { leaves in
        for (entry, leaf) in zip(trainable, leaves) { entry.parameter.value = leaf }
        return try loss(model)
    }
    var named: [String: Tensor] = [:]
    for (entry, gradient) in zip(trainable, gradients) { named[entry.name] = gradient }
    return (value, named)
}
