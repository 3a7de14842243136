import DescentConformance
import DescentFiles
import DescentOptim
import DescentSchedules
import DescentTensor
import XCTest

/// Groups, clipping, accumulation, maximize and the rate of each step, checked against closed forms with SGD.
final class WalkTests: XCTestCase {
    func testGroupsHaveTheirOwnRateAndWeightDecay() throws {
        // Plain SGD with L2 decay: θ ← θ − lr·(g + λθ).
        let groups = [ParameterGroup.noWeightDecayOnBiasesAndNorms,
                      ParameterGroup(name: "first", learningRate: 0.01) { $0.hasPrefix("layers.0.") }]
        var optimizer = try Optimizer(SGD(), learningRate: 0.1, weightDecay: 0.5, groups: groups)
        var parameters = ["layers.0.weight": Tensor([2]), "layers.1.weight": Tensor([2]),
                          "layers.1.bias": Tensor([2]), "norm.scale": Tensor([2])]
        let gradients = parameters.mapValues { _ in Tensor([1]) }
        try optimizer.update(&parameters, along: gradients)
        XCTAssertEqual(parameters["layers.0.weight"]!.item, 2 - 0.01 * (1 + 0.5 * 2), accuracy: 1e-6)
        XCTAssertEqual(parameters["layers.1.weight"]!.item, 2 - 0.1 * (1 + 0.5 * 2), accuracy: 1e-6)
        XCTAssertEqual(parameters["layers.1.bias"]!.item, 2 - 0.1 * 1, accuracy: 1e-6)
        XCTAssertEqual(parameters["norm.scale"]!.item, 2 - 0.1 * 1, accuracy: 1e-6)
        XCTAssertEqual(optimizer.learningRate(for: "layers.0.bias"), 0.1, "first matching group wins: no-decay group")
        XCTAssertEqual(optimizer.learningRate(for: "layers.0.weight"), 0.01)
    }

    func testClippingByGlobalNormAndByValue() throws {
        var optimizer = try Optimizer(SGD(), learningRate: 1, clipping: [.globalNorm(1)])
        var parameters = ["a": Tensor([0]), "b": Tensor([0])]
        try optimizer.update(&parameters, along: ["a": Tensor([3]), "b": Tensor([4])])
        XCTAssertEqual(parameters["a"]!.item, -0.6, accuracy: 1e-5)
        XCTAssertEqual(parameters["b"]!.item, -0.8, accuracy: 1e-5)
        // Below the limit nothing changes.
        try optimizer.update(&parameters, along: ["a": Tensor([0.3]), "b": Tensor([0.4])])
        XCTAssertEqual(parameters["a"]!.item, -0.9, accuracy: 1e-5)

        var byValue = try Optimizer(SGD(), learningRate: 1, clipping: [.value(1)])
        var values = ["w": Tensor([0, 0, 0])]
        try byValue.update(&values, along: ["w": Tensor([3, -0.5, -7])])
        XCTAssertEqual(values["w"]!.scalars, [-1, 0.5, 1])
        XCTAssertEqual(GradientClipping.globalNorm(of: ["a": Tensor([3]), "b": Tensor([4])]), 5, accuracy: 1e-12)
    }

    func testAccumulationAveragesKCallsIntoOneStep() throws {
        var accumulating = try Optimizer(Adam(), learningRate: 0.1, accumulationSteps: 3)
        var single = try Optimizer(Adam(), learningRate: 0.1)
        var a = ["w": Tensor([1, -1])], b = a
        XCTAssertEqual(try accumulating.update(&a, along: ["w": Tensor([0.3, 0.6])]), .accumulated(calls: 1, of: 3))
        XCTAssertEqual(try accumulating.update(&a, along: ["w": Tensor([0.6, -0.3])]), .accumulated(calls: 2, of: 3))
        XCTAssertEqual(a["w"]!.scalars, [1, -1], "no move while accumulating")
        XCTAssertEqual(try accumulating.update(&a, along: ["w": Tensor([0.0, 0.0])]), .applied(step: 1))
        try single.update(&b, along: ["w": Tensor([0.3, 0.1])])
        for (x, y) in zip(a["w"]!.scalars, b["w"]!.scalars) { XCTAssertEqual(x, y, accuracy: 1e-6) }
        XCTAssertEqual(accumulating.step, 1)
    }

    func testMaximizeAscends() throws {
        var optimizer = try Optimizer(SGD(), learningRate: 0.5, maximize: true)
        var parameters = ["w": Tensor([1])]
        try optimizer.update(&parameters, along: ["w": Tensor([2])])
        XCTAssertEqual(parameters["w"]!.item, 2, accuracy: 1e-6)
    }

    func testRateIsScheduleTimesControllersAndAlwaysHasOneAnswer() throws {
        let schedule = try CosineDecaySchedule(from: 0.1, to: 0, steps: 100)
        var optimizer = try Optimizer(SGD(), learningRate: 0.1, schedule: .schedule(schedule))
        XCTAssertEqual(optimizer.currentLearningRate, 0.1, accuracy: 1e-12)
        var parameters = ["w": Tensor([0])]
        for _ in 0..<50 { try optimizer.update(&parameters, along: ["w": Tensor([1])]) }
        XCTAssertEqual(optimizer.currentLearningRate, 0.05, accuracy: 1e-9)
        // Σ of cos rates over steps 0..<50 equals the distance moved.
        let moved = (0..<50).reduce(0.0) { $0 + schedule($1) }
        XCTAssertEqual(Double(parameters["w"]!.item), -moved, accuracy: 1e-4)
        var plateau = try ReduceOnPlateau(factor: 0.5, patience: 0)
        plateau.observe(metric: 1, learningRate: 0.05)
        plateau.observe(metric: 2, learningRate: 0.05)
        optimizer.controllers = [plateau]
        XCTAssertEqual(optimizer.currentLearningRate, 0.05 * plateau.scale, accuracy: 1e-9)
        XCTAssertLessThan(plateau.scale, 1)
    }

    func testMultiplierSchedule() throws {
        var optimizer = try Optimizer(SGD(), learningRate: 0.2,
                                      schedule: .multiplier { step in step < 2 ? 1 : 0.5 })
        var parameters = ["w": Tensor([0])]
        for _ in 0..<3 { try optimizer.update(&parameters, along: ["w": Tensor([1])]) }
        XCTAssertEqual(parameters["w"]!.item, -0.5, accuracy: 1e-6)
        XCTAssertEqual(optimizer.currentLearningRate, 0.1, accuracy: 1e-12)
    }

    func testScheduleFreeEvaluationSwitchRoundTrips() throws {
        var optimizer = try Optimizer(ScheduleFreeAdamW(), learningRate: 0.05)
        var parameters = ["w": Tensor([1, -2, 3])]
        for step in 0..<5 {
            try optimizer.update(&parameters, along: ["w": Tensor([0.5, Float(step) * 0.1, -1])])
        }
        let training = parameters["w"]!.scalars
        optimizer.setEvaluationMode(true, parameters: &parameters)
        XCTAssertNotEqual(parameters["w"]!.scalars, training, "x differs from y")
        XCTAssertThrowsError(try optimizer.update(&parameters, along: ["w": Tensor([1, 1, 1])])) { error in
            XCTAssertEqual(error as? OptimizerError, .evaluationMode)
        }
        optimizer.setEvaluationMode(false, parameters: &parameters)
        for (a, b) in zip(parameters["w"]!.scalars, training) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testParametersWithoutGradientsAreLeftAlone() throws {
        var optimizer = try Optimizer(Adam(), learningRate: 0.1, weightDecay: 0.1)
        var parameters = ["a": Tensor([1]), "frozen": Tensor([5])]
        try optimizer.update(&parameters, along: ["a": Tensor([1])])
        XCTAssertEqual(parameters["frozen"]!.item, 5)
        XCTAssertNotEqual(parameters["a"]!.item, 1)
    }

    func testLargeTensorsSplitAcrossThreadsMatchSmallOnes() throws {
        // The fused kernels split tensors above 65 536 elements across cores; the result must not depend on it.
        let count = 200_003
        var generator = SeededGenerator(seed: 7)
        let start = try Tensor.randomNormal([count], using: &generator)
        let gradient = try Tensor.randomNormal([count], using: &generator)
        var big = try Optimizer(AdamW(amsgrad: true), learningRate: 0.01, weightDecay: 0.1)
        var whole = ["w": start]
        for _ in 0..<3 { try big.update(&whole, along: ["w": gradient]) }
        var small = try Optimizer(AdamW(amsgrad: true), learningRate: 0.01, weightDecay: 0.1)
        let pieces = 1000
        // The tail lies in the last worker's chunk.
        var parts = ["w": Tensor(Array(start.scalars.suffix(pieces)))]
        for _ in 0..<3 { try small.update(&parts, along: ["w": Tensor(Array(gradient.scalars.suffix(pieces)))]) }
        XCTAssertEqual(Array(whole["w"]!.scalars.suffix(pieces)), parts["w"]!.scalars)
    }

    func testEveryElementwiseRuleGivesTheSameResultWhenSplitAcrossThreads() throws {
        let rules: [(String, [String: JSONValue])] = [
            ("SGD", ["lr": 0.1, "momentum": 0.9, "nesterov": true]), ("Adam", ["lr": 0.01, "amsgrad": true]),
            ("NAdam", ["lr": 0.01]), ("RAdam", ["lr": 0.01]), ("Adamax", ["lr": 0.01]),
            ("RMSprop", ["lr": 0.01, "centered": true, "momentum": 0.5]), ("Adagrad", ["lr": 0.1]),
            ("Adadelta", ["lr": 1.0]), ("Lion", ["learning_rate": 0.01]),
            ("SGDScheduleFree", ["lr": 0.1, "warmup_steps": 2]), ("AdamWScheduleFree", ["lr": 0.01, "weight_decay": 0.1]),
        ]
        let count = 150_001, tail = 500
        var generator = SeededGenerator(seed: 11)
        let start = try Tensor.randomNormal([count], using: &generator)
        let gradient = try Tensor.randomNormal([count], using: &generator)
        let startTail = Tensor(Array(start.scalars.suffix(tail))), gradientTail = Tensor(Array(gradient.scalars.suffix(tail)))
        for (name, parameters) in rules {
            var whole = try OptimizerFactory.make(reference: name, parameters: parameters)
            var part = try OptimizerFactory.make(reference: name, parameters: parameters)
            var big = ["w": start], small = ["w": startTail]
            for _ in 0..<3 {
                try whole.update(&big, along: ["w": gradient])
                try part.update(&small, along: ["w": gradientTail])
            }
            XCTAssertEqual(Array(big["w"]!.scalars.suffix(tail)), small["w"]!.scalars, name)
        }
    }
}
