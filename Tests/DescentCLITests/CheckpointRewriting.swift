import DescentFiles
import Foundation

/// Tests that change a checkpoint on purpose (to see a range check or a difference worded) rewrite it as
/// descent would have written it: the old checksum member dropped and the new bytes sealed again
/// (`ContentChecksum`), so what is tested is the check they aim at, not the checksum. `unsealed` makes a
/// checkpoint as an older descent wrote it (no checksum).
enum CheckpointRewriting {
    /// `object` (a checkpoint's JSON object) as bytes sealed with their checksum.
    static func sealed(_ object: [String: Any]) throws -> Data {
        var object = object
        object.removeValue(forKey: ContentChecksum.key)
        return Data(ContentChecksum.seal([UInt8](try JSONSerialization.data(withJSONObject: object))))
    }

    /// A checkpoint's text without its checksum member (as checkpoints were written before they were sealed).
    static func unsealed(_ text: String) -> String {
        text.replacingOccurrences(of: #""\#(ContentChecksum.key)":"[0-9a-f]{64}","#, with: "", options: .regularExpression)
    }

    /// A checkpoint's text, changed by hand, sealed again.
    static func resealed(_ text: String) -> String {
        String(decoding: ContentChecksum.seal(Array(unsealed(text).utf8)), as: UTF8.self)
    }
}
