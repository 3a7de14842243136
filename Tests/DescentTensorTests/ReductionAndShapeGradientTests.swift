import DescentTensor
import XCTest

final class ReductionAndShapeGradientTests: XCTestCase {
    func testReductions() throws {
        let x = try sample([2, 3, 4], seed: 11)
        try checkGradients([x]) { $0[0].sum() }
        try checkGradients([x]) { $0[0].mean() }
        try checkGradients([x]) { try $0[0].sum(alongAxes: [0, 2]) }
        try checkGradients([x]) { try $0[0].sum(alongAxis: 1, keepingDimensions: true) }
        try checkGradients([x]) { try $0[0].mean(alongAxis: -1) }
        try checkGradients([x]) { try $0[0].max(alongAxis: 1) }
        try checkGradients([x]) { try $0[0].min(alongAxis: 2, keepingDimensions: true) }
        try checkGradients([x]) { try $0[0].logSumExp(alongAxis: 2) }
        try checkGradients([x]) { try $0[0].softmax(alongAxis: 1) }
        try checkGradients([x]) { try $0[0].logSoftmax(alongAxis: -1) }
        try checkGradients([x]) { try $0[0].softmax(alongAxis: 2) }
        try checkGradients([x]) { try $0[0].logSoftmax(alongAxis: 0) }
    }

    /// The fused last-axis kernels agree with the composed form on another axis.
    func testFusedSoftmaxMatchesComposedForm() throws {
        let x = try sample([3, 5, 7], seed: 21) * 4
        let fused = try x.softmax(alongAxis: 2).scalars
        let composed = try x.permuted([0, 2, 1]).softmax(alongAxis: 1).permuted([0, 2, 1]).scalars
        for (a, b) in zip(fused, composed) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let fusedLog = try x.logSoftmax(alongAxis: -1).scalars
        let composedLog = try x.permuted([2, 0, 1]).logSoftmax(alongAxis: 0).permuted([1, 2, 0]).scalars
        for (a, b) in zip(fusedLog, composedLog) { XCTAssertEqual(a, b, accuracy: 1e-5) }
    }

    func testShapeOperations() throws {
        let x = try sample([2, 3, 4], seed: 12)
        try checkGradients([x]) { try $0[0].reshaped(to: [6, -1]) }
        try checkGradients([x]) { try $0[0].permuted([2, 0, 1]) }
        try checkGradients([x]) { try $0[0].transposed() }
        try checkGradients([x]) { try $0[0].slice(alongAxis: 1, 1..<3) }
        try checkGradients([x, try sample([2, 2, 4], seed: 13)]) { try Tensor.concatenate($0, alongAxis: 1) }
        try checkGradients([try sample([5, 3], seed: 14)]) { try $0[0].gatherRows([4, 0, 4, 2]) }
    }

    func testMatrixProducts() throws {
        try checkGradients([try sample([3, 5], seed: 15), try sample([5, 2], seed: 16)]) { try $0[0].matmul($0[1]) }
        // Batched, with the batch axis of the second operand broadcast.
        try checkGradients([try sample([2, 3, 4], seed: 17), try sample([4, 2], seed: 18)]) { try $0[0].matmul($0[1]) }
        try checkGradients([try sample([2, 3, 4], seed: 19), try sample([2, 4, 5], seed: 20)]) { try $0[0].matmul($0[1]) }
    }
}
