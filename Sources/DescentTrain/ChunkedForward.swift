import DescentNN
import DescentTensor

/// Rows evaluated at a time when a whole data set is scored (validation, the guard's initial loss):
/// the activations of 1,024 rows fit in memory for any model training fits, where those of a full
/// validation set (10,000 MNIST images through a CNN: gigabytes of im2col columns) may not.
public let evaluationRowsAtATime = 1_024

/// The model's outputs on `features`, computed `rowsAtATime` rows at a time and stacked in order, so
/// memory holds one chunk's activations instead of the whole set's. Each row's output is computed
/// exactly as in one pass over all rows (rows do not interact in evaluation mode), so the loss and
/// metric computed from the stacked outputs equal those of one pass.
///
/// ```swift
/// // 2,500 rows at 1,024 at a time: chunks 0..<1024, 1024..<2048, 2048..<2500, outputs [2500, 10].
/// let outputs = try outputsInChunks(of: model, features, rowsAtATime: 1_024)
/// ```
func outputsInChunks(of model: some Module, _ features: Tensor, rowsAtATime: Int = evaluationRowsAtATime) throws -> Tensor {
    let rows = features.shape.first ?? 0
    guard rows > rowsAtATime, rowsAtATime > 0 else { return try model(features) }
    var scalars: [Float] = []
    var shape: [Int] = []
    for start in stride(from: 0, to: rows, by: rowsAtATime) {
        let chunk = try model(try features.slice(alongAxis: 0, start..<Swift.min(start + rowsAtATime, rows)))
        if shape.isEmpty { shape = chunk.shape; scalars.reserveCapacity(rows * chunk.count / Swift.max(chunk.shape[0], 1)) }
        scalars += chunk.scalars
    }
    shape[0] = rows
    return try Tensor(shape: shape, scalars: scalars)
}
