import DescentTensor
import Foundation
import XCTest

/// End to end: the autodiff alone (no layers, no optimizer library) trains a
/// two-layer perceptron on UCI optdigits (1,797 8×8 images, 10 classes) with
/// plain minibatch gradient descent, and must reach ≥ 95% validation accuracy.
final class DigitsMultilayerPerceptronTests: XCTestCase {
    func testTwoLayerPerceptronLearnsDigits() throws {
        let (features, labels) = try loadDigits()
        let rows = labels.count
        var generator = SeededGenerator(seed: 2024)
        var order = Array(0..<rows)
        order.shuffle(using: &generator)
        let validationCount = rows / 5
        let validation = Array(order[..<validationCount]), training = Array(order[validationCount...])

        let inputs = try Tensor(shape: [rows, 64], scalars: features) / 16   // pixels are 0...16
        let targets = try Tensor.oneHot(labels, classes: 10)
        let hidden = 64
        var parameters = [
            try Tensor.randomUniform([64, hidden], low: -0.125, high: 0.125, using: &generator),  // ±1/√64
            try Tensor.zeros([hidden]),
            try Tensor.randomUniform([hidden, 10], low: -0.125, high: 0.125, using: &generator),
            try Tensor.zeros([10]),
        ]
        func logits(_ p: [Tensor], _ x: Tensor) throws -> Tensor {
            try (x.matmul(p[0]) + p[1]).relu().matmul(p[2]) + p[3]
        }
        let learningRate: Float = 0.2, batchSize = 32
        var shuffled = training
        for _ in 0..<15 {
            shuffled.shuffle(using: &generator)
            for start in stride(from: 0, to: shuffled.count, by: batchSize) {
                let batch = Array(shuffled[start..<min(start + batchSize, shuffled.count)])
                let x = try inputs.gatherRows(batch), y = try targets.gatherRows(batch)
                let (_, gradients) = try valueWithGradient(at: parameters) { p in
                    // Mean softmax cross-entropy.
                    try -(y * logits(p, x).logSoftmax(alongAxis: 1)).sum() / Float(batch.count)
                }
                for index in parameters.indices { parameters[index] = try parameters[index] - gradients[index] * learningRate }
            }
        }
        let predictions = try logits(parameters, inputs.gatherRows(validation)).argmax(alongAxis: 1)
        let correct = zip(predictions, validation.map { labels[$0] }).filter { $0 == $1 }.count
        let accuracy = Double(correct) / Double(validation.count)
        print("digits MLP validation accuracy", accuracy)
        XCTAssertGreaterThanOrEqual(accuracy, 0.95, "validation accuracy \(accuracy)")
    }

    /// Reads the bundled digits CSV (header row, 64 pixel columns, then the label).
    private func loadDigits() throws -> (features: [Float], labels: [Int]) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/DescentData/Resources/digits.csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst()
        var features: [Float] = [], labels: [Int] = []
        for line in lines {
            let cells = line.split(separator: ",")
            XCTAssertEqual(cells.count, 65)
            features += cells.dropLast().map { Float($0)! }
            labels.append(Int(Float(cells.last!)!))
        }
        return (features, labels)
    }
}
