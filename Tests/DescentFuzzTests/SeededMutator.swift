import Foundation

/// A seeded byte mutator for property tests: from a valid input it makes hostile variants
/// (bit flips, random bytes, deleted, repeated or truncated spans, and "interesting" tokens such as
/// `1e308`, `9223372036854775807`, a NUL, deep brackets), the same ones for the same seed.
///
/// The readers' property: every variant either reads or throws the reader's typed error; none
/// traps, overflows the stack or hangs. The default rounds keep each test to a few seconds in a
/// debug build; `DESCENT_FUZZ_ROUNDS=N` multiplies them for a longer hunt, `DESCENT_FUZZ_SEED`
/// changes the seed, and `DESCENT_FUZZ_TRACE=FILE` keeps the input being read in FILE (after a
/// crash, the input that caused it).
///
/// Example: `var mutator = SeededMutator(seed: 1); mutator.mutate(Array("1,2\n".utf8))` might give
/// `"1,9223372036854775807\n"`.
struct SeededMutator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }

    /// The seed of the run: `DESCENT_FUZZ_SEED` or a fixed one, so CI is reproducible.
    static var runSeed: UInt64 { ProcessInfo.processInfo.environment["DESCENT_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_130 }

    /// `base` × `DESCENT_FUZZ_ROUNDS` (1 when unset).
    static func rounds(_ base: Int) -> Int {
        base * max(1, ProcessInfo.processInfo.environment["DESCENT_FUZZ_ROUNDS"].flatMap(Int.init) ?? 1)
    }

    /// SplitMix64.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }

    static let tokens: [String] = [
        "1e308", "-1e308", "1e400", "9223372036854775807", "-9223372036854775808", "18446744073709551616", "4611686018427387903",
        "0", "-1", "-0", "0.5", "nan", "NaN", "inf", "-inf", "0x10", "1e-400", "\u{0}", "\"", "\\", ",", "\n", "\r\n", "[", "]",
        "{", "}", ":", "(", ")", ">>", "null", "true", "[[[[[[[[[[", "((((((((((", "scaled(", "join([", "\u{FFFD}", "é",
        String(repeating: "9", count: 400), String(repeating: "[", count: 300),
    ]

    /// One to four mutations of `input`.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...below(4) {
            let position = below(bytes.count + 1)
            switch below(8) {
            case 0 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] ^= UInt8(1 << below(8))
            case 1 where !bytes.isEmpty:
                bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: next())
            case 2:
                let end = min(bytes.count, position + 1 + below(16))
                bytes.removeSubrange(position..<end)
            case 3:
                let end = min(bytes.count, position + 1 + below(32))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            case 4:
                bytes.removeSubrange(position..<bytes.count)
            default:
                let token = Self.tokens[below(Self.tokens.count)]
                if below(2) == 0 || bytes.isEmpty {
                    bytes.insert(contentsOf: Array(token.utf8), at: position)
                } else {
                    // Replace a run of digits or letters at the position (a number or a name) by the token.
                    var end = min(position, bytes.count)
                    while end < bytes.count, bytes[end] >= 0x30, bytes[end] != 0x5B, bytes[end] != 0x5D,
                          bytes[end] != 0x7B, bytes[end] != 0x7D { end += 1 }
                    bytes.replaceSubrange(min(position, bytes.count)..<end, with: Array(token.utf8))
                }
            }
        }
        return bytes
    }
}
