import DescentData
import DescentNN
import DescentTensor

/// The gradient of a model's training loss on fixed rows as a function of all its trainable weights
/// flattened into one vector: what the Hessian-vector products of the stability ceiling and of sharpness
/// tracking difference. The model is put in evaluation mode (no dropout noise in the Hessian) until
/// `restore()`, which also puts the weights back as they were.
///
/// ```swift
/// let loss = try LossGradient(model: model, features: rows.features, targets: rows.targets, objective: Objective(for: rows))
/// defer { loss.restore() }
/// let g = try loss.gradient(loss.point)   // ∇L at the current weights, one value per weight
/// ```
final class LossGradient {
    private let parameters: [(name: String, parameter: Parameter)]
    private let saved: [Tensor]
    private let savedModes: [Bool]
    private let modules: [any Module]
    private let features: Tensor
    private let targets: Targets
    private let objective: Objective
    private let gradients: () throws -> [String: Tensor]
    /// The current weights, flattened in the order of `trainableParameters`.
    let point: [Double]
    /// The number of values of each parameter, in order.
    let counts: [Int]

    /// - Throws: `RangeTestError.invalidSetting` when the model has no trainable parameters.
    init<Model: Module>(model: Model, features: Tensor, targets: Targets, objective: Objective) throws {
        let parameters = model.trainableParameters
        guard !parameters.isEmpty, parameters.contains(where: { $0.parameter.value.count > 0 }) else {
            throw RangeTestError.invalidSetting(name: "model", message: "has no trainable parameters: there is no Hessian")
        }
        self.parameters = parameters
        saved = parameters.map(\.parameter.value)
        let named = model.namedModules
        modules = named.map(\.module)
        savedModes = named.map(\.module.isTraining)
        self.features = features
        self.targets = targets
        self.objective = objective
        gradients = {
            try valueWithGradient(at: model) { model in try objective.loss(model(features), targets) }.1
        }
        point = saved.flatMap { $0.scalars.map(Double.init) }
        counts = saved.map(\.count)
        model.eval()
    }

    /// ∇L at `weights` (the model is left at those weights until the next call or `restore()`).
    /// - Throws: `RangeTestError.invalidSetting` when a gradient has the wrong size; model errors.
    func gradient(_ weights: [Double]) throws -> [Double] {
        var offset = 0
        for ((_, parameter), value) in zip(parameters, saved) {
            let slice = weights[offset..<(offset + value.count)].map { Float($0) }
            parameter.value = try Tensor(shape: value.shape, scalars: slice)
            offset += value.count
        }
        let gradients = try gradients()
        return try parameters.flatMap { name, parameter -> [Double] in
            guard let gradient = gradients[name] else { return Array(repeating: 0, count: parameter.value.count) }
            guard gradient.count == parameter.value.count else {
                throw RangeTestError.invalidSetting(name: "gradient", message: "of \(name) has the wrong size")
            }
            return gradient.scalars.map(Double.init)
        }
    }

    /// Puts the weights and the modules' training modes back as they were.
    func restore() {
        for ((_, parameter), value) in zip(parameters, saved) { parameter.value = value }
        for (module, isTraining) in zip(modules, savedModes) { module.isTraining = isTraining }
    }
}
