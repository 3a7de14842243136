/// An n-dimensional array of `Float` in row-major order, with value semantics.
///
/// Copying a tensor is O(1): the buffer is shared until one copy is written
/// (copy-on-write). Arithmetic broadcasts as NumPy does: shapes are aligned on
/// the right, and a dimension of size 1 stretches to match the other.
///
/// While a gradient is being taken (`valueWithGradient`), each operation on a
/// tracked tensor records how to send gradients back to its inputs; outside it,
/// nothing is recorded and operations cost only their arithmetic.
///
/// ```swift
/// let a = try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
/// let b = try a + Tensor([10, 20])      // [[11, 22], [13, 24]]
/// print(try b.sum().item)               // 70.0
/// ```
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension; `[]` for a scalar.
    public let shape: [Int]
    @usableFromInline var storage: TensorStorage
    /// The tape node that records how this tensor was computed, while differentiating.
    var node: TapeNode?

    @usableFromInline
    init(shape: [Int], storage: TensorStorage) {
        self.shape = shape
        self.storage = storage
        self.node = nil
    }

    /// Creates a tensor of `shape` from its elements in row-major order.
    /// - Throws: `TensorError.invalidArgument` if a dimension is negative or the
    ///   number of scalars is not the product of the shape.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = try Tensor.elementCount(of: shape, operation: "Tensor(shape:scalars:)")
        guard count == scalars.count else {
            throw TensorError.invalidArgument(operation: "Tensor(shape:scalars:)",
                "shape \(shape) holds \(count) elements but \(scalars.count) scalars were given")
        }
        let storage = TensorStorage(count: count)
        scalars.withUnsafeBufferPointer { storage.pointer.initialize(from: $0.baseAddress!, count: count) }
        self.init(shape: shape, storage: storage)
    }

    /// A 1-D tensor holding `scalars`.
    public init(_ scalars: [Float]) {
        try! self.init(shape: [scalars.count], scalars: scalars)
    }

    /// A 2-D tensor from rows of equal length.
    /// - Throws: `TensorError.invalidArgument` if the rows differ in length.
    public init(rows: [[Float]]) throws {
        let columns = rows.first?.count ?? 0
        for (index, row) in rows.enumerated() where row.count != columns {
            throw TensorError.invalidArgument(operation: "Tensor(rows:)",
                "row \(index) has \(row.count) elements, row 0 has \(columns)")
        }
        try self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 })
    }

    /// A scalar (rank-0) tensor.
    public init(_ value: Float) {
        let storage = TensorStorage(repeating: value, count: 1)
        self.init(shape: [], storage: storage)
    }

    /// A tensor of `shape` with every element `value`.
    public init(repeating value: Float, shape: [Int]) throws {
        let count = try Tensor.elementCount(of: shape, operation: "Tensor(repeating:shape:)")
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: count))
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) throws -> Tensor { try Tensor(repeating: 0, shape: shape) }
    /// A tensor of ones.
    public static func ones(_ shape: [Int]) throws -> Tensor { try Tensor(repeating: 1, shape: shape) }
    /// A tensor of `shape` filled with `value`.
    public static func full(_ shape: [Int], _ value: Float) throws -> Tensor { try Tensor(repeating: value, shape: shape) }
    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor {
        Tensor(shape: other.shape, storage: TensorStorage(repeating: 0, count: other.count))
    }

    /// `[start, start + step, ...)` below `end`, as NumPy's `arange`.
    /// - Throws: `TensorError.invalidArgument` if `step` is zero or not finite.
    public static func arange(_ start: Float, _ end: Float, step: Float = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError.invalidArgument(operation: "arange", "step must be finite and non-zero, bounds finite")
        }
        let exactCount = (Double(end) - Double(start)) / Double(step)
        guard exactCount.isFinite, exactCount <= Double(Tensor.maximumElementCount) else {
            throw TensorError.invalidArgument(operation: "arange", "[\(start), \(end)) in steps of \(step) has too many elements")
        }
        let count = Swift.max(0, Int(exactCount.rounded(.up)))
        return Tensor((0..<count).map { start + Float($0) * step })
    }

    /// Number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// Number of elements.
    @inlinable public var count: Int { storage.count }
    /// The elements in row-major order.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.pointer, count: count)) }

    /// The single element of a one-element tensor.
    public var item: Float {
        precondition(count == 1, "item needs a tensor with one element, this one has shape \(shape)")
        return storage.pointer[0]
    }

    /// Element at a multi-dimensional index (for inspection and tests; not fast).
    public subscript(_ indices: Int...) -> Float {
        precondition(indices.count == rank, "expected \(rank) indices for shape \(shape)")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            precondition(index >= 0 && index < shape[axis], "index \(index) out of range for axis \(axis) of shape \(shape)")
            offset = offset * shape[axis] + index
        }
        return storage.pointer[offset]
    }

    /// Reads the elements in place.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.pointer, count: storage.count))
    }

    /// Writes the elements in place, copying the buffer first if it is shared.
    /// The tensor stops being tracked by the tape: an in-place write is not differentiable.
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        storage.isKnownFinite = false
        detachFromTape()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: storage.count))
    }

    @usableFromInline mutating func detachFromTape() { node = nil }

    /// The same values, not tracked by the tape (a constant for differentiation).
    public var detached: Tensor { Tensor(shape: shape, storage: storage) }

    /// Whether both tensors have the same shape and exactly equal elements.
    public func isEqual(to other: Tensor) -> Bool {
        shape == other.shape && scalars == other.scalars
    }

    /// The most elements one tensor may hold (2³⁴ ≈ 17 billion, 64 GiB of Float32): a shape
    /// beyond it is an error, not an allocation that takes the machine down.
    public static let maximumElementCount = Int(Int32.max) * 8

    static func elementCount(of shape: [Int], operation: String) throws -> Int {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else {
                throw TensorError.invalidArgument(operation: operation, "negative dimension in shape \(shape)")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= maximumElementCount else {
                throw TensorError.invalidArgument(operation: operation, "shape \(shape) has too many elements")
            }
            count = product
        }
        return count
    }

    /// A new uninitialised-then-filled tensor; `body` must write all `count` elements.
    @usableFromInline
    static func build(shape: [Int], count: Int, _ body: (UnsafeMutablePointer<Float>) throws -> Void) rethrows -> Tensor {
        let storage = TensorStorage(count: count)
        try body(storage.pointer)
        return Tensor(shape: shape, storage: storage)
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        if rank == 0 { return "Tensor(\(storage.pointer[0]))" }
        let shown = count <= 16 ? scalars.map { "\($0)" }.joined(separator: ", ") : scalars.prefix(16).map { "\($0)" }.joined(separator: ", ") + ", ..."
        return "Tensor(shape: \(shape), [\(shown)])"
    }
}
