import DescentDistributed
import DescentTensor
@testable import DescentTrain
import XCTest

/// The sum at the heart of the shared-window reduction (`sumInRankOrder`): each process adds every part, its own read
/// from its gradient tensor and scaled there, in rank order, into that tensor, with |g|² and the finiteness check on
/// the way. Checked against the same sum written out element by element in Float (the same roundings) and |g|² in
/// Double.
final class DataParallelWindowSumTests: XCTestCase {
    /// Random parts of `length` elements (1,030: one block of 1,024 and a second with 6, after the last 8- or 16-float
    /// vector).
    private func parts(_ count: Int, seed: UInt64, length: Int = 1030) -> [[Float]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in (0..<length).map { _ in Float.random(in: -3...3, using: &generator) } }
    }

    /// The kernel variants to check: the one chosen by default (nil) and every instruction-set level this processor
    /// runs (AVX-512, AVX2, baseline).
    private var levels: [Int?] { [nil] + (0...SharedMemoryWindow.kernelLevel).map { Optional($0) } }

    private func sum(_ parts: [[Float]], scales: [Float], intoPart target: Int, level: Int? = nil)
        -> (values: [Float], normSquared: Double, finite: Bool) {
        var parts = parts
        let count = parts[0].count
        let pointers = parts.indices.map { index in
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count + 1)
            pointer.initialize(from: parts[index], count: count)
            (pointer + count).initialize(to: -7)   // a guard element past the end
            return pointer
        }
        defer { pointers.forEach { $0.deallocate() } }
        let (normSquared, finite) = sumInRankOrder(pointers.map { UnsafePointer($0) }, scaledBy: scales, count: count,
                                                   into: pointers[target], level: level)
        XCTAssertEqual(pointers[target][count], -7, "nothing written past the end")
        parts[target] = Array(UnsafeBufferPointer(start: pointers[target], count: count))
        return (parts[target], normSquared, finite)
    }

    func testEachPartIsScaledAndAddedInRankOrderIntoTheOwnPart() {
        for level in levels {
            for processes in [2, 3, 4] {
                for length in [1, 15, 17, 1030, 2063] {
                    let values = parts(processes, seed: UInt64(processes * 10_000 + length), length: length)
                    // Process 1's own part is its unscaled gradient, scaled by its share 0.3; the others are already
                    // scaled (scale 1), except for a third share, 0.7, on the last part, to round its products too.
                    var scales = [Float](repeating: 1, count: processes)
                    scales[1] = 0.3
                    if processes > 2 { scales[processes - 1] = 0.7 }
                    let result = sum(values, scales: scales, intoPart: 1, level: level)
                    var expectedNorm = 0.0
                    var fusedDiffers = 0
                    for index in 0..<length {
                        var expected = values[0][index] * scales[0]
                        var fused = expected
                        for part in 1..<processes {
                            expected += values[part][index] * scales[part]
                            fused.addProduct(values[part][index], scales[part])
                        }
                        if fused != expected { fusedDiffers += 1 }
                        XCTAssertEqual(result.values[index].bitPattern, expected.bitPattern,
                                       "element \(index) of \(length), \(processes) parts, level \(level.map(String.init) ?? "default")")
                        expectedNorm += Double(expected) * Double(expected)
                    }
                    XCTAssertEqual(result.normSquared, expectedNorm, accuracy: 1e-5 * expectedNorm)
                    XCTAssertTrue(result.finite)
                    // The data tell a fused multiply-add (one rounding) from a multiplication then an addition.
                    if length >= 1030 { XCTAssertGreaterThan(fusedDiffers, 0) }
                }
            }
        }
    }

    /// Not finite: an infinity in a part (in a vector), a NaN after the last vector, or two finite parts whose sum
    /// overflows; the optimizer's finite-gradient check relies on the answer.
    func testTheSumSaysWhetherEveryElementIsFinite() {
        for level in levels {
            for processes in [2, 3, 4] {
                var values = parts(processes, seed: 9)
                XCTAssertTrue(sum(values, scales: Array(repeating: 1, count: processes), intoPart: 0, level: level).finite)
                for (index, value) in [(0, Float.nan), (17, Float.infinity), (1029, .nan), (1024, -.infinity), (1023, .infinity)] {
                    var broken = values
                    broken[processes - 1][index] = value
                    XCTAssertFalse(sum(broken, scales: Array(repeating: 1, count: processes), intoPart: 0, level: level).finite,
                                   "\(value) at \(index), level \(level.map(String.init) ?? "default")")
                }
                values[0][500] = 3e38
                values[1][500] = 3e38
                XCTAssertFalse(sum(values, scales: Array(repeating: 1, count: processes), intoPart: 0, level: level).finite,
                               "3e38 + 3e38 overflows")
            }
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
