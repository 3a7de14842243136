import DescentNN
import DescentOptim
import DescentTensor

extension Module {
    /// Runs `body` on the model's trainable tensors by name, moved out of the model (which holds
    /// placeholders meanwhile) and put back after — also when `body` throws. With the tensors
    /// moved out, an optimizer is their only owner and writes them in place, without a copy.
    public func withTrainableTensorsTaken<Result>(_ body: (inout [String: Tensor]) throws -> Result) rethrows -> Result {
        try withTensorsTaken(of: trainableParameters, body)
    }
}

/// `withTrainableTensorsTaken` for parameters already listed (`model.trainableParameters`), so that a
/// training loop walks the module tree by reflection once per epoch, not at every step.
public func withTensorsTaken<Result>(of trainable: [(name: String, parameter: Parameter)],
                                     _ body: (inout [String: Tensor]) throws -> Result) rethrows -> Result {
    var parameters: [String: Tensor] = [:]
    parameters.reserveCapacity(trainable.count)
    for (name, parameter) in trainable {
        parameters[name] = parameter.value
        parameter.value = Tensor(0)
    }
    defer { for (name, parameter) in trainable { if let value = parameters[name] { parameter.value = value } } }
    return try body(&parameters)
}

extension Optimizer {
    /// One optimizer step on the model's trainable parameters, written in place.
    public mutating func update(_ model: some Module, along gradients: [String: Tensor]) throws {
        try model.withTrainableTensorsTaken { parameters in _ = try update(&parameters, along: gradients) }
    }

    /// One optimizer step on listed parameters (`model.trainableParameters`), written in place.
    public mutating func update(_ trainable: [(name: String, parameter: Parameter)], along gradients: [String: Tensor]) throws {
        try withTensorsTaken(of: trainable) { parameters in _ = try update(&parameters, along: gradients) }
    }
}
