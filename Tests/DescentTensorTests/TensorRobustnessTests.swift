import DescentTensor
import XCTest

/// Tensor operations fed shapes and values that come from user data: a thrown error naming the
/// operation and the shapes, never a trap.
final class TensorRobustnessTests: XCTestCase {
    private func assertThrows<T>(_ body: @autoclosure () throws -> T, mentions fragments: [String] = [],
                                 file: StaticString = #filePath, line: UInt = #line) {
        do {
            _ = try body()
            XCTFail("expected an error mentioning \(fragments)", file: file, line: line)
        } catch {
            for fragment in fragments where !"\(error)".contains(fragment) {
                XCTFail("\"\(error)\" does not mention \"\(fragment)\"", file: file, line: line)
            }
        }
    }

    func testShapeErrorsThrow() throws {
        let a = try Tensor.zeros([2, 3]), b = try Tensor.zeros([4, 5])
        assertThrows(try a.matmul(b), mentions: ["[2, 3]", "[4, 5]"])
        assertThrows(try a + b, mentions: ["[2, 3]", "[4, 5]"])
        assertThrows(try a.reshaped(to: [4]))
        assertThrows(try a.reshaped(to: [-1, -1]))
        assertThrows(try a.reshaped(to: [-1, 4]))
        assertThrows(try a.reshaped(to: [0, -1]))
        assertThrows(try a.permuted([0, 0]))
        assertThrows(try a.permuted([0, 2]))
        assertThrows(try a.slice(alongAxis: 1, 2..<5))
        assertThrows(try a.slice(alongAxis: 2, 0..<1))
        assertThrows(try a.sum(alongAxis: 2))
        assertThrows(try a.max(alongAxis: -3))
        assertThrows(try a.softmax(alongAxis: 5))
        assertThrows(try a.argmax(alongAxis: 2))
        assertThrows(try Tensor.concatenate([a, b], alongAxis: 0))
        assertThrows(try Tensor.concatenate([], alongAxis: 0))
        assertThrows(try a.gatherRows([0, 2]))
        assertThrows(try a.gatherRows([-1]))
        assertThrows(try Tensor.oneHot([0, 3], classes: 3))
        assertThrows(try Tensor.oneHot([0], classes: 0))
        assertThrows(try Tensor.oneHot([-1], classes: 2))
        assertThrows(try Tensor(shape: [2, 2], scalars: [1, 2, 3]))
        assertThrows(try Tensor(shape: [-1], scalars: []))
        assertThrows(try Tensor(rows: [[1, 2], [3]]))
        assertThrows(try Tensor.zeros([Int.max, 2]))
        assertThrows(try Tensor.arange(0, 1, step: 0))
        assertThrows(try Tensor.arange(0, 1, step: .nan))
        assertThrows(try Tensor.where(try Tensor.zeros([2]), a, b))
    }

    func testConvolutionAndPoolingShapeErrorsThrow() throws {
        let image = try Tensor.zeros([1, 2, 5, 5])
        assertThrows(try image.conv2d(try Tensor.zeros([3, 4, 3, 3])))
        assertThrows(try image.conv2d(try Tensor.zeros([3, 2, 7, 7])))
        assertThrows(try image.conv2d(try Tensor.zeros([3, 2, 3, 3]), stride: 0))
        assertThrows(try image.conv2d(try Tensor.zeros([3, 2, 3, 3]), padding: -1))
        assertThrows(try image.conv2d(try Tensor.zeros([3, 2, 3, 3]), bias: try Tensor.zeros([2])))
        assertThrows(try image.conv2d(try Tensor.zeros([3, 2, 3])))
        assertThrows(try image.maxPool2d(kernelSize: 2, stride: 0))
        assertThrows(try image.avgPool2d(kernelSize: 2, padding: 3))
    }

    func testEmptyTensorsDoNotTrap() throws {
        let empty = try Tensor.zeros([0, 3])
        XCTAssertEqual(try empty.sum(alongAxis: 0).scalars, [0, 0, 0])
        XCTAssertEqual(empty.sum().item, 0)
        XCTAssertEqual(try empty.matmul(try Tensor.zeros([3, 2])).shape, [0, 2])
        // Was: gemm's precondition "lda=0 is less than the stored row length" trapped.
        XCTAssertEqual(try Tensor.zeros([2, 0]).matmul(try Tensor.zeros([0, 3])).scalars, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try Tensor.zeros([2, 2, 0]).matmul(try Tensor.zeros([2, 0, 3])).scalars, Array(repeating: 0, count: 12))
        XCTAssertEqual(try Tensor.zeros([4, 0]).matmul(try Tensor.zeros([3, 2]).slice(alongAxis: 0, 0..<0)).shape, [4, 2])
        let (_, emptyGradients) = try valueWithGradient(at: [try Tensor.zeros([2, 0]), try Tensor.zeros([0, 3])]) { x in
            try x[0].matmul(x[1]).sum()
        }
        XCTAssertEqual(emptyGradients.map(\.shape), [[2, 0], [0, 3]])
        XCTAssertEqual(try empty.softmax(alongAxis: 1).shape, [0, 3])
        XCTAssertEqual(try empty.gatherRows([]).shape, [0, 3])
        XCTAssertEqual(try empty.transposed().shape, [3, 0])
        XCTAssertEqual(try empty.argmax(alongAxis: 1), [])
        assertThrows(try empty.max(alongAxis: 0), mentions: ["empty"])
        // Was: read one element past an empty row's storage and reported index 0 for every row.
        assertThrows(try Tensor.zeros([3, 0]).argmax(alongAxis: 1), mentions: ["argmax", "empty"])
        XCTAssertEqual(try Tensor.zeros([0, 0]).argmax(alongAxis: 1), [])
        // Was: `try!` trapped on the empty axis. No element has no maximum: NaN.
        XCTAssertTrue(empty.max().item.isNaN)
        XCTAssertTrue(empty.min().item.isNaN)
        XCTAssertEqual(Tensor([3, -1, 2]).max().item, 3)
        let (value, gradients) = try valueWithGradient(at: [empty]) { x in x[0].sum() }
        XCTAssertEqual(value.item, 0)
        XCTAssertEqual(gradients[0].shape, [0, 3])
    }

    func testNaNAndInfinityPropagate() throws {
        let x = Tensor([.nan, .infinity, -.infinity, 1])
        XCTAssertTrue(x.sum().item.isNaN)
        XCTAssertTrue(try x.softmax(alongAxis: 0).scalars.contains { $0.isNaN })
        XCTAssertEqual(try x.argmax(alongAxis: 0).count, 1)
        XCTAssertEqual(x.relu().scalars[1], .infinity)
    }
}
