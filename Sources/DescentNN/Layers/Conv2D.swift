import DescentTensor

/// A 2-D convolution layer over NCHW images, as PyTorch's `nn.Conv2d`
/// (square kernel, one stride and padding for both axes, dilation 1, groups 1):
/// out = conv2d(input, weight [outputChannels, inputChannels, k, k]) + bias.
///
/// Initialised as PyTorch: weight by `weightInitialization` with fan-in
/// inputChannels·k² (default U(−1/√fanIn, 1/√fanIn)), bias from the same bound.
///
/// ```swift
/// var generator = SeededGenerator(seed: 1)
/// let conv = try Conv2D(1, 8, kernelSize: 3, padding: 1, using: &generator)
/// try conv(Tensor.zeros([16, 1, 8, 8])).shape    // [16, 8, 8, 8]
/// ```
public final class Conv2D: Module {
    public let weight: Parameter
    public let bias: Parameter?
    public let stride: Int
    public let padding: Int
    public var isTraining = true

    /// - Throws: `TensorError.invalidArgument` if a size is not positive, the stride is
    ///   below 1 or the padding negative.
    public init(_ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, weightInitialization: WeightInitialization = .pytorchDefault,
                using generator: inout SeededGenerator) throws {
        guard inputChannels > 0, outputChannels > 0, kernelSize > 0, stride > 0, padding >= 0 else {
            throw TensorError.invalidArgument(operation: "Conv2D",
                "channels \(inputChannels) → \(outputChannels), kernelSize \(kernelSize), stride \(stride) must be positive and padding \(padding) not negative")
        }
        self.stride = stride
        self.padding = padding
        let fanIn = inputChannels * kernelSize * kernelSize
        weight = Parameter(try weightInitialization.makeTensor([outputChannels, inputChannels, kernelSize, kernelSize],
                                                               fanIn: fanIn, fanOut: outputChannels * kernelSize * kernelSize, using: &generator))
        let bound = 1 / Float(fanIn).squareRoot()
        self.bias = bias ? Parameter(try Tensor.randomUniform([outputChannels], low: -bound, high: bound, using: &generator)) : nil
    }

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.conv2d(weight.value, bias: bias?.value, stride: stride, padding: padding)
    }
}
