// `LearningRateRangeTest`; the file is named …Tester because tools take a `*Test.swift` file for a test.
import DescentData
import DescentNN
import DescentOptim
import DescentSchedules
import DescentTensor
import Foundation

/// The learning-rate range test ("LR finder"): train for a few iterations while the rate
/// grows exponentially, watch where the loss falls fastest and where it blows up, suggest
/// a rate and say how sure the suggestion is.
///
/// Iteration i (0-based) takes one optimizer step on the next minibatch at
///
///     rate_i = start · (end / start)^(i / iterations)          (fastai's SchedExp)
///
/// recording the loss of that minibatch before the step, smoothed by the debiased moving
/// average of `SmoothedLoss` (β = 0.98). The test stops after `iterations` steps, or as soon
/// as the smoothed loss exceeds `divergenceThreshold` (4) × its lowest value so far or is
/// not finite. Minibatches are drawn without replacement and the data set is cycled with a
/// fresh shuffle (seed + pass) when it runs out, as fastai's training loop does; a final
/// partial batch is dropped (fastai's training loader drops it too) unless the data set is
/// smaller than one batch.
///
/// Nothing is lost: the model's parameters, buffers and train/eval modes are put back
/// exactly as they were, and the optimizer passed in is never modified (the test steps a
/// copy in which the swept rate replaces schedule, controllers, group rates and group
/// schedules, and gradient accumulation is off). Train with `optimizer` afterwards and it
/// is as if the test never ran.
///
/// This is the test of L. N. Smith, "Cyclical Learning Rates for Training Neural Networks"
/// (arXiv:1506.01186, 2015; WACV 2017), section 3.3, in the exponential form of fastai's
/// `LRFinder` (Howard & Gugger 2020), whose suggestion rules `LearningRateSuggestions`
/// reproduces; `RangeTestConfidence` adds how far to trust them.
///
/// Worked example (the defaults: 1e-7 → 10 over 100 iterations, so the rate grows by
/// 10^(8/100) ≈ ×1.202 per step; rate_50 = 1e-7 · 1e4 = 1e-3):
///
/// ```swift
/// let data = try Datasets.load(named: "digits").split(validationFraction: 0.2, seed: 0).standardized().split.train
/// var generator = SeededGenerator(seed: 0)
/// let model = Sequential([try Linear(64, 32, using: &generator), ReLU(), try Linear(32, 10, using: &generator)])
/// let optimizer = try Optimizer(SGD(momentum: 0.9), learningRate: 0.01)   // its rate is ignored: the sweep sets it
/// let result = try LearningRateRangeTest().run(model, optimizer: optimizer, data: data)
/// result.iterationsRun           // 95: the smoothed loss passed 4 × its minimum at rate 3.3 (fastai's run: 95 too)
/// result.suggestions?.valley     // 0.0229 (fastai/PyTorch on the same network: 0.0076)
/// result.suggestions?.minimum    // 0.110  (fastai: 0.110)
/// result.suggestions?.steep      // 0.251  (fastai: 0.209)
/// result.confidence.level        // .medium: the four suggestions span 2.2 decades
/// ```
public struct LearningRateRangeTest: Codable, Sendable, Equatable {
    /// The rate of the first iteration (fastai's `start_lr`).
    public var startLearningRate: Double
    /// The rate the sweep reaches after `iterations` steps (fastai's `end_lr`; never used itself).
    public var endLearningRate: Double
    /// Number of steps (fastai's `num_it`); also fixes how many leading points the suggestions drop.
    public var iterations: Int
    /// Examples per minibatch.
    public var batchSize: Int
    /// Seed of the minibatch shuffling.
    public var seed: UInt64
    /// β of the smoothing (`SmoothedLoss`).
    public var smoothing: Double
    /// Stop when the smoothed loss exceeds this multiple of its minimum (nil: never stop early,
    /// fastai's `stop_div=False`).
    public var divergenceThreshold: Double?
    /// Iterations at the start during which a blow-up past the threshold does not stop the test (nil: 0,
    /// as fastai). Those points are dropped from the suggestions anyway; a heavy-tailed regression loss
    /// can jump above 4 × the first smoothed value on its second batch, before any rate was tried.
    public var divergenceGraceIterations: Int?
    /// When set (k), a blow-up must be confirmed before the test stops: besides the smoothed loss, the median of the
    /// last k raw losses must exceed `divergenceThreshold` × the minimum, and that minimum is taken over the
    /// iterations after `divergenceGraceIterations` only (nil: stop at the first crossing, measured against the
    /// minimum of every point, as fastai). One batch of a heavy-tailed loss moves the smoothed loss but not a median.
    ///
    /// Why: on nycflights (arr_delay, delays up to 1,272 minutes, batch 32) seed 2's sweep set its minimum on its
    /// second point (the average of two batches, 0.307) and one batch holding a 1,000-minute delay (raw loss 12.1,
    /// the batches around it 0.3–1.2) lifted the smoothed loss from 0.76 to 1.24 > 4 × 0.307 at rate 3e-4, a decade
    /// and a half before the loss really blew up (0.2–0.5 on seeds 0 and 1): the test stopped there, its edge was
    /// 4.8e-5 and the run trained at 2.75e-5 (R² 0.71 against 0.91–0.93). Unconfirmed crossings are kept in
    /// `RangeTestResult.unconfirmedBlowUps`. A real blow-up is confirmed within k / 2 steps (its raw losses all rise).
    public var divergenceConfirmation: Int?

    /// - Throws: `RangeTestError.invalidSetting` naming the first setting out of range.
    public init(startLearningRate: Double = 1e-7, endLearningRate: Double = 10, iterations: Int = 100,
                batchSize: Int = 32, seed: UInt64 = 0, smoothing: Double = 0.98, divergenceThreshold: Double? = 4) throws {
        self.startLearningRate = startLearningRate
        self.endLearningRate = endLearningRate
        self.iterations = iterations
        self.batchSize = batchSize
        self.seed = seed
        self.smoothing = smoothing
        self.divergenceThreshold = divergenceThreshold
        try validate()
    }

    /// Fewest iterations accepted: with fewer, dropping the first tenth and the last 5 points leaves almost nothing.
    public static let minimumIterations = 10
    /// The most iterations a test may take: a sweep of a million steps is already far past
    /// any range test in the literature (fastai's default is 100).
    public static let maximumIterations = 1_000_000

    /// Checks every setting, naming the one that is wrong.
    public func validate() throws {
        func fail(_ name: String, _ message: String) -> RangeTestError { .invalidSetting(name: name, message: message) }
        guard startLearningRate > 0, startLearningRate.isFinite else {
            throw fail("startLearningRate", "must be a positive number, got \(startLearningRate)")
        }
        guard endLearningRate.isFinite, endLearningRate > startLearningRate else {
            throw fail("endLearningRate", "must be greater than startLearningRate (\(startLearningRate)), got \(endLearningRate)")
        }
        guard (endLearningRate / startLearningRate).isFinite else {
            throw fail("endLearningRate", "spans more than a Double can hold from startLearningRate (\(startLearningRate)): end / start is infinite")
        }
        guard iterations >= Self.minimumIterations, iterations <= Self.maximumIterations else {
            throw fail("iterations", "must be between \(Self.minimumIterations) and \(Self.maximumIterations), got \(iterations)")
        }
        guard batchSize > 0 else { throw fail("batchSize", "must be positive, got \(batchSize)") }
        guard smoothing >= 0, smoothing < 1 else { throw fail("smoothing", "must be in [0, 1), got \(smoothing)") }
        if let threshold = divergenceThreshold, !(threshold > 1 && threshold.isFinite) {
            throw fail("divergenceThreshold", "must be finite and > 1, got \(threshold)")
        }
        if let confirmation = divergenceConfirmation, !(1...iterations).contains(confirmation) {
            throw fail("divergenceConfirmation", "must be between 1 and iterations (\(iterations)), got \(confirmation)")
        }
    }

    /// The rate of iteration `index`: start · (end/start)^(index/iterations).
    public func learningRate(at index: Int) -> Double {
        startLearningRate * Foundation.pow(endLearningRate / startLearningRate, Double(index) / Double(iterations))
    }

    /// The sweep as a schedule value, the rate of optimizer step `first + i` being `learningRate(at: i)`:
    /// start · (end/start)^(i/iterations) is `exponential(from: start, decay: end/start, every: iterations,
    /// begin: first)` (the same expression, so the same bits).
    public func schedule(beginningAt first: Int = 0) throws -> ExponentialSchedule {
        try ExponentialSchedule(from: startLearningRate, decay: endLearningRate / startLearningRate, every: iterations, begin: first)
    }

    /// The rates of all `iterations` steps.
    public var learningRates: [Double] { (0..<iterations).map(learningRate(at:)) }

    /// Runs the test on `model` with a copy of `optimizer`, on minibatches of `data`, and
    /// restores the model. The objective (cross-entropy or mean squared error) follows from `data`.
    /// - Parameters:
    ///   - stopRequest: checked before each iteration; once set the sweep ends there (the model is restored as
    ///     always) and the result holds the iterations run so far (`RangeTestResult.interrupted`).
    ///   - observe: called after each iteration with (index, rate, raw loss, smoothed loss).
    /// - Throws: `RangeTestError.invalidSetting` for bad settings or an empty data set; errors of
    ///   the model or the optimizer (shape mismatches). A non-finite gradient is not an error: it ends the test.
    public func run<Model: Module, Rule: OptimizerRule>(
        _ model: Model, optimizer: Optimizer<Rule>, data: Dataset, stopRequest: StopRequest? = nil,
        observe: (_ index: Int, _ learningRate: Double, _ loss: Double, _ smoothedLoss: Double) -> Void = { _, _, _, _ in }
    ) throws -> RangeTestResult {
        try validate()
        guard data.count > 0 else { throw RangeTestError.invalidSetting(name: "data", message: "is empty") }
        let objective = Objective(for: data)
        let savedState = model.stateDictionary
        let savedModes = model.namedModules.map(\.module.isTraining)
        defer {
            // Put back exactly what was there: the saved tensors share no storage with the ones trained.
            _ = try? model.load(parameters: savedState)
            for ((_, module), isTraining) in zip(model.namedModules, savedModes) { module.isTraining = isTraining }
        }
        var working = try sweepingCopy(of: optimizer)
        model.train()

        var rates: [Double] = [], rawLosses: [Double] = [], smoothedLosses: [Double] = []
        var smoothed = SmoothedLoss(beta: smoothing)
        var diverged = false
        var pass: UInt64 = 0
        var batches = try makeBatches(data, pass: pass)
        var position = 0
        var interrupted = false
        // The minimum the blow-up is measured against: every point (fastai), or with a confirmation only the points
        // after the grace (the first smoothed values average one or two batches).
        var floor: Double?
        var unconfirmed: [Double] = [], crossing = false
        for index in 0..<iterations {
            if stopRequest?.isRequested == true {
                interrupted = true
                break
            }
            if position == batches.count {
                pass += 1
                batches = try makeBatches(data, pass: pass)
                position = 0
            }
            let batch = batches.batch(at: position)
            position += 1
            let (loss, gradients) = try valueWithGradient(at: model) { model in
                try objective.loss(model(batch.features), batch.targets)
            }
            let value = Double(loss.item)
            // A loss that is not finite before any update says nothing about the rate: the data is at fault.
            if index == 0 && !value.isFinite { throw TrainingError.nonFiniteInitialLoss(loss: value) }
            let current = smoothed.add(value)
            rates.append(working.currentLearningRate)
            rawLosses.append(value)
            smoothedLosses.append(current)
            observe(index, rates[index], value, current)
            let checked = index >= (divergenceGraceIterations ?? 0)
            if divergenceConfirmation == nil {
                floor = smoothed.minimum
            } else if checked && current.isFinite {
                floor = Swift.min(floor ?? current, current)
            }
            if !current.isFinite {
                diverged = true
                break
            }
            if checked, let threshold = divergenceThreshold, let floor, current > threshold * floor {
                if let confirmation = divergenceConfirmation,
                   RangeTestConfidence.median(Array(rawLosses.suffix(confirmation))) <= threshold * floor {
                    // A spike: recorded once, at the first step of its crossing.
                    if !crossing { unconfirmed.append(rates[index]) }
                    crossing = true
                } else {
                    diverged = true
                    break
                }
            } else {
                crossing = false
            }
            do {
                try Self.step(model, &working, gradients)
            } catch OptimizerError.nonFiniteGradient {
                diverged = true
                break
            }
        }
        // Did any step move a weight? Rates far below the weights' Float32 spacing (1e-45) leave them as they were.
        let moved = model.trainableParameters.contains { name, parameter in
            guard let saved = savedState[name] else { return true }
            return !parameter.value.isEqual(to: saved)
        }
        var result = RangeTestResult(settings: self, learningRates: rates, rawLosses: rawLosses,
                                     smoothedLosses: smoothedLosses, diverged: diverged, parametersMoved: moved)
        if interrupted { result.interrupted = true }
        if divergenceConfirmation != nil { result.unconfirmedBlowUps = unconfirmed }
        return result
    }

    /// The optimizer the test steps: the caller's rule and state, with the sweep's exponential schedule
    /// (step first + i at `learningRate(at: i)`) for every parameter.
    func sweepingCopy<Rule: OptimizerRule>(of optimizer: Optimizer<Rule>) throws -> Optimizer<Rule> {
        var working = optimizer
        working.schedule = .schedule(try schedule(beginningAt: optimizer.step))
        working.controllers = []
        for index in working.groups.indices {
            working.groups[index].schedule = nil
            working.groups[index].learningRate = nil
        }
        try? working.setAccumulationSteps(1)
        return working
    }

    private func makeBatches(_ data: Dataset, pass: UInt64) throws -> MiniBatches {
        try MiniBatches(dataset: data, batchSize: batchSize, shuffle: true, dropLast: data.count >= batchSize,
                        seed: seed &+ pass)
    }

    /// One optimizer step on the model's trainable parameters, written in place.
    static func step<Model: Module, Rule: OptimizerRule>(_ model: Model, _ optimizer: inout Optimizer<Rule>,
                                                         _ gradients: [String: Tensor]) throws {
        try optimizer.update(model, along: gradients)
    }
}
