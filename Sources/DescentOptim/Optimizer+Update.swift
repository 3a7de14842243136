import CDescentOptimKernels
import DescentTensor

extension Optimizer {
    /// Takes one step (or accumulates one call) with the gradients of named parameters.
    ///
    /// Nothing is written — neither parameters nor state — when this throws.
    /// - Throws: `OptimizerError.unknownGradient` (a gradient for a name that is not a parameter),
    ///   `.shapeMismatch`, `.nonFiniteGradient(parameter:)` naming the first offending parameter
    ///   (in name order), `.evaluationMode` if the parameters are at a schedule-free evaluation point.
    @discardableResult
    public mutating func update(_ parameters: inout [String: Tensor], along gradients: [String: Tensor]) throws -> StepOutcome {
        let names = gradients.keys.sorted()
        for name in names {
            guard let parameter = parameters[name] else { throw OptimizerError.unknownGradient(parameter: name) }
            let gradient = gradients[name]!
            guard parameter.shape == gradient.shape else {
                throw OptimizerError.shapeMismatch(parameter: name, parameterShape: parameter.shape,
                                                   gradientShape: gradient.shape)
            }
        }
        // When the first clipping is by global norm and every call steps, the norm's pass over the
        // gradients is also the finite check (a sum of squares in double is finite iff every element is).
        var knownNorm: Double?
        if case .globalNorm? = clipping.first, accumulationSteps == 1 {
            var total = 0.0
            for name in names {
                let squares = GradientClipping.sumOfSquares(gradients[name]!)
                if checksFiniteGradients && !squares.isFinite { throw OptimizerError.nonFiniteGradient(parameter: name) }
                total += squares
            }
            knownNorm = total.squareRoot()
        } else if checksFiniteGradients {
            for name in names where !Optimizer.isFinite(gradients[name]!) {
                throw OptimizerError.nonFiniteGradient(parameter: name)
            }
        }
        guard !isEvaluating else { throw OptimizerError.evaluationMode }

        var gradients = gradients
        if accumulationSteps > 1 {
            for name in names {
                if let sum = accumulated[name] { accumulated[name] = try sum + gradients[name]! }
                else { accumulated[name] = gradients[name]! }
            }
            accumulatedCalls += 1
            if accumulatedCalls < accumulationSteps {
                return .accumulated(calls: accumulatedCalls, of: accumulationSteps)
            }
            let divisor = Float(accumulationSteps)
            gradients = accumulated.mapValues { $0 / divisor }
            accumulated = [:]
            accumulatedCalls = 0
        }
        if maximize { gradients = gradients.mapValues { $0 * -1 } }
        for (index, limit) in clipping.enumerated() {
            limit.apply(to: &gradients, knownNorm: index == 0 ? knownNorm : nil)
        }
        takeStep(&parameters, gradients: gradients, names: gradients.keys.sorted())
        return .applied(step: step)
    }

    mutating func takeStep(_ parameters: inout [String: Tensor], gradients: [String: Tensor], names: [String]) {
        let stepNumber = step + 1
        for pass in 0..<rule.globalPassCount(atStep: stepNumber) {
            var totals: [Double] = []
            for name in names {
                let parameter = parameters[name]!
                var state = states.removeValue(forKey: name) ?? rule.makeState(for: parameter)
                let values = rule.accumulate(pass: pass, parameter, gradient: gradients[name]!, state: &state, shared: shared,
                                             context: context(for: name, step: stepNumber))
                states[name] = state
                if totals.isEmpty { totals = values } else {
                    for index in values.indices { totals[index] += values[index] }
                }
            }
            let globalContext = UpdateContext(learningRate: rate(group: nil, at: step), step: stepNumber,
                                              weightDecay: weightDecay, momentum: scheduledMomentum(group: nil, at: step))
            rule.finishGlobalPass(pass: pass, shared: &shared, totals: totals, context: globalContext)
        }
        for name in names {
            var parameter = parameters.removeValue(forKey: name)!
            var state = states.removeValue(forKey: name) ?? rule.makeState(for: parameter)
            rule.update(&parameter, gradient: gradients[name]!, state: &state, shared: shared,
                        context: context(for: name, step: stepNumber))
            states[name] = state
            parameters[name] = parameter
        }
        step = stepNumber
    }

    /// Every element finite: one parallel pass, or none when the gradient's producer (a backward
    /// pass) or an earlier step already checked this value (`Tensor.isFinite` remembers it).
    static func isFinite(_ tensor: Tensor) -> Bool { tensor.isFinite }

    /// Moves schedule-free parameters to their evaluation point (`true`) or back to the training point.
    ///
    /// Rules without a separate evaluation point leave the parameters unchanged. Calling it twice
    /// with the same value does nothing the second time.
    public mutating func setEvaluationMode(_ evaluating: Bool, parameters: inout [String: Tensor]) {
        guard evaluating != isEvaluating else { return }
        for name in parameters.keys.sorted() {
            guard let state = states[name] else { continue }
            var parameter = parameters.removeValue(forKey: name)!
            rule.switchMode(&parameter, toEvaluation: evaluating, state: state, shared: shared)
            parameters[name] = parameter
        }
        isEvaluating = evaluating
    }
}
