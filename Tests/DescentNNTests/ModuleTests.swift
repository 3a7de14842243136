import XCTest
import DescentTensor
import DescentNN

/// A user-defined model: discovery by reflection of properties, arrays and optionals.
private final class Tower: Module {
    var isTraining = true
    let stem: Linear
    let blocks: [any Module]
    let head: Sequential
    let scale = Parameter(Tensor([2]))
    let offset: Parameter? = nil
    let notAMember = 3

    init(using generator: inout SeededGenerator) throws {
        stem = try Linear(4, 6, using: &generator)
        blocks = [try Residual { try Linear(6, 6, using: &generator); Tanh() }, try Dropout(probability: 0.5, using: &generator)]
        head = try Sequential {
            try BatchNorm1D(6)
            try Linear(6, 3, bias: false, using: &generator)
        }
    }

    func callAsFunction(_ input: Tensor) throws -> Tensor {
        var x = try stem(input).relu()
        for block in blocks { x = try block(x) }
        return try head(x) * scale.value
    }
}

final class ModuleTests: XCTestCase {
    func testNestedNamesFollowPyTorch() throws {
        var generator = SeededGenerator(seed: 1)
        let model = try Tower(using: &generator)
        // A module's own parameters come before its children's, as PyTorch's named_parameters().
        XCTAssertEqual(model.namedParameters.map(\.name), [
            "scale", "stem.weight", "stem.bias", "blocks.0.block.0.weight", "blocks.0.block.0.bias",
            "head.0.weight", "head.0.bias", "head.1.weight",
        ])
        XCTAssertEqual(model.namedBuffers.map(\.name), ["head.0.running_mean", "head.0.running_var", "head.0.num_batches_tracked"])
        XCTAssertEqual(model.namedState.count, 11)
        XCTAssertEqual(model.namedModules.map(\.name), ["", "stem", "blocks.0", "blocks.0.block", "blocks.0.block.0",
                                                         "blocks.0.block.1", "blocks.1", "head", "head.0", "head.1"])
        XCTAssertEqual(model.namedParameters.first { $0.name == "stem.weight" }?.value.shape, [6, 4])
        XCTAssertEqual(model.parameterCount, 24 + 6 + 36 + 6 + 6 + 6 + 18 + 1)
        XCTAssertTrue(model.parameter(named: "head.1.weight") === model.head.layers[1].namedMembers.first.map { member -> Parameter? in
            if case .parameter(let p) = member.member { return p } else { return nil }
        } ?? nil)
    }

    func testSharedParametersAreListedOnce() throws {
        var generator = SeededGenerator(seed: 2)
        let layer = try Linear(3, 3, using: &generator)
        let model = Sequential([layer, ReLU(), layer])
        XCTAssertEqual(model.namedParameters.map(\.name), ["0.weight", "0.bias"])
        let input = try Tensor.randomNormal([2, 3], using: &generator)
        // The gradient of a tied weight is the sum over both uses: check one entry by finite differences.
        let (_, gradients) = try valueWithGradient(at: model) { try $0(input).sum() }
        let step: Float = 1e-2
        let original = layer.weight.value
        func loss(_ delta: Float) throws -> Double {
            var changed = original
            changed.withUnsafeMutableBufferPointer { $0[4] += delta }
            layer.weight.value = changed
            return Double(try model(input).sum().item)
        }
        let numeric = (try loss(step) - loss(-step)) / Double(2 * step)
        layer.weight.value = original
        XCTAssertEqual(Double(gradients["0.weight"]!.scalars[4]), numeric, accuracy: 1e-3)
    }

    func testTrainEvalAndFreezePropagate() throws {
        var generator = SeededGenerator(seed: 3)
        let model = try Tower(using: &generator)
        model.eval()
        XCTAssertTrue(model.namedModules.allSatisfy { !$0.module.isTraining })
        model.train()
        XCTAssertTrue(model.namedModules.allSatisfy { $0.module.isTraining })
        model.head.freeze()
        XCTAssertEqual(model.namedParameters.map(\.name), ["scale", "stem.weight", "stem.bias", "blocks.0.block.0.weight", "blocks.0.block.0.bias"])
        XCTAssertEqual(model.allParameters.count, 8)
        let input = try Tensor.randomNormal([5, 4], using: &generator)
        let (_, gradients) = try valueWithGradient(at: model) { try $0(input).squared().mean() }
        XCTAssertEqual(Set(gradients.keys), ["stem.weight", "stem.bias", "blocks.0.block.0.weight", "blocks.0.block.0.bias", "scale"])
        XCTAssertFalse(model.head.layers[1].namedMembers.isEmpty)
        model.unfreeze()
        XCTAssertEqual(model.namedParameters.count, 8)
    }

    func testValueWithGradientMatchesFiniteDifferencesAndRestoresParameters() throws {
        var generator = SeededGenerator(seed: 4)
        let model = try Sequential {
            try Linear(3, 5, using: &generator)
            GELU()
            try LayerNorm([5])
            try Linear(5, 2, using: &generator)
        }
        let input = try Tensor.randomNormal([4, 3], using: &generator)
        let labels = [0, 1, 1, 0]
        let (value, gradients) = try valueWithGradient(at: model) { try crossEntropy($0(input), labels) }
        XCTAssertTrue(model.namedParameters.allSatisfy { !$0.value.isTracked })
        XCTAssertEqual(value.item, try crossEntropy(model(input), labels).item)
        // Central differences in Double; the loss is smooth, h = 1e-2 gives truncation ≈ h²·|f'''| ≈ 1e-4.
        for (name, parameter) in model.trainableParameters {
            let original = parameter.value
            for index in [0, original.count - 1] {
                func loss(_ delta: Float) throws -> Double {
                    var changed = original
                    changed.withUnsafeMutableBufferPointer { $0[index] += delta }
                    parameter.value = changed
                    return Double(try crossEntropy(model(input), labels).item)
                }
                let numeric = (try loss(1e-2) - loss(-1e-2)) / 2e-2
                parameter.value = original
                XCTAssertEqual(Double(gradients[name]!.scalars[index]), numeric, accuracy: 2e-3, "\(name)[\(index)]")
            }
        }
    }

    func testParametersAreRestoredWhenTheLossThrows() throws {
        var generator = SeededGenerator(seed: 5)
        let model = try Linear(2, 2, using: &generator)
        let before = model.weight.value.scalars
        XCTAssertThrowsError(try valueWithGradient(at: model) { try $0(Tensor.zeros([1, 3])).sum() }) { error in
            XCTAssertTrue("\(error)".contains("[1, 3]"), "\(error)")
        }
        XCTAssertFalse(model.weight.value.isTracked)
        XCTAssertEqual(model.weight.value.scalars, before)
    }

    func testLoadMatchesByNameAndReportsProblems() throws {
        var generator = SeededGenerator(seed: 6)
        let source = try Tower(using: &generator)
        let target = try Tower(using: &generator)
        XCTAssertNotEqual(source.stem.weight.value.scalars, target.stem.weight.value.scalars)
        try target.load(parameters: source.stateDictionary)
        for ((name, a), (_, b)) in zip(source.namedState, target.namedState) { XCTAssertEqual(a.scalars, b.scalars, name) }

        var state = source.stateDictionary
        state["stem.bias"] = nil
        state["extra.weight"] = try Tensor.zeros([1])
        state["head.1.weight"] = try Tensor.zeros([6, 3])
        let before = target.stem.weight.value.scalars
        XCTAssertThrowsError(try target.load(parameters: state)) { error in
            guard let error = error as? StateLoadError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.missing, ["stem.bias"])
            XCTAssertEqual(error.unexpected, ["extra.weight"])
            XCTAssertEqual(error.shapeMismatches, [.init(name: "head.1.weight", expected: [3, 6], found: [6, 3])])
            XCTAssertTrue("\(error)".contains("head.1.weight expects [3, 6], got [6, 3]"), "\(error)")
        }
        XCTAssertEqual(target.stem.weight.value.scalars, before, "nothing changes when loading fails")
        state["head.1.weight"] = source.head.layers[1].namedMembers.compactMap { member -> Tensor? in
            if case .parameter(let p) = member.member { return p.value } else { return nil }
        }.first
        let report = try target.load(parameters: state, strict: false)
        XCTAssertEqual(report, StateLoadReport(missing: ["stem.bias"], unexpected: ["extra.weight"]))
    }

    func testInitialisationBoundsAndStatistics() throws {
        var generator = SeededGenerator(seed: 7)
        let linear = try Linear(100, 400, using: &generator)
        let bound: Float = 0.1
        XCTAssertLessThanOrEqual(linear.weight.value.abs().max().item, bound)
        XCTAssertGreaterThan(linear.weight.value.abs().max().item, 0.99 * bound)
        XCTAssertLessThanOrEqual(linear.bias!.value.abs().max().item, bound)
        // U(−b, b) has variance b²/3; 40 000 draws estimate it to about 1%.
        let variance = Double(linear.weight.value.squared().mean().item)
        XCTAssertEqual(variance, Double(bound * bound) / 3, accuracy: 0.03 * Double(bound * bound) / 3)
        let kaiming = try Linear(100, 400, weightInitialization: .kaimingNormal(), using: &generator)
        XCTAssertEqual(Double(kaiming.weight.value.squared().mean().item), 2.0 / 100, accuracy: 0.03 * 2 / 100)
        let xavier = try Linear(100, 400, weightInitialization: .xavierUniform(), using: &generator)
        let xavierBound = (6.0 / 500).squareRoot()
        XCTAssertLessThanOrEqual(Double(xavier.weight.value.abs().max().item), xavierBound)
        XCTAssertEqual(Double(xavier.weight.value.squared().mean().item), xavierBound * xavierBound / 3, accuracy: 0.03 * xavierBound * xavierBound / 3)
        let conv = try Conv2D(2, 3, kernelSize: 5, using: &generator)
        XCTAssertLessThanOrEqual(conv.weight.value.abs().max().item, 1 / Float(50).squareRoot())
        XCTAssertEqual(try WeightInitialization.zeros.makeTensor([2], fanIn: 1, fanOut: 1, using: &generator).scalars, [0, 0])
        // Same seed, same model.
        var first = SeededGenerator(seed: 42), second = SeededGenerator(seed: 42)
        XCTAssertEqual(try Linear(3, 2, using: &first).weight.value.scalars, try Linear(3, 2, using: &second).weight.value.scalars)
        XCTAssertThrowsError(try Linear(0, 2, using: &generator))
    }

    func testDropoutScalesInTrainingAndIsIdentityInEvaluation() throws {
        var generator = SeededGenerator(seed: 8)
        let dropout = try Dropout(probability: 0.25, using: &generator)
        let input = try Tensor.ones([10_000])
        let output = try dropout(input)
        let kept = output.scalars.filter { $0 != 0 }
        XCTAssertTrue(kept.allSatisfy { Swift.abs($0 - 4 / 3) < 1e-6 })
        // Binomial(10 000, 0.75): standard deviation ≈ 43.
        XCTAssertEqual(Double(kept.count), 7500, accuracy: 200)
        dropout.eval()
        XCTAssertEqual(try dropout(input).scalars, input.scalars)
        XCTAssertThrowsError(try Dropout(probability: 1.5, using: &generator))
        let (_, gradient) = try valueWithGradient(at: input) { x in dropout.train(); return try dropout(x).sum() }
        XCTAssertTrue(gradient.scalars.allSatisfy { $0 == 0 || Swift.abs($0 - 4 / 3) < 1e-6 })
    }

    func testEmbeddingFlattenResidualAndShapes() throws {
        var generator = SeededGenerator(seed: 9)
        let embedding = try Embedding(count: 5, dimension: 3, using: &generator)
        let indices = try Tensor(shape: [2, 2], scalars: [4, 0, 4, 1])
        let vectors = try embedding(indices)
        XCTAssertEqual(vectors.shape, [2, 2, 3])
        XCTAssertEqual(Array(vectors.scalars[0..<3]), Array(embedding.weight.value.scalars[12..<15]))
        let (_, gradients) = try valueWithGradient(at: embedding) { try $0(indices).sum() }
        XCTAssertEqual(gradients["weight"]!.scalars, [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2])
        XCTAssertThrowsError(try embedding(Tensor([5]))) { XCTAssertTrue("\($0)".contains("index 5.0"), "\($0)") }
        XCTAssertThrowsError(try embedding(Tensor([0.5])))

        XCTAssertEqual(try Flatten()(Tensor.zeros([4, 2, 3, 3])).shape, [4, 18])
        let residual = Residual(try Linear(3, 3, using: &generator))
        let input = try Tensor.randomNormal([2, 3], using: &generator)
        let inner = try Linear(3, 3, using: &generator)
        try inner.load(parameters: ["weight": (residual.block as! Linear).weight.value, "bias": (residual.block as! Linear).bias!.value])
        XCTAssertEqual(try residual(input).scalars, try (input + inner(input)).scalars)
        XCTAssertThrowsError(try Residual(try Linear(3, 2, using: &generator))(input)) { XCTAssertTrue("\($0)".contains("[2, 3]"), "\($0)") }
        XCTAssertThrowsError(try Linear(4, 2, using: &generator)(input)) {
            XCTAssertTrue("\($0)".contains("[2, 3]") && "\($0)".contains("4"), "\($0)")
        }
        // Linear on [batch, time, features].
        XCTAssertEqual(try Linear(3, 7, using: &generator)(Tensor.zeros([2, 5, 3])).shape, [2, 5, 7])
        XCTAssertThrowsError(try BatchNorm2D(3)(Tensor.zeros([2, 3, 4]))) { XCTAssertTrue("\($0)".contains("[2, 3, 4]"), "\($0)") }
        XCTAssertThrowsError(try LayerNorm([4])(Tensor.zeros([2, 3]))) { XCTAssertTrue("\($0)".contains("[2, 3]"), "\($0)") }
    }

    func testSequentialBuilderSupportsConditionsAndLoops() throws {
        var generator = SeededGenerator(seed: 10)
        let useDropout = false
        let model = try Sequential {
            for _ in 0..<3 {
                try Linear(4, 4, using: &generator)
                ReLU()
            }
            if useDropout { try Dropout(using: &generator) } else { Tanh() }
        }
        XCTAssertEqual(model.layers.count, 7)
        XCTAssertTrue(model.layers.last is Tanh)
        XCTAssertEqual(model.namedParameters.map(\.name), ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
    }
}
