import DescentCLIShared
import DescentTrain
import Foundation

/// What a checkpoint knows its data by: the data's shape (rows of the training and validation parts,
/// features, classes) and the SHA-256 of the bytes read (`Dataset.contentSHA256`), never the file's
/// name. A copy of the data under another name resumes; another file of the same shape under the
/// same name is refused, saying what differs.
///
/// In the run description (`TrainingCheckpoint.run`) they are two entries:
///
/// | key | example (iris) |
/// | --- | --- |
/// | `data` | `120 training and 30 validation examples, 4 features, 3 classes` |
/// | `data_sha256` | `17e9e19553ed7fa1ebb8b5b4d9d3536da813ebacaf446aff895742dff04087c3` (`sha256sum iris.csv`) |
///
/// A checkpoint written before the digest has `data` = `SOURCE: SHAPE` and no `data_sha256`: it is
/// checked by name and shape as it was then, and resumes with a note that its contents are not verified.
struct CheckpointDataIdentity {
    static let shapeKey = "data"
    static let digestKey = "data_sha256"

    /// "120 training and 30 validation examples, 4 features, 3 classes".
    let shape: String
    /// 64 hex digits ("none" for data not read from bytes).
    let digest: String
    /// The file or bundled name, for messages and for checkpoints without a digest.
    let source: String

    init(setup: TrainingSetup) {
        shape = setup.dataShape
        digest = setup.data.contentSHA256 ?? "none"
        source = setup.data.source
    }

    /// The entries this run's description holds.
    var entries: [String: String] { [Self.shapeKey: shape, Self.digestKey: digest] }

    /// Checks `saved` (a checkpoint's run description) against this data and, when it is the same data,
    /// puts this run's data entries in it, so the rest of the description is compared as usual and the
    /// checkpoints written from here on carry the digest.
    /// - Returns: a note to print once when the checkpoint has no digest (its contents are not verified).
    /// - Throws: `TrainingError.invalidCheckpoint` saying whether the rows/columns or the contents differ.
    func adopt(into saved: inout [String: String], checkpoint: String) throws -> String? {
        guard let savedDigest = saved[Self.digestKey] else {
            let legacy = "\(source): \(shape)"
            guard saved[Self.shapeKey] == legacy else {
                throw TrainingError.invalidCheckpoint("it belongs to another run: data is \(saved[Self.shapeKey] ?? "not set") there, \(legacy) here")
            }
            saved.merge(entries) { _, current in current }
            return "note: \(checkpoint) was written before checkpoints identified their data by content: "
                + "\(source) is checked by name and shape only, its contents are not verified"
        }
        guard saved[Self.shapeKey] == shape else {
            throw TrainingError.invalidCheckpoint("it was trained on other data: \(saved[Self.shapeKey] ?? "none recorded") there, "
                + "\(shape) here (\(source))")
        }
        guard savedDigest == digest else {
            throw TrainingError.invalidCheckpoint("it was trained on other data of the same shape (\(shape)): the contents differ, "
                + "SHA-256 \(savedDigest.prefix(16))… there, \(digest.prefix(16))… here (\(source))")
        }
        saved.merge(entries) { _, current in current }
        return nil
    }
}
