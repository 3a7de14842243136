/// Training/evaluation mode and freezing, applied to a module and all its descendants.
///
/// ```swift
/// model.eval()            // dropout off, batch norm uses running statistics
/// model.train()           // back to training behaviour
/// model.freeze()          // no parameter of the model is trained
/// classifier.unfreeze()   // ... except the classifier's
/// ```
extension Module {
    /// Puts this module and every descendant in training mode (or evaluation mode when `false`).
    public func train(_ isTraining: Bool = true) {
        for (_, module) in namedModules { module.isTraining = isTraining }
    }

    /// Puts this module and every descendant in evaluation mode.
    public func eval() { train(false) }

    /// Freezes every parameter of this module and its descendants.
    public func freeze() {
        for (_, parameter) in allParameters { parameter.isFrozen = true }
    }

    /// Unfreezes every parameter of this module and its descendants.
    public func unfreeze() {
        for (_, parameter) in allParameters { parameter.isFrozen = false }
    }
}
