import DescentOptim
import DescentSchedules
import DescentTensor
import Foundation
import XCTest

/// The rate has one home: a multiplier schedule (PyTorch's LambdaLR) scales `baseLearningRate`; a schedule of
/// DescentSchedules is the rate and the base is not read.
final class BaseLearningRateTests: XCTestCase {
    func testAMultiplierScheduleScalesTheBaseRateAsLambdaLRDoes() throws {
        // LambdaLR(lr_lambda=lambda epoch: 0.95 ** epoch) with 100 steps an epoch: 0.1 × 0.95^⌊t/100⌋.
        var optimizer = try Optimizer(SGD(), learningRate: 0.1, schedule: .multiplier { step in pow(0.95, Double(step / 100)) })
        var parameters = ["w": Tensor([1.0])]
        XCTAssertEqual(optimizer.currentLearningRate, 0.1, accuracy: 1e-15)
        for _ in 0..<100 { try optimizer.update(&parameters, along: ["w": Tensor([0.0])]) }
        XCTAssertEqual(optimizer.currentLearningRate, 0.095, accuracy: 1e-15)
        optimizer.baseLearningRate = 0.2
        XCTAssertEqual(optimizer.currentLearningRate, 0.19, accuracy: 1e-15)
    }

    func testAScheduleOfDescentSchedulesIsTheRateAndTheBaseIsNotRead() throws {
        var optimizer = try Optimizer(SGD(), learningRate: 0.1, schedule: .schedule(try ConstantSchedule(rate: 0.03)))
        optimizer.baseLearningRate = 5
        XCTAssertEqual(optimizer.currentLearningRate, 0.03)
    }
}
