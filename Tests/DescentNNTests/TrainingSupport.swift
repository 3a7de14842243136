import DescentTensor
import DescentData
import DescentNN

/// SGD with heavy-ball momentum as PyTorch's `torch.optim.SGD`: v ← μ·v + g; θ ← θ − lr·v.
/// (Written here so these tests exercise only DescentNN's gradients, not an optimizer library.)
final class MomentumSGD {
    let learningRate: Float
    let momentum: Float
    private var velocities: [String: Tensor] = [:]

    init(learningRate: Float, momentum: Float = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    func update(_ model: some Module, along gradients: [String: Tensor]) throws {
        for (name, parameter) in model.trainableParameters {
            guard let gradient = gradients[name] else { continue }
            let velocity = try velocities[name].map { try $0 * momentum + gradient } ?? gradient
            velocities[name] = velocity
            parameter.value = try parameter.value - velocity * learningRate
        }
    }
}

/// Trains `model` for `epochs` over shuffled minibatches of `data` (a new seeded
/// order each epoch); `prepare` maps a batch's features to the model's input.
func train<M: Module>(_ model: M, on data: Dataset, epochs: Int, batchSize: Int, optimizer: MomentumSGD, seed: UInt64,
                      prepare: (Tensor) throws -> Tensor = { $0 },
                      loss: (_ output: Tensor, _ batch: MiniBatch) throws -> Tensor) throws {
    var generator = SeededGenerator(seed: seed)
    model.train()
    for _ in 0..<epochs {
        for batch in try MiniBatches(dataset: data, batchSize: batchSize, generator: &generator) {
            let inputs = try prepare(batch.features)
            let (_, gradients) = try valueWithGradient(at: model) { model in try loss(model(inputs), batch) }
            try optimizer.update(model, along: gradients)
        }
    }
    model.eval()
}
