import DescentTensor
@testable import DescentTrain
import XCTest

/// The sum at the heart of the shared-window reduction (`sumInRankOrder`): each process adds every part, its own read
/// from its gradient tensor and scaled there, in rank order, into that tensor, with |g|² and the finiteness check on
/// the way. Checked against the same sum written out element by element in Float (the same roundings) and |g|² in
/// Double.
final class DataParallelWindowSumTests: XCTestCase {
    /// 1,030 elements: one block of 1,024 and a second with 6, of which 2 after the last eight-float group.
    private func parts(_ count: Int, seed: UInt64) -> [[Float]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<1030).map { _ in Float.random(in: -3...3, using: &generator) } }
    }

    private func sum(_ parts: [[Float]], scales: [Float], intoPart target: Int) -> (values: [Float], normSquared: Double, finite: Bool) {
        var parts = parts
        let count = parts[0].count
        let pointers = parts.indices.map { index in
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
            pointer.initialize(from: parts[index], count: count)
            return pointer
        }
        defer { pointers.forEach { $0.deallocate() } }
        let (normSquared, finite) = sumInRankOrder(pointers.map { UnsafePointer($0) }, scaledBy: scales, count: count,
                                                   into: pointers[target])
        parts[target] = Array(UnsafeBufferPointer(start: pointers[target], count: count))
        return (parts[target], normSquared, finite)
    }

    func testEachPartIsScaledAndAddedInRankOrderIntoTheOwnPart() {
        for processes in [2, 3] {
            let values = parts(processes, seed: UInt64(processes))
            // Process 1's own part is its unscaled gradient, scaled by its share 0.375; the others are already scaled.
            var scales = [Float](repeating: 1, count: processes)
            scales[1] = 0.375
            let result = sum(values, scales: scales, intoPart: 1)
            var expectedNorm = 0.0
            for index in 0..<1030 {
                var expected = values[0][index] * scales[0]
                for part in 1..<processes { expected += values[part][index] * scales[part] }
                XCTAssertEqual(result.values[index].bitPattern, expected.bitPattern, "element \(index) of \(processes) parts")
                expectedNorm += Double(expected) * Double(expected)
            }
            XCTAssertEqual(result.normSquared, expectedNorm, accuracy: 1e-5 * expectedNorm)
            XCTAssertTrue(result.finite)
        }
    }

    /// Not finite: an infinity in a part (in an eight-float group), a NaN after the last group, or two finite parts
    /// whose sum overflows; the optimizer's finite-gradient check relies on the answer.
    func testTheSumSaysWhetherEveryElementIsFinite() {
        for processes in [2, 3] {
            var values = parts(processes, seed: 9)
            XCTAssertTrue(sum(values, scales: Array(repeating: 1, count: processes), intoPart: 0).finite)
            for (index, value) in [(17, Float.infinity), (1029, .nan), (1024, -.infinity)] {
                var broken = values
                broken[processes - 1][index] = value
                XCTAssertFalse(sum(broken, scales: Array(repeating: 1, count: processes), intoPart: 0).finite, "\(value) at \(index)")
            }
            values[0][500] = 3e38
            values[1][500] = 3e38
            XCTAssertFalse(sum(values, scales: Array(repeating: 1, count: processes), intoPart: 0).finite, "3e38 + 3e38 overflows")
        }
    }

    /// A write that says its values are finite spares the next `isFinite` its pass; one that does not leaves the check
    /// to it, which still finds the NaN.
    func testAWriteRecordsFinitenessOnlyWhenItSaysSo() throws {
        var tensor = try Tensor(shape: [3], scalars: [1, 2, 3])
        tensor.writeRecordingFiniteness { values in
            values[1] = .nan
            return false
        }
        XCTAssertFalse(tensor.isFinite)
        tensor.writeRecordingFiniteness { values in
            values[1] = 5
            return true
        }
        XCTAssertTrue(tensor.isFinite)
        XCTAssertEqual(tensor.scalars, [1, 5, 3])
    }
}
