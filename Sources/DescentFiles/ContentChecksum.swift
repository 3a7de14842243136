/// A JSON object file that carries the SHA-256 of its own bytes as its first member, so that a bit flip
/// anywhere in it — a digit of a loss, a character of a tensor's base64, a truncation — is found before
/// anything is read from it. Checkpoints (`checkpoint.json`) and the curves saved beside them are sealed
/// this way.
///
/// The sealed file is the object's bytes with `"contentSHA256":"<64 hex digits>",` put right after the
/// opening `{`; the checksum is over the object's bytes without that member (the *content*). Because the
/// checksum is over bytes, not over values decoded and encoded again, verifying needs no JSON encoder
/// (a file written on one platform verifies on another), and every changed byte is refused, even one
/// that decodes to the same value (`1e-05` → `1E-05`). In Python:
/// `content = b"{" + data[len(b'{"contentSHA256":"') + 64 + 2:]` then
/// `hashlib.sha256(content).hexdigest()` (for a non-empty object).
///
/// ```swift
/// let sealed = ContentChecksum.seal(Array(#"{"epoch":2}"#.utf8))
/// // {"contentSHA256":"9a3f…","epoch":2}
/// ContentChecksum.open(sealed)             // .verified(content: Array(#"{"epoch":2}"#.utf8))
/// ContentChecksum.open(Array(#"{"epoch":2}"#.utf8))   // .unsealed (an older file: nothing to check)
/// ```
public enum ContentChecksum {
    /// The member's key.
    public static let key = "contentSHA256"

    /// What a file turned out to be.
    public enum Verdict: Equatable, Sendable {
        /// Sealed and intact: the content (the file without the checksum member).
        case verified(content: [UInt8])
        /// No checksum member (a file written before files were sealed): the bytes as they are, not verified.
        case unsealed
        /// A checksum that does not match the content, or a checksum member that is not where it is written
        /// (the file was changed or rewritten after it was sealed).
        case damaged
    }

    private static let prefix = Array("{\"\(key)\":\"".utf8)

    /// `object` (the bytes of a JSON object, `{…}`) with its checksum as the first member. Bytes that do not
    /// begin with `{` are returned as they are (there is no object to seal).
    public static func seal(_ object: [UInt8]) -> [UInt8] {
        guard object.first == UInt8(ascii: "{") else { return object }
        // An empty object (`{}`, `{ }`) is sealed as `{}`: nothing follows the checksum.
        if object.dropFirst().first(where: { !isSpace($0) }) == UInt8(ascii: "}") {
            return prefix + Array(SHA256.hex(Array("{}".utf8)).utf8) + Array("\"}".utf8)
        }
        return prefix + Array(SHA256.hex(object).utf8) + Array("\",".utf8) + object.dropFirst()
    }

    /// Checks a file's bytes: `.verified` with the content when the checksum matches, `.unsealed` when there is
    /// none, `.damaged` when it does not match or the member is elsewhere than first (a file rewritten by
    /// another tool keeps the key but not the bytes it was computed over).
    public static func open(_ bytes: [UInt8]) -> Verdict {
        guard bytes.starts(with: prefix) else {
            return contains(bytes, Array("\"\(key)\":".utf8)) ? .damaged : .unsealed
        }
        let digestStart = prefix.count, digestEnd = prefix.count + 64
        guard bytes.count >= digestEnd + 2, bytes[digestEnd] == UInt8(ascii: "\"") else { return .damaged }
        let recorded = bytes[digestStart..<digestEnd]
        let content: [UInt8]
        switch bytes[digestEnd + 1] {
        case UInt8(ascii: ","): content = [UInt8(ascii: "{")] + bytes[(digestEnd + 2)...]
        case UInt8(ascii: "}"): content = [UInt8(ascii: "{")] + bytes[(digestEnd + 1)...]
        default: return .damaged
        }
        return Array(SHA256.hex(content).utf8) == Array(recorded) ? .verified(content: content) : .damaged
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Whether `needle` occurs in `haystack` (a plain scan: the needle is short and starts with a quote).
    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, haystack.count >= needle.count else { return false }
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first && haystack[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
