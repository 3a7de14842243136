import DescentTensor
import Foundation

/// Chooses a trial's parameters from the study's history. Samplers are seeded and stateless:
/// the draw for trial `number` depends only on the seed, the number and the finished trials, so
/// every worker on every machine samples the same way (Optuna keeps the random state in the
/// sampler object, which differs per process; here the state is the trial number).
///
/// ```swift
/// let sampler = RandomSampler(seed: 7)
/// sampler.sample(space, history: [], number: 0, direction: .minimize)   // ["learning_rate": .float(0.0031…)]
/// ```
public protocol Sampler: Sendable {
    /// The parameters for trial `number`, given the study's other trials (any state).
    func sample(_ space: SearchSpace, history: [TrialRecord], number: Int, direction: StudyDirection) -> [String: ParameterValue]
}

extension Sampler {
    /// A generator for trial `number` of a sampler seeded with `seed` (SplitMix-style mixing).
    static func generator(seed: UInt64, number: Int, salt: UInt64 = 0) -> SeededGenerator {
        SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ (UInt64(truncatingIfNeeded: number) &+ 1) &* 0xBF58_476D_1CE4_E5B9 ^ salt)
    }
}

/// Independent uniform draws — log-uniform for log parameters (Optuna's `RandomSampler`):
///
///     float:        low + u (high − low)          log:  exp(ln low + u (ln high − ln low))
///     int:          uniform over {low, …, high}   log:  round(exp(uniform in [ln(low − ½), ln(high + ½)]))
///     choice:       each of k choices with probability 1/k
///
/// Example: with u = 0.5, `loguniform(1e-5, 1)` gives exp((ln 1e-5 + ln 1)/2) = 10^-2.5 ≈ 0.00316.
public struct RandomSampler: Sampler {
    public var seed: UInt64
    public init(seed: UInt64 = 0) { self.seed = seed }

    public func sample(_ space: SearchSpace, history: [TrialRecord], number: Int, direction: StudyDirection) -> [String: ParameterValue] {
        var generator = Self.generator(seed: seed, number: number)
        var result: [String: ParameterValue] = [:]
        for parameter in space.parameters {
            result[parameter.name] = Self.draw(parameter.distribution, using: &generator)
        }
        return result
    }

    /// One uniform draw from `distribution`.
    static func draw(_ distribution: ParameterDistribution, using generator: inout SeededGenerator) -> ParameterValue {
        let u = generator.nextUniform()
        switch distribution {
        case let .float(low, high, log):
            if log { return distribution.externalValue(Foundation.exp(Foundation.log(low) + u * (Foundation.log(high) - Foundation.log(low)))) }
            return distribution.externalValue(low + u * (high - low))
        case let .int(low, high, log):
            if log {
                let a = Foundation.log(Double(low) - 0.5), b = Foundation.log(Double(high) + 0.5)
                return distribution.externalValue(Foundation.exp(a + u * (b - a)))
            }
            return .int(low + Int(Swift.min(u * Double(high - low + 1), Double(high - low))))
        case let .categorical(choices):
            return .choice(choices[Swift.min(Int(u * Double(choices.count)), choices.count - 1)])
        }
    }
}
