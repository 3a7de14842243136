import DescentTensor

/// Activation functions as layers, for `Sequential`. Each applies the Tensor
/// function of the same name elementwise and has no parameters.
///
/// | layer | f(x) | f(−1), f(0), f(2) |
/// |---|---|---|
/// | `ReLU` | max(x, 0) | 0, 0, 2 |
/// | `LeakyReLU(negativeSlope: 0.01)` | x if x > 0 else a·x | −0.01, 0, 2 |
/// | `GELU` | x·Φ(x) (exact, erf form; Hendrycks & Gimpel, 2016) | −0.1587, 0, 1.9545 |
/// | `Tanh` | tanh x | −0.7616, 0, 0.9640 |
/// | `Sigmoid` | 1/(1 + e⁻ˣ) | 0.2689, 0.5, 0.8808 |
/// | `Softplus` | log(1 + eˣ) | 0.3133, 0.6931, 2.1269 |
public final class ReLU: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.relu() }
}

/// x for x > 0, `negativeSlope`·x otherwise (PyTorch's default slope 0.01). See `ReLU` for the table.
public final class LeakyReLU: Module {
    public let negativeSlope: Float
    public var isTraining = true
    public init(negativeSlope: Float = 0.01) { self.negativeSlope = negativeSlope }
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
}

/// x·Φ(x), the exact GELU as PyTorch's default. See `ReLU` for the table.
public final class GELU: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.gelu() }
}

/// The hyperbolic tangent. See `ReLU` for the table.
public final class Tanh: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.tanh() }
}

/// The logistic function 1/(1 + e⁻ˣ). See `ReLU` for the table.
public final class Sigmoid: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.sigmoid() }
}

/// log(1 + eˣ), computed without overflow. See `ReLU` for the table.
public final class Softplus: Module {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) throws -> Tensor { input.softplus() }
}
