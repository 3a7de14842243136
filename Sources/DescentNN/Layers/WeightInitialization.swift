import Foundation
import DescentTensor

/// How a layer draws its initial weights, from the fan-in (inputs per output,
/// `inputSize` or `channels·kh·kw`) and the fan-out. Names and formulas follow
/// `torch.nn.init`.
///
/// | case | distribution |
/// |---|---|
/// | `pytorchDefault` | U(−1/√fanIn, 1/√fanIn): PyTorch's `kaiming_uniform_(a: √5)` for Linear and Conv2d |
/// | `kaimingUniform(negativeSlope:)` | U(−b, b), b = gain·√(3/fanIn), gain = √(2/(1 + a²)) (He et al., 2015) |
/// | `kaimingNormal(negativeSlope:)` | N(0, gain/√fanIn) |
/// | `xavierUniform(gain:)` | U(−b, b), b = gain·√(6/(fanIn + fanOut)) (Glorot & Bengio, 2010) |
/// | `xavierNormal(gain:)` | N(0, gain·√(2/(fanIn + fanOut))) |
/// | `normal(standardDeviation:)` | N(0, σ) |
/// | `zeros` | 0 |
///
/// Example: a Linear(64, 32) with `.pytorchDefault` draws from U(−0.125, 0.125);
/// with `.kaimingUniform()` (ReLU gain √2) from U(−0.306, 0.306).
public enum WeightInitialization: Equatable, Sendable {
    case pytorchDefault
    case kaimingUniform(negativeSlope: Float = 0)
    case kaimingNormal(negativeSlope: Float = 0)
    case xavierUniform(gain: Float = 1)
    case xavierNormal(gain: Float = 1)
    case normal(standardDeviation: Float)
    case zeros

    /// A tensor of `shape` drawn from this distribution.
    public func makeTensor(_ shape: [Int], fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) throws -> Tensor {
        let fanIn = Float(Swift.max(fanIn, 1)), fanOut = Float(Swift.max(fanOut, 1))
        func kaimingGain(_ slope: Float) -> Float { (2 / (1 + slope * slope)).squareRoot() }
        switch self {
        case .pytorchDefault:
            let bound = 1 / fanIn.squareRoot()
            return try Tensor.randomUniform(shape, low: -bound, high: bound, using: &generator)
        case .kaimingUniform(let slope):
            let bound = kaimingGain(slope) * (3 / fanIn).squareRoot()
            return try Tensor.randomUniform(shape, low: -bound, high: bound, using: &generator)
        case .kaimingNormal(let slope):
            return try Tensor.randomNormal(shape, standardDeviation: kaimingGain(slope) / fanIn.squareRoot(), using: &generator)
        case .xavierUniform(let gain):
            let bound = gain * (6 / (fanIn + fanOut)).squareRoot()
            return try Tensor.randomUniform(shape, low: -bound, high: bound, using: &generator)
        case .xavierNormal(let gain):
            return try Tensor.randomNormal(shape, standardDeviation: gain * (2 / (fanIn + fanOut)).squareRoot(), using: &generator)
        case .normal(let standardDeviation):
            return try Tensor.randomNormal(shape, standardDeviation: standardDeviation, using: &generator)
        case .zeros:
            return try Tensor.zeros(shape)
        }
    }
}
