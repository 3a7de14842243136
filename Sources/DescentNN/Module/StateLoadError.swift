/// Why a state dictionary could not be loaded into a module: the names it lacks,
/// the names the module does not have, and the tensors whose shapes differ.
///
/// ```swift
/// // cannot load state: missing: output.bias; unexpected: head.weight;
/// // shape mismatch: hidden.weight expects [8, 4], got [4, 8]
/// ```
public struct StateLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// One tensor whose shape differs from the module's.
    public struct ShapeMismatch: Equatable, Sendable {
        public let name: String
        public let expected: [Int]
        public let found: [Int]

        public init(name: String, expected: [Int], found: [Int]) {
            self.name = name
            self.expected = expected
            self.found = found
        }
    }

    /// Names the module has but the state does not.
    public let missing: [String]
    /// Names the state has but the module does not.
    public let unexpected: [String]
    /// Names present in both with different shapes.
    public let shapeMismatches: [ShapeMismatch]

    public init(missing: [String], unexpected: [String], shapeMismatches: [ShapeMismatch]) {
        self.missing = missing
        self.unexpected = unexpected
        self.shapeMismatches = shapeMismatches
    }

    public var description: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { parts.append("unexpected: " + unexpected.joined(separator: ", ")) }
        if !shapeMismatches.isEmpty {
            parts.append("shape mismatch: " + shapeMismatches.map { "\($0.name) expects \($0.expected), got \($0.found)" }
                .joined(separator: ", "))
        }
        return "cannot load state: " + parts.joined(separator: "; ")
    }
}

/// What a non-strict load left out.
public struct StateLoadReport: Equatable, Sendable {
    /// Names the module has but the state does not (their values were kept).
    public let missing: [String]
    /// Names the state has but the module does not (ignored).
    public let unexpected: [String]

    public init(missing: [String], unexpected: [String]) {
        self.missing = missing
        self.unexpected = unexpected
    }
}
