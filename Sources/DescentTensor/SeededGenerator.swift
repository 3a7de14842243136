import Foundation

/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, 2018)
/// whose state is filled from the seed by SplitMix64.
///
/// Numbers are drawn one after another on the calling thread, so the same seed
/// gives the same sequence on every platform and for every thread count.
///
/// ```swift
/// var generator = SeededGenerator(seed: 42)
/// let weights = Tensor.randomNormal([3, 2], using: &generator)   // same values every run
/// ```
public struct SeededGenerator: RandomNumberGenerator, Codable, Sendable, Equatable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = seed
        func next() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (next(), next(), next(), next())
    }

    public mutating func next() -> UInt64 {
        let result = rotate(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotate(state.3, 45)
        return result
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A standard normal draw (Box–Muller, one value per pair of uniforms).
    public mutating func nextNormal() -> Double {
        let u1 = 1.0 - nextUniform()   // (0, 1]
        let u2 = nextUniform()
        return (-2.0 * Foundation.log(u1)).squareRoot() * Foundation.cos(2.0 * Double.pi * u2)
    }

    public static func == (lhs: SeededGenerator, rhs: SeededGenerator) -> Bool {
        lhs.state == rhs.state
    }

    private enum CodingKeys: String, CodingKey { case state }
    public init(from decoder: Decoder) throws {
        let words = try decoder.container(keyedBy: CodingKeys.self).decode([UInt64].self, forKey: .state)
        guard words.count == 4 else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "generator state needs 4 words"))
        }
        state = (words[0], words[1], words[2], words[3])
    }
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode([state.0, state.1, state.2, state.3], forKey: .state)
    }
}

extension Tensor {
    /// Normal draws with the given mean and standard deviation.
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    using generator: inout SeededGenerator) throws -> Tensor {
        let count = try elementCount(of: shape, operation: "randomNormal")
        return build(shape: shape, count: count) { pointer in
            for index in 0..<count { pointer[index] = mean + standardDeviation * Float(generator.nextNormal()) }
        }
    }

    /// Uniform draws in [low, high).
    public static func randomUniform(_ shape: [Int], low: Float = 0, high: Float = 1,
                                     using generator: inout SeededGenerator) throws -> Tensor {
        let count = try elementCount(of: shape, operation: "randomUniform")
        let width = Double(high) - Double(low)
        return build(shape: shape, count: count) { pointer in
            for index in 0..<count { pointer[index] = Float(Double(low) + width * generator.nextUniform()) }
        }
    }
}
