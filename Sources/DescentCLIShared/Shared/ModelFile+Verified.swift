import DescentTrain
import Foundation

extension ModelFile {
    /// Loads a model file for `predict`, `evaluate` and `train --init-weights`: its recorded tensor
    /// checksums are verified and its weights checked finite (`ModelFile.load`); a file that records no
    /// checksums (another tool's, or an older descent's) loads with one line on standard error saying so.
    package static func loadVerified(path: String) throws -> ModelFile {
        let file = try load(path: path)
        if file.tensorChecksums == nil {
            FileHandle.standardError.write(Data(("note: \(path) records no tensor checksums (written by another tool or an older "
                + "descent): its weights were not verified\n").utf8))
        } else if !file.metadataVerified {
            FileHandle.standardError.write(Data(("note: \(path) records no checksum of its metadata (written by an older descent): "
                + "its model card was not verified\n").utf8))
        }
        return file
    }
}
