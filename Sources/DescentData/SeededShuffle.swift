import DescentTensor

extension SeededGenerator {
    /// A uniform integer in `0..<bound` (Lemire's multiply-high mapping), so that
    /// shuffles depend only on the seed, not on the standard library version.
    mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Shuffles `elements` in place with the Fisher–Yates algorithm.
    mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, to: 0, by: -1) {
            let other = nextIndex(below: index + 1)
            if other != index { elements.swapAt(index, other) }
        }
    }
}
