import CDescentElementwise

/// Elementwise arithmetic with NumPy broadcasting and gradients.
///
/// d(a+b) = (g, g); d(a−b) = (g, −g); d(a·b) = (g·b, g·a); d(a/b) = (g/b, −g·a/b²),
/// each summed back to its operand's shape where it was broadcast.
extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let result = try broadcast(lhs, rhs, operation: "add", kernel: descent_add, +)
        let (ls, rs) = (lhs.shape, rhs.shape)
        return record(result, lhs, { $0.sum(toShape: ls) }, rhs, { $0.sum(toShape: rs) })
    }

    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let result = try broadcast(lhs, rhs, operation: "subtract", kernel: descent_subtract, -)
        let (ls, rs) = (lhs.shape, rhs.shape)
        return record(result, lhs, { $0.sum(toShape: ls) }, rhs, { (-$0).sum(toShape: rs) })
    }

    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let result = try broadcast(lhs, rhs, operation: "multiply", kernel: descent_multiply, *)
        let (l, r) = (lhs.detached, rhs.detached)
        return record(result, lhs, { try! ($0 * r).sum(toShape: l.shape) },
                      rhs, { try! ($0 * l).sum(toShape: r.shape) })
    }

    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let result = try broadcast(lhs, rhs, operation: "divide", kernel: descent_divide, /)
        let (l, r) = (lhs.detached, rhs.detached)
        return record(result, lhs, { try! ($0 / r).sum(toShape: l.shape) },
                      rhs, { gradient in try! (-(gradient * l) / (r * r)).sum(toShape: r.shape) })
    }

    public static prefix func - (operand: Tensor) -> Tensor {
        record(operand.apply(descent_negate), operand, { -$0 })
    }

    // Scalars broadcast against any shape, so these cannot fail.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { record(lhs.apply(descent_add_scalar, rhs), lhs, { $0 }) }
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }
    public static func - (lhs: Float, rhs: Tensor) -> Tensor { record(rhs.apply(descent_negate).apply(descent_add_scalar, lhs), rhs, { -$0 }) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { record(lhs.apply(descent_multiply_scalar, rhs), lhs, { $0 * rhs }) }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { record(lhs.apply(descent_divide_scalar, rhs), lhs, { $0 / rhs }) }
    public static func / (lhs: Float, rhs: Tensor) -> Tensor {
        let r = rhs.detached
        return record(rhs.map { lhs / $0 }, rhs, { gradient in try! gradient * r.map { -lhs / ($0 * $0) } })
    }
}
