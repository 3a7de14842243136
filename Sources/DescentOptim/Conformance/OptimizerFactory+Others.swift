import DescentTensor

extension OptimizerFactory {
    /// Optax, schedule-free, Prodigy and D-Adaptation optimizers (`nil` for an unknown name).
    static func makeOthers(name: String, parameters p: inout ReferenceParameters,
                           schedule: ScheduledRate?) throws -> (any ParameterOptimizer)? {
        switch name.lowercased() {
        default:
            return nil
        }
    }
}
