import XCTest
import DescentData
import DescentTensor

final class SplitAndBatchTests: XCTestCase {
    func testSplitSizesAreDisjointAndCoverEveryRow() throws {
        let digits = try Datasets.load(named: "digits")
        let parts = try digits.split(validationFraction: 0.2, testFraction: 0.1, seed: 7)
        XCTAssertEqual(parts.validation.count, 359)   // round(1797 × 0.2)
        XCTAssertEqual(parts.test.count, 180)         // round(1797 × 0.1)
        XCTAssertEqual(parts.train.count, 1797 - 359 - 180)
        let all = parts.trainIndices + parts.validationIndices + parts.testIndices
        XCTAssertEqual(all.sorted(), Array(0..<1797))
        // Rows are the original ones.
        let row = parts.validationIndices[5]
        XCTAssertEqual(try parts.validation.features.slice(alongAxis: 0, 5..<6).scalars,
                       try digits.features.slice(alongAxis: 0, row..<(row + 1)).scalars)
        XCTAssertEqual(parts.validation.targets.classIndices?[5], digits.targets.classIndices?[row])
    }

    func testStratifiedSplitKeepsClassProportions() throws {
        let iris = try Datasets.load(named: "iris")
        let parts = try iris.split(validationFraction: 0.2, testFraction: 0.2, seed: 1)
        for part in [parts.validation, parts.test] {
            let labels = part.targets.classIndices!
            XCTAssertEqual((0..<3).map { label in labels.filter { $0 == label }.count }, [10, 10, 10])
        }
        let digits = try Datasets.load(named: "digits")
        let digitParts = try digits.split(validationFraction: 0.25, seed: 2)
        let all = digits.targets.classIndices!, validation = digitParts.validation.targets.classIndices!
        for label in 0..<10 {
            let share = Double(all.filter { $0 == label }.count) * 0.25
            let count = Double(validation.filter { $0 == label }.count)
            XCTAssertLessThanOrEqual(abs(count - share), 1, "class \(label)")
        }
    }

    func testSplitsAreDeterminedByTheSeed() throws {
        let diabetes = try Datasets.load(named: "diabetes")
        let a = try diabetes.split(validationFraction: 0.3, seed: 5)
        let b = try diabetes.split(validationFraction: 0.3, seed: 5)
        let c = try diabetes.split(validationFraction: 0.3, seed: 6)
        XCTAssertEqual(a.validationIndices, b.validationIndices)
        XCTAssertNotEqual(a.validationIndices, c.validationIndices)
        XCTAssertEqual(a.validation.count, 133)   // round(442 × 0.3)
        XCTAssertEqual(a.test.count, 0)
    }

    func testSplitRejectsBadFractions() throws {
        let iris = try Datasets.load(named: "iris")
        assertDataError(try iris.split(validationFraction: 1.2, seed: 0), contains: ["validationFraction"])
        assertDataError(try iris.split(validationFraction: -0.1, seed: 0), contains: ["validationFraction"])
        assertDataError(try iris.split(validationFraction: 0.5, testFraction: 0.5, seed: 0), contains: ["less than 1"])
        assertDataError(try iris.split(validationFraction: 0.6, testFraction: 0.399, seed: 0), contains: ["none for training"])
    }

    func testStandardizerIsFittedOnTheTrainingPartOnly() throws {
        let features = try Tensor(shape: [6, 2], scalars: [1, 5, 2, 5, 3, 5, 100, 5, 200, 7, 300, 9])
        let data = try Dataset(features: features, targets: .values(Tensor([0, 1, 2, 3, 4, 5])))
        let parts = try data.split(validationFraction: 0.5, seed: 4)
        let (scaled, standardizer) = try parts.standardized()
        // Reference: population mean and deviation of the training rows only.
        let train = parts.train.features
        for column in 0..<2 {
            let values = (0..<train.shape[0]).map { Double(train[$0, column]) }
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)).squareRoot()
            XCTAssertEqual(Double(standardizer.mean[column]), mean, accuracy: 1e-4 * max(1, abs(mean)))
            let expected = deviation == 0 ? 1 : deviation
            XCTAssertEqual(Double(standardizer.standardDeviation[column]), expected, accuracy: 1e-4 * expected)
        }
        // The training part has mean 0; the validation part uses the training statistics.
        let trainMeans = try scaled.train.features.mean(alongAxes: [0]).scalars
        for value in trainMeans { XCTAssertEqual(value, 0, accuracy: 1e-5) }
        let row = 0
        let raw = parts.validation.features[row, 0]
        XCTAssertEqual(scaled.validation.features[row, 0], (raw - standardizer.mean[0]) / standardizer.standardDeviation[0], accuracy: 1e-6)
        XCTAssertTrue(try standardizer.inverseTransform(scaled.validation.features).scalars
            .elementsEqual(parts.validation.features.scalars) { abs($0 - $1) <= 1e-3 * max(1, abs($1)) })
    }

    func testStandardizerClosedFormConstantColumnAndCodable() throws {
        let x = try Tensor(shape: [3, 2], scalars: [1, 5, 2, 5, 3, 5])
        let scaler = try Standardizer(fitting: x)
        XCTAssertEqual(scaler.mean, [2, 5])
        XCTAssertEqual(scaler.standardDeviation[0], Float((2.0 / 3.0).squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(scaler.standardDeviation[1], 1)
        let z = try scaler.transform(x).scalars
        XCTAssertEqual(z[0], -1.2247449, accuracy: 1e-5)
        XCTAssertEqual(z[1], 0)
        XCTAssertEqual(z[4], 1.2247449, accuracy: 1e-5)
        let json = try JSONEncoder().encode(scaler)
        XCTAssertEqual(try JSONDecoder().decode(Standardizer.self, from: json), scaler)
        assertDataError(try scaler.transform(Tensor([1, 2, 3])), contains: ["features", "[n, 2]"])
        assertDataError(try Standardizer(mean: [0], standardDeviation: [0]), contains: ["standardDeviation"])
    }

    func testMiniBatchesAreDeterministicGivenASeedAndCoverEachRowOnce() throws {
        let iris = try Datasets.load(named: "iris")
        let first = try MiniBatches(dataset: iris, batchSize: 32, seed: 9)
        let second = try MiniBatches(dataset: iris, batchSize: 32, seed: 9)
        let other = try MiniBatches(dataset: iris, batchSize: 32, seed: 10)
        XCTAssertEqual(first.order, second.order)
        XCTAssertNotEqual(first.order, other.order)
        XCTAssertEqual(first.count, 5)
        let batches = Array(first)
        XCTAssertEqual(batches.map(\.count), [32, 32, 32, 32, 22])
        XCTAssertEqual(batches.flatMap(\.indices).sorted(), Array(0..<150))
        // Each batch holds its rows' features and targets.
        let batch = batches[1]
        XCTAssertEqual(batch.features.shape, [32, 4])
        let row = batch.indices[3]
        XCTAssertEqual(try batch.features.slice(alongAxis: 0, 3..<4).scalars, try iris.features.slice(alongAxis: 0, row..<(row + 1)).scalars)
        XCTAssertEqual(batch.classIndices?[3], iris.targets.classIndices?[row])
        XCTAssertEqual(batch.targetTensor.scalars[3], Float(iris.targets.classIndices![row]))
    }

    func testDropLastAndEpochsFromOneGenerator() throws {
        let iris = try Datasets.load(named: "iris")
        var generator = SeededGenerator(seed: 1)
        let epoch1 = try MiniBatches(dataset: iris, batchSize: 32, dropLast: true, generator: &generator)
        let epoch2 = try MiniBatches(dataset: iris, batchSize: 32, dropLast: true, generator: &generator)
        XCTAssertEqual(epoch1.count, 4)
        XCTAssertEqual(Array(epoch1).map(\.count), [32, 32, 32, 32])
        XCTAssertNotEqual(epoch1.order, epoch2.order)   // a new order each epoch
        var replay = SeededGenerator(seed: 1)
        _ = try MiniBatches(dataset: iris, batchSize: 32, generator: &replay)
        XCTAssertEqual(try MiniBatches(dataset: iris, batchSize: 32, generator: &replay).order, epoch2.order)
        let unshuffled = try MiniBatches(dataset: iris, batchSize: 100, shuffle: false, seed: 0)
        XCTAssertEqual(unshuffled.order, Array(0..<150))
        assertDataError(try MiniBatches(dataset: iris, batchSize: 0, seed: 0), contains: ["batchSize"])
    }

    func testRegressionBatchesCarryValues() throws {
        let diabetes = try Datasets.load(named: "diabetes")
        let batches = try MiniBatches(dataset: diabetes, batchSize: 100, seed: 3)
        let batch = batches.batch(at: 0)
        XCTAssertNil(batch.classIndices)
        XCTAssertEqual(batch.targetTensor.shape, [100])
        XCTAssertEqual(batch.targetTensor.scalars[0], diabetes.targets.tensor.scalars[batch.indices[0]])
    }
}
