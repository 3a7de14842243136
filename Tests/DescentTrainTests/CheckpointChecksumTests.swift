import DescentData
import DescentFiles
import DescentNN
import DescentOptim
import DescentSchedules
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// A checkpoint carries the SHA-256 of its bytes (`contentSHA256`): a bit flip in any of its numbers or tensors
/// is refused on resume (was: 21 of 40 random flips in its numbers resumed silently).
final class CheckpointChecksumTests: XCTestCase {
    /// A real checkpoint: a 4-3 linear classifier trained 2 epochs with Adam, the guard and a plateau controller.
    private func checkpoint() throws -> [UInt8] {
        let features = try Tensor(shape: [12, 4], scalars: (0..<48).map { Float(($0 * 7) % 11) / 11 })
        let data = try Dataset(features: features, targets: .classes((0..<12).map { $0 % 3 }, names: ["a", "b", "c"]))
        var generator = SeededGenerator(seed: 0)
        let model = Sequential([try Linear(4, 3, using: &generator)])
        var optimizer = try Optimizer(Adam(), learningRate: 0.01)
        optimizer.controllers.append(try ReduceOnPlateau(patience: 1))
        var saved: Data?
        _ = try Trainer(configuration: TrainingConfiguration(epochs: 2, batchSize: 5, seed: 1))
            .run(model, optimizer: &optimizer, training: data, validation: data, saveCheckpoint: { saved = try $0.encoded() })
        return [UInt8](try XCTUnwrap(saved))
    }

    /// The offsets of the bytes of every JSON number (outside strings) and of every tensor's base64 text.
    private func numberOffsets(_ bytes: [UInt8]) -> (numbers: [Int], tensors: [Int]) {
        var numbers: [Int] = [], tensors: [Int] = []
        var inString = false, escaped = false, stringStart = 0
        let bytesKey = Array(#""bytes":""#.utf8)
        for (index, byte) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") {
                    inString = false
                } else if stringStart >= bytesKey.count - 1,
                          bytes[(stringStart - bytesKey.count + 1)...stringStart].elementsEqual(bytesKey) {
                    tensors.append(index)
                }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                stringStart = index
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || Array("-+.eE".utf8).contains(byte) {
                numbers.append(index)
            }
        }
        return (numbers, tensors)
    }

    func testEveryBitFlipInACheckpointsNumbersAndTensorsIsRefused() throws {
        let original = try checkpoint()
        XCTAssertTrue(original.starts(with: Array(#"{"contentSHA256":""#.utf8)))
        XCTAssertNoThrow(try TrainingCheckpoint<Adam>.decode(Data(original), source: "checkpoint.json", optimizer: "Adam"))
        XCTAssertEqual(try TrainingCheckpoint<Adam>.read(Data(original), source: "checkpoint.json").contentVerified, true)
        let (numbers, tensors) = numberOffsets(original)
        XCTAssertGreaterThan(numbers.count, 200, "the checkpoint's numbers were found")
        XCTAssertGreaterThan(tensors.count, 50, "the checkpoint's tensors were found")
        var random = SeededGenerator(seed: 20261203)
        var refusedAsDamaged = 0
        for round in 0..<400 {
            let offsets = round % 4 == 0 ? tensors : numbers
            let offset = offsets[Int(random.next() % UInt64(offsets.count))]
            let bit = Int(random.next() % 8)
            var flipped = original
            flipped[offset] ^= UInt8(1 << bit)
            do {
                _ = try TrainingCheckpoint<Adam>.decode(Data(flipped), source: "checkpoint.json", optimizer: "Adam")
                XCTFail("a flip of bit \(bit) at byte \(offset) (\(UnicodeScalar(original[offset])) → \(UnicodeScalar(flipped[offset]))) resumed")
            } catch let error as TrainingError {
                let text = "\(error)"
                if text.contains("checkpoint.json is damaged: its contents do not match the checksum saved with it (contentSHA256)") {
                    refusedAsDamaged += 1
                } else {
                    // A flip that breaks the JSON itself is found before the checksum is read.
                    XCTAssertTrue(text.contains("checkpoint.json is not a checkpoint (truncated or not JSON)"), text)
                }
            }
        }
        XCTAssertGreaterThan(refusedAsDamaged, 150, "about half the flips leave valid JSON (220 of 400 with this seed), and the checksum finds them")
    }

    func testACheckpointWithoutAChecksumStillReadsUnverified() throws {
        let original = try checkpoint()
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(original)) as? [String: Any])
        XCTAssertNotNil(object.removeValue(forKey: ContentChecksum.key))
        let older = try JSONSerialization.data(withJSONObject: object)
        let read = try TrainingCheckpoint<Adam>.read(older, source: "old.json", optimizer: "Adam")
        XCTAssertFalse(read.contentVerified)
        XCTAssertEqual(read.checkpoint.progress.epoch, 2)
        // Rewritten by another tool with the checksum kept but moved: the bytes it was computed over are gone.
        object[ContentChecksum.key] = String(decoding: original[18..<82], as: UTF8.self)
        XCTAssertThrowsError(try TrainingCheckpoint<Adam>.decode(try JSONSerialization.data(withJSONObject: object), source: "moved.json")) {
            XCTAssertTrue("\($0)".contains("moved.json is damaged"), "\($0)")
        }
    }
}
