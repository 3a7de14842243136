import DescentTensor

/// Max pooling over NCHW images, as PyTorch's `nn.MaxPool2d` (stride defaults to the kernel size).
///
/// ```swift
/// try MaxPool2D(kernelSize: 2)(Tensor.zeros([16, 8, 8, 8])).shape   // [16, 8, 4, 4]
/// ```
public final class MaxPool2D: Module {
    public let kernelSize: Int
    public let stride: Int?
    public let padding: Int
    public var isTraining = true

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    /// - Throws: `TensorError` naming the shape if the window does not fit or an argument is out of range.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

/// Average pooling over NCHW images, as PyTorch's `nn.AvgPool2d` (`count_include_pad=True` by default).
///
/// ```swift
/// try AvgPool2D(kernelSize: 2)(Tensor.ones([1, 1, 4, 4])).scalars   // [1, 1, 1, 1]
/// ```
public final class AvgPool2D: Module {
    public let kernelSize: Int
    public let stride: Int?
    public let padding: Int
    public let countingPadding: Bool
    public var isTraining = true

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0, countingPadding: Bool = true) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.countingPadding = countingPadding
    }

    /// - Throws: `TensorError` naming the shape if the window does not fit or an argument is out of range.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try input.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding, countingPadding: countingPadding)
    }
}
