import DescentOptim
import DescentSchedules
import DescentTensor
import XCTest

/// Every optimizer, on a badly conditioned quadratic (500 steps) and on Rosenbrock's valley (3000 steps):
/// the objective must fall below a bound (the quadratic starts at 50.1, Rosenbrock at 24.2). Rates were
/// picked per optimizer from a sweep; schedule-free rules are measured at their evaluation point.
final class ConvergenceTests: XCTestCase {
    struct Entry: Sendable {
        let name: String
        let make: @Sendable (_ learningRate: Double) throws -> any ParameterOptimizer
        /// Rate, steps and the bound on the objective at the end, for the quadratic and for Rosenbrock.
        let quadratic: Run
        let rosenbrock: Run
    }

    struct Run: Sendable {
        let rate: Double
        let steps: Int
        let bound: Double
        init(_ rate: Double, _ steps: Int, _ bound: Double) {
            self.rate = rate
            self.steps = steps
            self.bound = bound
        }
    }

    static let table: [Entry] = [
        Entry(name: "SGD", make: { try Optimizer(SGD(), learningRate: $0) },
              quadratic: Run(0.1, 500, 1e-08), rosenbrock: Run(0.002, 3000, 0.01)),
        Entry(name: "SGD momentum", make: { try Optimizer(SGD(momentum: 0.9), learningRate: $0) },
              quadratic: Run(0.02, 500, 1e-08), rosenbrock: Run(0.001, 3000, 1e-06)),
        Entry(name: "SGD Nesterov", make: { try Optimizer(SGD(momentum: 0.9, nesterov: true), learningRate: $0) },
              quadratic: Run(0.05, 500, 1e-08), rosenbrock: Run(0.001, 3000, 1e-06)),
        Entry(name: "Adam", make: { try Optimizer(Adam(), learningRate: $0) },
              quadratic: Run(0.1, 500, 1e-08), rosenbrock: Run(0.05, 3000, 1e-06)),
        Entry(name: "Adam AMSGrad", make: { try Optimizer(Adam(amsgrad: true), learningRate: $0) },
              quadratic: Run(0.1, 500, 1e-08), rosenbrock: Run(0.1, 3000, 1e-06)),
        Entry(name: "AdamW", make: { try Optimizer(AdamW(), learningRate: $0) },
              quadratic: Run(0.1, 500, 1e-08), rosenbrock: Run(0.05, 3000, 1e-06)),
        Entry(name: "NAdam", make: { try Optimizer(NAdam(), learningRate: $0) },
              quadratic: Run(0.1, 500, 1e-08), rosenbrock: Run(0.02, 3000, 0.001)),
        Entry(name: "RAdam", make: { try Optimizer(RAdam(), learningRate: $0) },
              quadratic: Run(0.1, 500, 1e-08), rosenbrock: Run(0.005, 3000, 0.5)),
        Entry(name: "Adamax", make: { try Optimizer(Adamax(), learningRate: $0) },
              quadratic: Run(0.5, 500, 1e-08), rosenbrock: Run(0.5, 3000, 1e-06)),
        Entry(name: "RMSprop", make: { try Optimizer(RMSprop(), learningRate: $0) },
              quadratic: Run(0.05, 500, 1e-08), rosenbrock: Run(0.002, 3000, 0.02)),
        Entry(name: "RMSprop centered momentum", make: { try Optimizer(RMSprop(momentum: 0.5, centered: true), learningRate: $0) },
              quadratic: Run(0.02, 500, 1e-08), rosenbrock: Run(0.005, 3000, 0.0001)),
        Entry(name: "Adagrad", make: { try Optimizer(Adagrad(), learningRate: $0) },
              quadratic: Run(1.0, 500, 1e-08), rosenbrock: Run(0.5, 3000, 0.02)),
        Entry(name: "Adadelta", make: { try Optimizer(Adadelta(rho: 0.95, epsilon: 1e-4), learningRate: $0) },
              quadratic: Run(1.0, 500, 1e-08), rosenbrock: Run(0.01, 3000, 0.5)),
        Entry(name: "Lion", make: { try Optimizer(Lion(), learningRate: $0) },
              quadratic: Run(0.02, 500, 0.05), rosenbrock: Run(0.002, 3000, 0.001)),
        Entry(name: "LAMB", make: { try Optimizer(LAMB(), learningRate: $0) },
              quadratic: Run(0.05, 500, 0.001), rosenbrock: Run(0.02, 3000, 0.5)),
        Entry(name: "LARS", make: { try Optimizer(LARS(trustCoefficient: 0.02, momentum: 0.9), learningRate: $0) },
              quadratic: Run(0.01, 500, 1e-05), rosenbrock: Run(0.05, 3000, 0.01)),
        Entry(name: "ScheduleFreeSGD", make: { try Optimizer(ScheduleFreeSGD(momentum: 0.9, warmupSteps: 10), learningRate: $0) },
              quadratic: Run(0.5, 500, 1e-08), rosenbrock: Run(0.01, 3000, 0.01)),
        Entry(name: "ScheduleFreeAdamW", make: { try Optimizer(ScheduleFreeAdamW(warmupSteps: 10), learningRate: $0) },
              quadratic: Run(0.5, 500, 1e-08), rosenbrock: Run(0.1, 3000, 0.05)),
        Entry(name: "Prodigy", make: { try Optimizer(Prodigy(), learningRate: $0) },
              quadratic: Run(1.0, 500, 1e-08), rosenbrock: Run(1.0, 3000, 1e-05)),
        Entry(name: "DAdaptationSGD", make: { try Optimizer(DAdaptationSGD(momentum: 0.9, growthRate: 1.05), learningRate: $0) },
              quadratic: Run(1.0, 500, 1e-08), rosenbrock: Run(1.0, 3000, 1e-06)),
        Entry(name: "DAdaptationAdam", make: { try Optimizer(DAdaptationAdam(), learningRate: $0) },
              quadratic: Run(1.0, 500, 1e-08), rosenbrock: Run(1.0, 3000, 0.01)),
    ]

    func testEveryOptimizerMinimizesTheQuadratic() throws {
        for entry in Self.table {
            var optimizer = try entry.make(entry.quadratic.rate)
            let value = try Problems.minimize(&optimizer, start: Problems.quadraticStart, steps: entry.quadratic.steps,
                                              problem: Problems.quadratic)
            XCTAssertLessThan(value, entry.quadratic.bound, "\(entry.name) on the quadratic")
        }
    }

    func testEveryOptimizerMinimizesRosenbrock() throws {
        for entry in Self.table {
            var optimizer = try entry.make(entry.rosenbrock.rate)
            let value = try Problems.minimize(&optimizer, start: Problems.rosenbrockStart, steps: entry.rosenbrock.steps,
                                              problem: Problems.rosenbrock)
            XCTAssertLessThan(value, entry.rosenbrock.bound, "\(entry.name) on Rosenbrock")
        }
    }

    func testTableCoversEveryReferenceOptimizer() {
        let covered = Set(Self.table.map { $0.name.split(separator: " ").first.map(String.init)! })
        for name in ["SGD", "Adam", "AdamW", "NAdam", "RAdam", "Adamax", "RMSprop", "Adagrad", "Adadelta", "Lion",
                     "LAMB", "LARS", "ScheduleFreeSGD", "ScheduleFreeAdamW", "Prodigy", "DAdaptationSGD",
                     "DAdaptationAdam"] {
            XCTAssertTrue(covered.contains(name), "\(name) missing from the convergence table")
        }
    }
}
