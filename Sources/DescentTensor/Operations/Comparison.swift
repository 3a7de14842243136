/// Elementwise comparisons give 1 where true and 0 where false; they are not
/// differentiable (their result is a constant for the tape).
extension Tensor {
    public func isGreater(than other: Tensor) throws -> Tensor { try Tensor.zipBroadcast(self, other, operation: "greater") { $0 > $1 ? 1 : 0 } }
    public func isLess(than other: Tensor) throws -> Tensor { try Tensor.zipBroadcast(self, other, operation: "less") { $0 < $1 ? 1 : 0 } }
    public func isEqual(elementwise other: Tensor) throws -> Tensor { try Tensor.zipBroadcast(self, other, operation: "equal") { $0 == $1 ? 1 : 0 } }
    public func isGreater(than value: Float) -> Tensor { map { $0 > value ? 1 : 0 } }
    public func isLess(than value: Float) -> Tensor { map { $0 < value ? 1 : 0 } }

    /// Picks `a` where `condition` is non-zero and `b` elsewhere, all three broadcast.
    /// The gradient flows to `a` where the condition holds and to `b` elsewhere.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let shape = try Broadcasting.shape(try Broadcasting.shape(condition.shape, a.shape, operation: "where"), b.shape, operation: "where")
        let mask = try zipBroadcast(condition, try Tensor(repeating: 0, shape: shape), operation: "where") { c, _ in c != 0 ? 1 : 0 }
        let picked = try pick(mask: mask, a, b, shape: shape)
        let (aShape, bShape) = (a.shape, b.shape)
        return record(picked, a, { try! ($0 * mask).sum(toShape: aShape) },
                      b, { try! ($0 * (1 - mask)).sum(toShape: bShape) })
    }

    private static func pick(mask: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int]) throws -> Tensor {
        let aFull = try zipBroadcast(a, mask, operation: "where") { x, _ in x }
        let bFull = try zipBroadcast(b, mask, operation: "where") { y, _ in y }
        let m = mask.storage.pointer, x = aFull.storage.pointer, y = bFull.storage.pointer
        return build(shape: shape, count: mask.count) { out in
            for i in 0..<mask.count { out[i] = m[i] != 0 ? x[i] : y[i] }
        }
    }
}
