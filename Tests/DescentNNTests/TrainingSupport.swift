import Foundation
import DescentTensor
import DescentNN

/// A bundled data set read by a tiny CSV parser (header row, numbers, target last),
/// split once with a seed into training and validation parts.
struct TestDataSet {
    var features: [[Float]]
    var targets: [Float]

    /// Reads Sources/DescentData/Resources/NAME.csv from the package checkout.
    static func bundled(_ name: String) throws -> TestDataSet {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/DescentData/Resources/\(name).csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        var features: [[Float]] = [], targets: [Float] = []
        for line in lines {
            let cells = line.split(separator: ",").map { Float(String($0))! }
            features.append(Array(cells.dropLast()))
            targets.append(cells.last!)
        }
        return TestDataSet(features: features, targets: targets)
    }

    /// A seeded shuffle split: `trainingFraction` of the rows for training. When
    /// `stratified` (classification), each class is split in that proportion.
    func split(trainingFraction: Double, seed: UInt64, stratified: Bool = false) -> (training: TestDataSet, validation: TestDataSet) {
        var generator = SeededGenerator(seed: seed)
        let groups = stratified ? Dictionary(grouping: features.indices, by: { targets[$0] }).sorted { $0.key < $1.key }.map(\.value)
                                : [Array(features.indices)]
        var trainingRows: [Int] = [], validationRows: [Int] = []
        for group in groups {
            let order = group.shuffled(using: &generator)
            let cut = Int((Double(order.count) * trainingFraction).rounded())
            trainingRows += order[..<cut]
            validationRows += order[cut...]
        }
        let pick = { (rows: [Int]) in TestDataSet(features: rows.map { features[$0] }, targets: rows.map { targets[$0] }) }
        return (pick(trainingRows), pick(validationRows))
    }

    /// Standardises every column with the mean and deviation of `reference` (the training part).
    func standardised(like reference: TestDataSet) -> TestDataSet {
        let columns = reference.features[0].count, count = Float(reference.features.count)
        var means = [Float](repeating: 0, count: columns), deviations = [Float](repeating: 0, count: columns)
        for row in reference.features { for c in 0..<columns { means[c] += row[c] / count } }
        for row in reference.features { for c in 0..<columns { deviations[c] += (row[c] - means[c]) * (row[c] - means[c]) / count } }
        deviations = deviations.map { $0 > 0 ? $0.squareRoot() : 1 }
        return TestDataSet(features: features.map { row in (0..<columns).map { (row[$0] - means[$0]) / deviations[$0] } }, targets: targets)
    }

    var labels: [Int] { targets.map { Int($0) } }

    /// The rows as a tensor [count, columns] (or reshaped to `shape` per row).
    func inputs(_ rows: [Int]? = nil, rowShape: [Int]? = nil) -> Tensor {
        let rows = rows ?? Array(features.indices)
        let width = features[0].count
        return try! Tensor(shape: [rows.count] + (rowShape ?? [width]), scalars: rows.flatMap { features[$0] })
    }
}

/// SGD with heavy-ball momentum as PyTorch's `torch.optim.SGD`: v ← μ·v + g; θ ← θ − lr·v.
final class MomentumSGD {
    let learningRate: Float
    let momentum: Float
    private var velocities: [String: Tensor] = [:]

    init(learningRate: Float, momentum: Float = 0.9) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    func update(_ model: some Module, along gradients: [String: Tensor]) throws {
        for (name, parameter) in model.trainableParameters {
            guard let gradient = gradients[name] else { continue }
            let velocity = try velocities[name].map { try $0 * momentum + gradient } ?? gradient
            velocities[name] = velocity
            parameter.value = try parameter.value - velocity * learningRate
        }
    }
}

/// Trains `model` for `epochs` over shuffled minibatches of `data`.
func train<M: Module>(_ model: M, on data: TestDataSet, epochs: Int, batchSize: Int, optimizer: MomentumSGD, seed: UInt64,
                      rowShape: [Int]? = nil, loss: (Tensor, [Float]) throws -> Tensor) throws {
    var generator = SeededGenerator(seed: seed)
    model.train()
    for _ in 0..<epochs {
        let order = Array(data.features.indices).shuffled(using: &generator)
        for start in stride(from: 0, to: order.count, by: batchSize) {
            let rows = Array(order[start..<min(start + batchSize, order.count)])
            let inputs = data.inputs(rows, rowShape: rowShape)
            let targets = rows.map { data.targets[$0] }
            let (_, gradients) = try valueWithGradient(at: model) { model in try loss(model(inputs), targets) }
            try optimizer.update(model, along: gradients)
        }
    }
    model.eval()
}
