import XCTest
import DescentTensor
import DescentNN

/// Layers with PyTorch's parameters loaded give PyTorch's outputs, gradients and
/// running statistics (Fixtures/layers.json, scripts/generate_nn_fixtures.py).
final class LayerFixtureTests: XCTestCase {
    struct ConvolutionFixture: Decodable {
        let stride: Int, padding: Int
        let input: FixtureTensor, weight: FixtureTensor, bias: FixtureTensor, probe: FixtureTensor, output: FixtureTensor
        let inputGradient: FixtureTensor, weightGradient: FixtureTensor, biasGradient: FixtureTensor
    }
    struct PoolingCase: Decodable { let probe: FixtureTensor, output: FixtureTensor, inputGradient: FixtureTensor }
    struct PoolingFixture: Decodable { let input: FixtureTensor; let cases: [String: PoolingCase] }
    struct LayerNormFixture: Decodable {
        let input: FixtureTensor, weight: FixtureTensor, bias: FixtureTensor, probe: FixtureTensor, output: FixtureTensor
        let inputGradient: FixtureTensor, weightGradient: FixtureTensor, biasGradient: FixtureTensor
    }
    struct BatchNorm2DFixture: Decodable {
        let weight: FixtureTensor, bias: FixtureTensor, first: FixtureTensor, second: FixtureTensor, evaluation: FixtureTensor
        let probe: FixtureTensor, firstOutput: FixtureTensor, firstInputGradient: FixtureTensor
        let weightGradient: FixtureTensor, biasGradient: FixtureTensor
        let secondOutput: FixtureTensor, evaluationOutput: FixtureTensor, runningMean: FixtureTensor, runningVariance: FixtureTensor
    }
    struct BatchNorm1DFixture: Decodable {
        let input: FixtureTensor, output: FixtureTensor, runningMean: FixtureTensor, runningVariance: FixtureTensor
    }
    struct File: Decodable {
        let conv2d: ConvolutionFixture
        let pooling: PoolingFixture
        let layerNorm: LayerNormFixture
        let batchNorm2d: BatchNorm2DFixture
        let batchNorm1d: BatchNorm1DFixture
        let activations: [String: FixtureTensor]
        let sequentialStateNames: [String]
    }

    private var fixture: File!
    override func setUpWithError() throws { fixture = try loadFixture("layers", as: File.self) }

    func testConv2DLayerMatchesPyTorch() throws {
        let reference = fixture.conv2d
        var generator = SeededGenerator(seed: 0)
        let conv = try Conv2D(3, 4, kernelSize: 3, stride: reference.stride, padding: reference.padding, using: &generator)
        try conv.load(parameters: ["weight": reference.weight.tensor, "bias": reference.bias.tensor])
        let input = reference.input.tensor
        assertClose(try conv(input), reference.output, absolute: 1e-5, relative: 1e-5, "conv2d output")
        let (_, gradients) = try valueWithGradient(at: conv) { try ($0(input) * reference.probe.tensor).sum() }
        assertClose(gradients["weight"]!, reference.weightGradient, absolute: 2e-5, relative: 1e-5, "weight gradient")
        assertClose(gradients["bias"]!, reference.biasGradient, absolute: 2e-5, relative: 1e-5, "bias gradient")
        let (_, inputGradient) = try valueWithGradient(at: input) { try (conv($0) * reference.probe.tensor).sum() }
        assertClose(inputGradient, reference.inputGradient, absolute: 1e-5, relative: 1e-5, "input gradient")
    }

    func testPoolingMatchesPyTorch() throws {
        let input = fixture.pooling.input.tensor
        let layers: [String: any Module] = [
            "max k3 s2 p1": MaxPool2D(kernelSize: 3, stride: 2, padding: 1),
            "avg k3 s2 p1": AvgPool2D(kernelSize: 3, stride: 2, padding: 1),
            "avg k3 s2 p1 exclude pad": AvgPool2D(kernelSize: 3, stride: 2, padding: 1, countingPadding: false),
            "max k2": MaxPool2D(kernelSize: 2),
            "avg k2 s1": AvgPool2D(kernelSize: 2, stride: 1),
        ]
        XCTAssertEqual(Set(layers.keys), Set(fixture.pooling.cases.keys))
        for (name, reference) in fixture.pooling.cases {
            let layer = try XCTUnwrap(layers[name])
            assertClose(try layer(input), reference.output, name)
            let (_, gradient) = try valueWithGradient(at: input) { try (layer($0) * reference.probe.tensor).sum() }
            assertClose(gradient, reference.inputGradient, name + " gradient")
        }
    }

    func testLayerNormMatchesPyTorch() throws {
        let reference = fixture.layerNorm
        let norm = try LayerNorm([2, 4])
        try norm.load(parameters: ["weight": reference.weight.tensor, "bias": reference.bias.tensor])
        let input = reference.input.tensor
        assertClose(try norm(input), reference.output, "layer norm output")
        let (_, gradients) = try valueWithGradient(at: norm) { try ($0(input) * reference.probe.tensor).sum() }
        assertClose(gradients["weight"]!, reference.weightGradient, "weight gradient")
        assertClose(gradients["bias"]!, reference.biasGradient, "bias gradient")
        let (_, inputGradient) = try valueWithGradient(at: input) { try (norm($0) * reference.probe.tensor).sum() }
        assertClose(inputGradient, reference.inputGradient, absolute: 2e-5, relative: 1e-5, "input gradient")
    }

    func testBatchNorm2DMatchesPyTorchInTrainingAndEvaluation() throws {
        let reference = fixture.batchNorm2d
        let norm = try BatchNorm2D(3)
        try norm.load(parameters: ["weight": reference.weight.tensor, "bias": reference.bias.tensor,
                                   "running_mean": try Tensor.zeros([3]), "running_var": try Tensor.ones([3]),
                                   "num_batches_tracked": Tensor(0)])
        // One training step whose input is a parameter too, so one pass gives every gradient.
        let step = InputAsParameter(reference.first.tensor, norm)
        var firstOutput = Tensor(0)
        let (_, gradients) = try valueWithGradient(at: step) { step in
            firstOutput = try step(Tensor(0))
            return try (firstOutput * reference.probe.tensor).sum()
        }
        assertClose(firstOutput, reference.firstOutput, "first output")
        assertClose(gradients["layer.weight"]!, reference.weightGradient, absolute: 2e-5, relative: 1e-5, "weight gradient")
        assertClose(gradients["layer.bias"]!, reference.biasGradient, absolute: 2e-5, relative: 1e-5, "bias gradient")
        assertClose(gradients["input"]!, reference.firstInputGradient, absolute: 2e-5, relative: 1e-5, "input gradient")
        assertClose(try norm(reference.second.tensor), reference.secondOutput, "second output")
        assertClose(norm.runningMean.value, reference.runningMean, "running mean")
        assertClose(norm.runningVariance.value, reference.runningVariance, "running variance")
        XCTAssertEqual(norm.batchesTracked.value.item, 2)
        norm.eval()
        assertClose(try norm(reference.evaluation.tensor), reference.evaluationOutput, "evaluation output")
        XCTAssertEqual(norm.batchesTracked.value.item, 2, "evaluation does not count batches")
    }

    func testBatchNorm1DMatchesPyTorch() throws {
        let reference = fixture.batchNorm1d
        let norm = try BatchNorm1D(5)
        assertClose(try norm(reference.input.tensor), reference.output, "output")
        assertClose(norm.runningMean.value, reference.runningMean, "running mean")
        assertClose(norm.runningVariance.value, reference.runningVariance, "running variance")
    }

    func testActivationLayersMatchPyTorch() throws {
        let input = try XCTUnwrap(fixture.activations["input"]).tensor
        let layers: [String: any Module] = ["relu": ReLU(), "leakyRelu0.1": LeakyReLU(negativeSlope: 0.1), "gelu": GELU(),
                                            "tanh": Tanh(), "sigmoid": Sigmoid(), "softplus": Softplus()]
        for (name, layer) in layers {
            assertClose(try layer(input), try XCTUnwrap(fixture.activations[name]), name)
        }
    }

    func testStateNamesMatchPyTorchSequential() throws {
        var generator = SeededGenerator(seed: 0)
        let model = try Sequential {
            try Linear(4, 8, using: &generator)
            ReLU()
            try BatchNorm1D(8)
            try Linear(8, 3, using: &generator)
        }
        XCTAssertEqual(model.namedState.map(\.name), fixture.sequentialStateNames)
    }
}

/// Applies `layer` to a stored input that is itself a trainable parameter, so that
/// `valueWithGradient(at:)` returns the input gradient next to the layer's.
final class InputAsParameter: Module {
    var isTraining = true
    let input: Parameter
    let layer: any Module
    init(_ input: Tensor, _ layer: any Module) {
        self.input = Parameter(input)
        self.layer = layer
    }
    func callAsFunction(_ ignored: Tensor) throws -> Tensor { try layer(input.value) }
}
