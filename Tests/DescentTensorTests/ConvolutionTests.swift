import XCTest
import DescentTensor

/// conv2d: forward against hand-computed values and a direct six-loop sum,
/// gradients against central finite differences, shape errors by message.
final class ConvolutionTests: XCTestCase {
    func testHandComputedValues() throws {
        let image = try Tensor(shape: [1, 1, 3, 3], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let kernel = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 0, 0, 1])
        XCTAssertEqual(try image.conv2d(kernel).scalars, [6, 8, 12, 14])
        XCTAssertEqual(try image.conv2d(kernel).shape, [1, 1, 2, 2])
        // Padding 1, stride 2: windows start at -1 and 1 in each direction.
        //   (-1,-1): only input[0,0]·k[1,1] = 1;  (-1,1): input[0,2]·k[1,1] = 3
        //   (1,-1): input[2,0]·k[1,1] = 7;        (1,1): input[1,1] + input[2,2] = 5 + 9
        XCTAssertEqual(try image.conv2d(kernel, stride: 2, padding: 1).scalars, [1, 3, 7, 14])
        // Bias is added per output channel; two output channels.
        let two = try Tensor(shape: [2, 1, 1, 1], scalars: [1, -1])
        let biased = try image.conv2d(two, bias: Tensor([10, 20]))
        XCTAssertEqual(biased.shape, [1, 2, 3, 3])
        XCTAssertEqual(biased.scalars, [11, 12, 13, 14, 15, 16, 17, 18, 19, 19, 18, 17, 16, 15, 14, 13, 12, 11])
    }

    func testMatchesDirectSumWithManyShapes() throws {
        var generator = SeededGenerator(seed: 7)
        for (batch, channels, height, width, outputs, kernel, stride, padding) in [
            (2, 3, 5, 4, 4, 3, 1, 1), (3, 2, 7, 7, 3, 3, 2, 0), (1, 1, 6, 5, 2, 2, 3, 2), (2, 4, 4, 4, 5, 1, 1, 0), (2, 2, 5, 6, 3, 5, 1, 2),
        ] {
            let input = try Tensor.randomNormal([batch, channels, height, width], using: &generator)
            let weight = try Tensor.randomNormal([outputs, channels, kernel, kernel], using: &generator)
            let bias = try Tensor.randomNormal([outputs], using: &generator)
            let result = try input.conv2d(weight, bias: bias, stride: stride, padding: padding)
            let expected = directConvolution(input, weight, bias, stride: stride, padding: padding)
            XCTAssertEqual(result.shape, expected.shape)
            for (a, b) in zip(result.scalars, expected.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        }
    }

    /// Central differences in Double of L = Σ out ⊙ R (R fixed random). conv2d is
    /// linear in each argument, so the difference quotient has no truncation error;
    /// what remains is the Float rounding of the forward pass, about
    /// √(outputs)·6e-8·|out|/h ≈ 1e-5 for these sizes with h = 1e-2. Tolerance 2e-3.
    func testGradientsMatchFiniteDifferences() throws {
        var generator = SeededGenerator(seed: 11)
        for (stride, padding) in [(1, 1), (2, 0), (2, 2)] {
            let input = try Tensor.randomNormal([2, 2, 5, 4], using: &generator)
            let weight = try Tensor.randomNormal([3, 2, 3, 2], using: &generator)
            let bias = try Tensor.randomNormal([3], using: &generator)
            let probe = try Tensor.randomNormal(try input.conv2d(weight, stride: stride, padding: padding).shape, using: &generator)
            let function: ([Tensor]) throws -> Tensor = { p in
                try (p[0].conv2d(p[1], bias: p[2], stride: stride, padding: padding) * probe).sum()
            }
            let (_, gradients) = try valueWithGradient(at: [input, weight, bias], of: function)
            for argument in 0..<3 {
                let numeric = try spatialFiniteDifference([input, weight, bias], argument: argument, probe: probe) { p in
                    try p[0].conv2d(p[1], bias: p[2], stride: stride, padding: padding)
                }
                XCTAssertEqual(gradients[argument].shape, [input, weight, bias][argument].shape)
                for (a, b) in zip(gradients[argument].scalars, numeric) {
                    XCTAssertEqual(Double(a), b, accuracy: 2e-3, "argument \(argument), stride \(stride), padding \(padding)")
                }
            }
        }
    }

    func testLargeBatchIsChunkedConsistently() throws {
        // 40 images of 1×30×30 with a 3×3 kernel and 16 outputs: the im2col buffer is chunked;
        // every image must equal the same image convolved alone.
        var generator = SeededGenerator(seed: 3)
        let input = try Tensor.randomNormal([40, 4, 30, 30], using: &generator)
        let weight = try Tensor.randomNormal([2, 4, 3, 3], using: &generator)
        let all = try input.conv2d(weight, padding: 1)
        for image in [0, 17, 39] {
            let alone = try input.slice(alongAxis: 0, image..<(image + 1)).conv2d(weight, padding: 1)
            XCTAssertEqual(try all.slice(alongAxis: 0, image..<(image + 1)).scalars, alone.scalars)
        }
    }

    func testShapeErrorsNameTheShapes() throws {
        let input = try Tensor.zeros([2, 3, 5, 5])
        XCTAssertThrowsError(try input.conv2d(try Tensor.zeros([4, 2, 3, 3]))) { error in
            XCTAssertTrue("\(error)".contains("[2, 3, 5, 5]") && "\(error)".contains("[4, 2, 3, 3]"), "\(error)")
        }
        XCTAssertThrowsError(try Tensor.zeros([3, 5, 5]).conv2d(try Tensor.zeros([4, 3, 3, 3]))) { error in
            XCTAssertTrue("\(error)".contains("[3, 5, 5]"), "\(error)")
        }
        XCTAssertThrowsError(try input.conv2d(try Tensor.zeros([4, 3, 3, 3]), bias: try Tensor.zeros([3]))) { error in
            XCTAssertTrue("\(error)".contains("[3]") && "\(error)".contains("bias"), "\(error)")
        }
        XCTAssertThrowsError(try input.conv2d(try Tensor.zeros([4, 3, 7, 7]))) { error in
            XCTAssertTrue("\(error)".contains("7×7"), "\(error)")
        }
        XCTAssertThrowsError(try input.conv2d(try Tensor.zeros([4, 3, 3, 3]), stride: 0))
        XCTAssertThrowsError(try input.conv2d(try Tensor.zeros([4, 3, 3, 3]), padding: -1))
        XCTAssertThrowsError(try input.conv2d(try Tensor.zeros([4, 3, 3])))
    }

    private func directConvolution(_ input: Tensor, _ weight: Tensor, _ bias: Tensor, stride: Int, padding: Int) -> Tensor {
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (o, kh, kw) = (weight.shape[0], weight.shape[2], weight.shape[3])
        let oh = (h + 2 * padding - kh) / stride + 1, ow = (w + 2 * padding - kw) / stride + 1
        var out = [Float](repeating: 0, count: n * o * oh * ow)
        for b in 0..<n { for k in 0..<o { for y in 0..<oh { for x in 0..<ow {
            var total = Double(bias[k])
            for ch in 0..<c { for i in 0..<kh { for j in 0..<kw {
                let row = y * stride - padding + i, column = x * stride - padding + j
                if row >= 0 && row < h && column >= 0 && column < w { total += Double(input[b, ch, row, column]) * Double(weight[k, ch, i, j]) }
            } } }
            out[((b * o + k) * oh + y) * ow + x] = Float(total)
        } } } }
        return try! Tensor(shape: [n, o, oh, ow], scalars: out)
    }
}

/// Central difference (L(x + h·e) − L(x − h·e)) / 2h in Double, L = Σ f(x) ⊙ probe
/// summed in Double, for every element of `tensors[argument]`.
func spatialFiniteDifference(_ tensors: [Tensor], argument: Int, probe: Tensor, step: Float = 1e-2,
                              _ function: ([Tensor]) throws -> Tensor) throws -> [Double] {
    func value(_ arguments: [Tensor]) throws -> Double {
        let output = try function(arguments).scalars
        return zip(output, probe.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    var result: [Double] = []
    for index in 0..<tensors[argument].count {
        var plus = tensors, minus = tensors
        plus[argument].withUnsafeMutableBufferPointer { $0[index] += step }
        minus[argument].withUnsafeMutableBufferPointer { $0[index] -= step }
        let h = Double(plus[argument].scalars[index]) - Double(minus[argument].scalars[index])
        result.append((try value(plus) - value(minus)) / h)
    }
    return result
}
