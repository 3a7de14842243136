@testable import DescentDistributed
import XCTest

/// The streaming store that writes a process's scaled gradient into its part of a shared window.
final class SharedMemoryWindowTests: XCTestCase {
    /// target[i] = factor × values[i] exactly (one float multiplication, as a plain loop does), and the return is
    /// Σ values[i]² (compared with a Double sum), for every start alignment of the target within 64 bytes and lengths
    /// around the 8- and 16-float vectors and the 1,024-float blocks, in every variant this processor runs (AVX-512,
    /// AVX2, baseline) and the one chosen by default.
    func testStoreScalesEveryValueAndReturnsTheSquaredNorm() {
        let values = (0..<2_100).map { Float(($0 * 37) % 101) / 17 - 2.5 }
        for level in [nil] + (0...SharedMemoryWindow.kernelLevel).map({ Optional($0) }) {
            for count in [0, 1, 7, 8, 9, 15, 16, 17, 31, 1_023, 1_024, 1_025, 2_049] {
                for shift in 0..<16 {
                    var target = [Float](repeating: .nan, count: count + shift + 1)
                    let norm = values.withUnsafeBufferPointer { source in
                        target.withUnsafeMutableBufferPointer { destination in
                            SharedMemoryWindow.store(UnsafeBufferPointer(rebasing: source[0..<count]), scaledBy: 0.375,
                                                     into: destination.baseAddress! + shift, level: level)
                        }
                    }
                    let name = "level \(level.map(String.init) ?? "default"), count \(count), shift \(shift)"
                    XCTAssertEqual(Array(target[shift..<(shift + count)]), values.prefix(count).map { $0 * 0.375 }, name)
                    XCTAssertTrue(target[shift + count].isNaN, "nothing written past the end, \(name)")
                    let expected = values.prefix(count).reduce(0.0) { $0 + Double($1) * Double($1) }
                    XCTAssertEqual(norm, expected, accuracy: 1e-5 * max(1, expected), name)
                }
            }
        }
    }
}
