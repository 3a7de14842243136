import CDescentElementwise

/// The sizes of a sliding-window operation over NCHW images (convolution,
/// pooling): a square kernel, one stride and one zero padding for both axes.
///
///     outputHeight = ⌊(height + 2·padding − kernelHeight) / stride⌋ + 1
///
/// e.g. an 8×8 image, 3×3 kernel, stride 1, padding 1 → 8×8; stride 2 → 4×4.
struct SpatialGeometry {
    let batch: Int
    let channels: Int
    let height: Int
    let width: Int
    let kernelHeight: Int
    let kernelWidth: Int
    let stride: Int
    let padding: Int
    let outputHeight: Int
    let outputWidth: Int

    /// Checks the arguments and computes the output size; errors name the shapes.
    init(input shape: [Int], kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int, operation: String) throws {
        guard shape.count == 4 else {
            throw TensorError.invalidArgument(operation: operation, "input must have shape [batch, channels, height, width], got \(shape)")
        }
        guard kernelHeight >= 1, kernelWidth >= 1 else {
            throw TensorError.invalidArgument(operation: operation, "kernel size must be at least 1, got \(kernelHeight)×\(kernelWidth)")
        }
        guard stride >= 1 else {
            throw TensorError.invalidArgument(operation: operation, "stride must be at least 1, got \(stride)")
        }
        guard padding >= 0 else {
            throw TensorError.invalidArgument(operation: operation, "padding must not be negative, got \(padding)")
        }
        let paddedHeight = shape[2] + 2 * padding, paddedWidth = shape[3] + 2 * padding
        guard paddedHeight >= kernelHeight, paddedWidth >= kernelWidth else {
            throw TensorError.shapeMismatch(operation: operation,
                "kernel \(kernelHeight)×\(kernelWidth) is larger than the input \(shape) padded by \(padding) (\(paddedHeight)×\(paddedWidth))")
        }
        batch = shape[0]
        channels = shape[1]
        height = shape[2]
        width = shape[3]
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
        outputHeight = (paddedHeight - kernelHeight) / stride + 1
        outputWidth = (paddedWidth - kernelWidth) / stride + 1
    }

    /// Output positions per image and channel.
    var outputPositions: Int { outputHeight * outputWidth }
    /// Input elements per image and channel.
    var inputPositions: Int { height * width }
    /// Rows of the im2col matrix: channels · kernelHeight · kernelWidth.
    var patchSize: Int { channels * kernelHeight * kernelWidth }
}

extension SpatialGeometry {
    /// The same geometry for the C loops of `spatial.c`.
    var cGeometry: descent_spatial_geometry {
        descent_spatial_geometry(channels: channels, height: height, width: width, kernel_height: kernelHeight,
                                 kernel_width: kernelWidth, stride: stride, padding: padding,
                                 output_height: outputHeight, output_width: outputWidth)
    }
}
