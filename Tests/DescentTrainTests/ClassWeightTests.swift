import XCTest
import DescentData
import DescentNN
import DescentTensor
@testable import DescentTrain

/// `--class-weights balanced` and the imbalance metrics against closed forms worked out by hand.
final class ClassWeightTests: XCTestCase {
    /// scikit-learn's rule n / (k × n_c): labels [0, 0, 0, 1] → 4 / (2·3), 4 / (2·1).
    func testBalancedWeightsAreTheScikitLearnRule() {
        let weights = Objective.balancedClassWeights(labels: [0, 0, 0, 1], classes: 2)
        XCTAssertEqual(weights[0], 2.0 / 3.0, accuracy: 1e-7)
        XCTAssertEqual(weights[1], 2.0, accuracy: 1e-7)
        // Three classes, 6 labels: counts 1, 2, 3 → 6/3, 6/6, 6/9; an absent class weighs 1.
        XCTAssertEqual(Objective.balancedClassWeights(labels: [0, 1, 1, 2, 2, 2], classes: 3), [2, 1, Float(6.0 / 9.0)])
        XCTAssertEqual(Objective.balancedClassWeights(labels: [0, 0], classes: 2), [0.5, 1])
    }

    /// The weighted loss is Σ w_y ℓ / Σ w_y with ℓ = −log softmax; the unweighted one is the plain mean.
    func testWeightedTrainingLossOnATinySet() throws {
        let logits: [[Double]] = [[1, 0], [0, 0], [2, 1], [0, 3]]
        let labels = [0, 0, 0, 1]
        func crossEntropy(_ row: [Double], _ label: Int) -> Double { log(row.map(exp).reduce(0, +)) - row[label] }
        let losses = zip(logits, labels).map(crossEntropy)
        let weights = [2.0 / 3.0, 2.0]
        let weighted = zip(losses, labels).map { $0 * weights[$1] }.reduce(0, +) / labels.map { weights[$0] }.reduce(0, +)
        let outputs = try Tensor(shape: [4, 2], scalars: logits.flatMap { $0.map(Float.init) })
        let targets = Targets.classes(labels, names: ["a", "b"])
        let objective = Objective.classification(classes: 2)
        let classWeights = Tensor(Objective.balancedClassWeights(labels: labels, classes: 2))
        XCTAssertEqual(Double(try objective.loss(outputs, targets, classWeights: classWeights).item), weighted, accuracy: 1e-6)
        XCTAssertEqual(Double(try objective.loss(outputs, targets).item), losses.reduce(0, +) / 4, accuracy: 1e-6)
        XCTAssertNotEqual(weighted, losses.reduce(0, +) / 4, accuracy: 1e-3)
    }

    /// Confusion [[8, 2], [1, 1]]: balanced accuracy (0.8 + 0.5) / 2, macro-F1 (16/19 + 0.4) / 2; ROC AUC of four scores.
    func testBalancedAccuracyMacroF1AndAUC() throws {
        var tally = ClassificationTally(classNames: ["no", "yes"])
        // Rows as logits (a, b): predicted 1 when b > a. 8 true-0 predicted 0, 2 predicted 1; 1 true-1 predicted 0, 1 predicted 1.
        var rows: [Float] = [], labels: [Int] = []
        for _ in 0..<8 { rows += [1, 0]; labels.append(0) }
        for _ in 0..<2 { rows += [0, 1]; labels.append(0) }
        rows += [1, 0, 0, 1]; labels += [1, 1]
        try tally.add(outputs: try Tensor(shape: [12, 2], scalars: rows), labels: labels)
        XCTAssertEqual(tally.balancedAccuracy, 0.65, accuracy: 1e-12)
        XCTAssertEqual(tally.macroF1, (16.0 / 19.0 + 0.4) / 2, accuracy: 1e-12)

        // scikit-learn: roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.75.
        var scores = ClassificationTally(classNames: ["0", "1"])
        let probabilities: [Double] = [0.1, 0.4, 0.35, 0.8]
        let logits = probabilities.flatMap { [Float(0), Float(log($0 / (1 - $0)))] }
        try scores.add(outputs: try Tensor(shape: [4, 2], scalars: logits), labels: [0, 0, 1, 1])
        XCTAssertEqual(try XCTUnwrap(scores.rocAUC), 0.75, accuracy: 1e-12)
    }
}
