import ArgumentParser
import DescentNN
import DescentTensor

/// The convolutional network of `descent train --model cnn` and `descent bench train --workload cnn-digits`:
/// for each width c in `channels`, Conv2D(3×3, padding 1) → ReLU → MaxPool 2, then Flatten → Linear to the outputs.
/// Rows of flat features are first given the image shape (`Unflatten`).
///
/// For the digits (1×8×8) with channels [16, 32]: 8×8 → pool 4×4 → pool 2×2, so the last layer is
/// Linear(32·2·2 = 128 → 10); 160 + 4,640 + 1,290 = 6,090 parameters.
///
/// ```swift
/// var generator = SeededGenerator(seed: 0)
/// let model = try ConvolutionalModel.make(image: [1, 8, 8], channels: [16, 32], outputs: 10, using: &generator)
/// try model(Tensor.zeros([5, 64])).shape   // [5, 10]
/// ```
package enum ConvolutionalModel {
    /// - Throws: `ValidationError` naming `--channels` if a width is not positive or the image is too
    ///   small for one 2×2 pooling per convolution.
    package static func make(image: [Int], channels: [Int], outputs: Int, using generator: inout SeededGenerator) throws -> Sequential {
        guard image.count == 3, image.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("a convolutional model needs images of shape channels×height×width, got \(image)")
        }
        guard !channels.isEmpty, channels.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--channels must list one or more positive widths, got \(channels)")
        }
        var height = image[1], width = image[2]
        for _ in channels {
            guard height >= 2, width >= 2 else {
                throw ValidationError("--channels \(channels.map(String.init).joined(separator: ",")): \(channels.count) "
                    + "convolution(s) each halve the image, too many for \(image[1])×\(image[2]) images")
            }
            height /= 2; width /= 2
        }
        let architecture = ModelArchitecture(kind: .cnn, inputSize: image.reduce(1, *), hiddenSizes: [], outputSize: outputs,
                                             imageShape: image, channels: channels, kernelSize: 3)
        return try architecture.makeModel(using: &generator)
    }

    /// The layers in words: "CNN 1×8×8 → conv 3×3 16, ReLU, max-pool 2 → 16×4×4 → conv 3×3 32, ReLU, max-pool 2 → 32×2×2 → linear 128 → 10".
    static func describe(image: [Int], channels: [Int], outputs: Int) -> String {
        var height = image[1], width = image[2]
        var text = "CNN \(image.map(String.init).joined(separator: "×"))"
        for count in channels {
            height /= 2; width /= 2
            text += " → conv 3×3 \(count), ReLU, max-pool 2 → \(count)×\(height)×\(width)"
        }
        return text + " → linear \((channels.last ?? image[0]) * height * width) → \(outputs)"
    }

    /// A rough upper estimate of the bytes training needs, as `TrainingSetup.estimatedBytes` for the MLP:
    /// 16 bytes a parameter and, per example in flight, 16 bytes for each activation plus the im2col columns.
    static func estimatedBytes(image: [Int], channels: [Int], outputs: Int, rows: Int) -> Double {
        var height = Double(image[1]), width = Double(image[2]), previous = Double(image[0])
        var parameters = 0.0, units = 0.0
        for count in channels.map(Double.init) {
            parameters += count * previous * 9 + count
            units += height * width * (count * 3 + previous * 9)
            height = (height / 2).rounded(.down); width = (width / 2).rounded(.down); previous = count
        }
        parameters += previous * height * width * Double(outputs) + Double(outputs)
        return 16 * parameters + 16 * Double(rows) * units
    }
}
