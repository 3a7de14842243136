import DescentTensor

/// A trainable tensor of a module, shared by reference so that an optimizer
/// can update it in place: `parameter.value = newValue`.
///
/// A frozen parameter keeps its value during training: it is left out of
/// `namedParameters`, of `valueWithGradient(at: model)` and so of every update.
///
/// ```swift
/// let weight = Parameter(try Tensor.zeros([3, 2]))
/// weight.isFrozen = true
/// ```
public final class Parameter {
    /// The current value (untracked between gradient computations).
    public var value: Tensor
    /// Whether training leaves this parameter unchanged.
    public var isFrozen: Bool

    public init(_ value: Tensor, isFrozen: Bool = false) {
        self.value = value
        self.isFrozen = isFrozen
    }
}

/// A non-trainable state tensor of a module that is saved and loaded with the
/// parameters, as PyTorch's registered buffers (BatchNorm's running statistics).
///
/// ```swift
/// let runningMean = Buffer(try Tensor.zeros([16]))
/// ```
public final class Buffer {
    public var value: Tensor

    public init(_ value: Tensor) { self.value = value }
}
