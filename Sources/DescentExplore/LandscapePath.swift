import DescentOptim
import DescentTensor

/// The points an optimizer visits on a ``Landscape``, with the loss and the rate of each step.
///
/// The point is one parameter tensor of two Float32 values, named "point", moved by any
/// `Optimizer` of DescentOptim (its rule, schedule and controllers) along the exact gradient.
/// `x[k]`, `y[k]`, `losses[k]` are after k steps (k = 0 is the start); `learningRates[k]` is the
/// rate of step k + 1. A run stops early when the point or its gradient stops being finite
/// (the optimizer refuses a non-finite gradient), and then `stoppedAt` says at which step.
///
/// Example: plain gradient descent on the bowl at rate 0.25 halves the distance each step:
///
///     var optimizer = try Optimizer(SGD(), learningRate: 0.25)
///     let path = try LandscapePath(on: .bowl, from: (1, 1), steps: 2, optimizer: &optimizer)
///     path.x        // [1, 0.5, 0.25]
///     path.losses   // [2, 0.5, 0.125]
public struct LandscapePath: Sendable, Equatable {
    public var landscape: Landscape
    public var x: [Double]
    public var y: [Double]
    public var losses: [Double]
    public var learningRates: [Double]
    /// The steps asked for.
    public var stepsRequested: Int
    /// The step at which the run stopped because a value was no longer finite; nil when it ran to the end.
    public var stoppedAt: Int?

    public init<Rule: OptimizerRule>(on landscape: Landscape, from start: (x: Double, y: Double), steps: Int,
                                     optimizer: inout Optimizer<Rule>) throws {
        self.landscape = landscape
        self.stepsRequested = steps
        var parameters = ["point": Tensor([Float(start.x), Float(start.y)])]
        func current() -> (Double, Double) {
            let scalars = parameters["point"]!.scalars
            return (Double(scalars[0]), Double(scalars[1]))
        }
        var (px, py) = current()
        x = [px]
        y = [py]
        losses = [landscape.value(x: px, y: py)]
        learningRates = []
        stoppedAt = nil
        for step in 1...Swift.max(steps, 1) where steps > 0 {
            let gradient = landscape.gradient(x: px, y: py)
            let gradientValues = [Float(gradient.x), Float(gradient.y)]
            guard gradientValues.allSatisfy(\.isFinite) else { stoppedAt = step; break }
            learningRates.append(optimizer.currentLearningRate)
            do {
                try optimizer.update(&parameters, along: ["point": Tensor(gradientValues)])
            } catch OptimizerError.nonFiniteGradient {
                stoppedAt = step
                break
            }
            (px, py) = current()
            x.append(px)
            y.append(py)
            let loss = landscape.value(x: px, y: py)
            losses.append(loss)
            guard px.isFinite, py.isFinite, loss.isFinite else { stoppedAt = step; break }
        }
    }

    /// Number of steps taken.
    public var stepsTaken: Int { x.count - 1 }
}
