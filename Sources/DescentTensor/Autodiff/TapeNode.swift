/// One recorded operation on the gradient tape: the inputs that were tracked and,
/// for each, the pullback that turns the gradient of the output into the
/// gradient of that input (already reduced to the input's shape).
///
/// Each operation writes its pullback next to its forward (micrograd's idea);
/// `backpropagate` is a topological sort and one reversed loop.
final class TapeNode: @unchecked Sendable {
    struct Edge {
        let node: TapeNode
        let pullback: (Tensor) -> Tensor
    }

    let edges: [Edge]
    let shape: [Int]

    init(shape: [Int], edges: [Edge]) {
        self.shape = shape
        self.edges = edges
    }
}

extension Tensor {
    /// Whether this tensor is tracked by a gradient tape.
    public var isTracked: Bool { node != nil }

    /// A copy that is a leaf of a new gradient tape.
    func makeLeaf() -> Tensor {
        var leaf = Tensor(shape: shape, storage: storage)
        leaf.node = TapeNode(shape: shape, edges: [])
        return leaf
    }

    /// Attaches to `result` the pullbacks of the tracked inputs among `inputs`.
    /// Nothing is recorded when no input is tracked.
    @usableFromInline
    static func record(_ result: Tensor, _ inputs: [(Tensor, (Tensor) -> Tensor)]) -> Tensor {
        var edges: [TapeNode.Edge] = []
        for (input, pullback) in inputs {
            if let node = input.node { edges.append(TapeNode.Edge(node: node, pullback: pullback)) }
        }
        guard !edges.isEmpty else { return result }
        var tracked = result
        tracked.node = TapeNode(shape: result.shape, edges: edges)
        return tracked
    }

    @usableFromInline
    static func record(_ result: Tensor, _ input: Tensor, _ pullback: @escaping (Tensor) -> Tensor) -> Tensor {
        guard input.node != nil else { return result }
        return record(result, [(input, pullback)])
    }

    @usableFromInline
    static func record(_ result: Tensor, _ first: Tensor, _ firstPullback: @escaping (Tensor) -> Tensor,
                       _ second: Tensor, _ secondPullback: @escaping (Tensor) -> Tensor) -> Tensor {
        guard first.node != nil || second.node != nil else { return result }
        return record(result, [(first, firstPullback), (second, secondPullback)])
    }
}

/// Runs reverse-mode accumulation from `output` (seeded with `seed`) and returns
/// the gradient reaching each node in `leaves` (zeros where none reaches).
func backpropagate(from output: Tensor, seed: Tensor, to leaves: [Tensor]) -> [Tensor] {
    guard let root = output.node else { return leaves.map { Tensor.zeros(like: $0) } }
    // Topological order by iterative depth-first search.
    var order: [TapeNode] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(TapeNode, Int)] = [(root, 0)]
    visited.insert(ObjectIdentifier(root))
    while let (node, next) = stack.popLast() {
        if next < node.edges.count {
            stack.append((node, next + 1))
            let child = node.edges[next].node
            if visited.insert(ObjectIdentifier(child)).inserted { stack.append((child, 0)) }
        } else {
            order.append(node)
        }
    }
    var gradients: [ObjectIdentifier: Tensor] = [ObjectIdentifier(root): seed.detached]
    for node in order.reversed() {
        guard let gradient = gradients.removeValue(forKey: ObjectIdentifier(node)) else { continue }
        if node.edges.isEmpty {  // a leaf keeps its gradient
            gradients[ObjectIdentifier(node)] = gradient
            continue
        }
        for edge in node.edges {
            let contribution = edge.pullback(gradient)
            let key = ObjectIdentifier(edge.node)
            if let existing = gradients[key] {
                gradients[key] = existing.addingSameShape(contribution)
            } else {
                gradients[key] = contribution
            }
        }
    }
    return leaves.map { leaf in
        guard let node = leaf.node, let gradient = gradients[ObjectIdentifier(node)] else { return Tensor.zeros(like: leaf) }
        return gradient
    }
}

/// The value of `function` at `parameters` and its gradient with respect to each.
///
/// The function must return a scalar (a tensor with one element), typically a loss.
/// A parameter used several times receives the sum of its gradients; a parameter
/// that does not influence the value receives zeros.
///
/// ```swift
/// let w = Tensor([1, 2, 3])
/// let (loss, gradients) = try valueWithGradient(at: [w]) { p in (p[0] * p[0]).sum() }
/// // loss.item == 14, gradients[0] == [2, 4, 6]
/// ```
/// - Throws: what `function` throws, or `TensorError.invalidArgument` if the value is not a scalar.
public func valueWithGradient(at parameters: [Tensor], of function: ([Tensor]) throws -> Tensor) throws -> (value: Tensor, gradients: [Tensor]) {
    let leaves = parameters.map { $0.makeLeaf() }
    let value = try function(leaves)
    guard value.count == 1 else {
        throw TensorError.invalidArgument(operation: "valueWithGradient", "the function must return one value (a loss), it returned shape \(value.shape)")
    }
    let seed = Tensor(shape: value.shape, storage: TensorStorage(repeating: 1, count: 1))
    let gradients = backpropagate(from: value, seed: seed, to: leaves)
    return (value.detached, gradients)
}

/// The value of `function` at one tensor and its gradient.
public func valueWithGradient(at parameter: Tensor, of function: (Tensor) throws -> Tensor) throws -> (value: Tensor, gradient: Tensor) {
    let (value, gradients) = try valueWithGradient(at: [parameter]) { try function($0[0]) }
    return (value, gradients[0])
}
