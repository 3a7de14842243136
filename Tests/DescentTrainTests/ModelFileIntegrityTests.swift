import DescentData
import DescentFiles
import DescentNN
import DescentTensor
import DescentTrain
import Foundation
import XCTest

/// A model file is checked when loaded: the SHA-256 of each tensor recorded when it was saved must match
/// (a bit flip anywhere in the tensor data is refused, naming the tensor), and no weight may be NaN or
/// infinite; a file without checksums (another tool's) still loads, marked as not verified.
final class ModelFileIntegrityTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-integrity-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    private let architecture = ModelArchitecture.multilayerPerceptron(inputSize: 4, hiddenSizes: [8], outputSize: 3)

    private func card() -> ModelCard {
        ModelCard(architecture: architecture, task: .classification, featureNames: ["a", "b", "c", "d"], standardizer: nil,
                  classNames: ["x", "y", "z"], targetName: "t")
    }

    private func savedModel(_ name: String, editing edit: ((Sequential) throws -> Void)? = nil) throws -> String {
        var generator = SeededGenerator(seed: 7)
        let model = try architecture.makeModel(using: &generator)
        try edit?(model)
        let path = directory + "/" + name
        try ModelFile.save(model, card: card(), to: path)
        return path
    }

    func testEveryTensorsBytesAreRecordedAsSha256sumWouldPrintThem() throws {
        let path = try savedModel("m.safetensors")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try Safetensors.readHeader(path: path)
        let recorded = try XCTUnwrap(ModelFile.load(path: path).tensorChecksums)
        XCTAssertEqual(Set(recorded.keys), ["0.weight", "0.bias", "2.weight", "2.bias"])
        for info in header.tensors {
            // The digest of the tensor's byte range in the file (what `dd … | sha256sum` prints), by the FIPS-checked SHA256.
            let start = 8 + header.headerByteCount + info.dataOffsets.lowerBound
            XCTAssertEqual(recorded[info.name], SHA256.hex(bytes[start..<(start + info.dataOffsets.count)]), info.name)
        }
    }

    func testFiftyRandomBitFlipsInTheTensorDataAreAllRefusedNamingTheTensor() throws {
        // Was: 49 of 50 flips changed predictions silently.
        let path = try savedModel("m.safetensors")
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try Safetensors.readHeader(path: path)
        let dataStart = 8 + header.headerByteCount
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<50 {
            let offset = Int.random(in: 0..<(original.count - dataStart), using: &generator)
            let bit = UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
            var damaged = original
            damaged[dataStart + offset] ^= bit
            let flipped = directory + "/flipped.safetensors"
            try Data(damaged).write(to: URL(fileURLWithPath: flipped))
            let owner = try XCTUnwrap(header.tensors.first { $0.dataOffsets.contains(offset) }).name
            XCTAssertThrowsError(try ModelFile.load(path: flipped), "byte \(offset) bit \(bit)") { error in
                XCTAssertEqual(error as? ModelFileError, .damagedTensor(file: flipped, tensor: owner))
                XCTAssertTrue("\(error)".hasPrefix(flipped + ": tensor \(owner) does not match the checksum"), "\(error)")
            }
        }
    }

    func testANaNOrInfiniteWeightIsRefusedNamingTheTensorAndElement() throws {
        for (value, word) in [(Float.nan, "NaN"), (Float.infinity, "+infinity"), (-Float.infinity, "-infinity")] {
            // Saved by Descent with its checksums (the checksums match: the weight itself is wrong).
            let path = try savedModel("bad.safetensors") { model in
                var weight = try XCTUnwrap(model.stateDictionary["2.weight"])
                var scalars = weight.scalars
                scalars[5] = value
                weight = try Tensor(shape: weight.shape, scalars: scalars)
                _ = try model.load(parameters: ["2.weight": weight], strict: false)
            }
            XCTAssertThrowsError(try ModelFile.load(path: path)) { error in
                guard case let .nonFiniteWeight(file, tensor, element, _)? = error as? ModelFileError else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual([file, tensor], [path, "2.weight"])
                XCTAssertEqual(element, 5)
                XCTAssertTrue("\(error)".contains("tensor 2.weight holds \(word) at element 5"), "\(error)")
            }
        }
        // Another tool's file (no checksums) with a NaN: refused the same way.
        let tensors = ["w": try Tensor(shape: [2], scalars: [1, .nan])]
        let foreign = directory + "/foreign.safetensors"
        try Safetensors.save(tensors, metadata: ["format": "pt"], to: foreign)
        XCTAssertThrowsError(try ModelFile.load(path: foreign)) { error in
            XCTAssertEqual("\(error)", ModelFileError.nonFiniteWeight(file: foreign, tensor: "w", element: 1, value: .nan).description)
            XCTAssertTrue("\(error)".contains("tensor w holds NaN at element 1"), "\(error)")
        }
    }

    func testAFileWithoutChecksumsLoadsUnverified() throws {
        var generator = SeededGenerator(seed: 7)
        let model = try architecture.makeModel(using: &generator)
        let path = directory + "/old.safetensors"
        // The card without checksums, as an older Descent (or another tool writing Descent's card) saved it.
        try Safetensors.save(model.stateDictionary, metadata: try card().metadata(), to: path)
        let file = try ModelFile.load(path: path)
        XCTAssertNil(file.tensorChecksums)
        XCTAssertEqual(file.card, card())
        XCTAssertEqual(try ModelPredictor(file).outputs(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])).scalars,
                       try model(Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])).scalars)
    }

    func testAChecksumListThatDoesNotFitTheTensorsIsRefused() throws {
        var generator = SeededGenerator(seed: 7)
        let model = try architecture.makeModel(using: &generator)
        let good = Safetensors.tensorSHA256(model.stateDictionary)
        let key = ModelCard.Key.tensorChecksums
        func load(_ checksums: String) throws -> ModelFile {
            let path = directory + "/listed.safetensors"
            var metadata = try card().metadata()
            metadata[key] = checksums
            try Safetensors.save(model.stateDictionary, metadata: metadata, to: path)
            return try ModelFile.load(path: path)
        }
        func text(_ map: [String: String]) -> String {
            "{" + map.keys.sorted().map { "\"\($0)\":\"\(map[$0]!)\"" }.joined(separator: ",") + "}"
        }
        XCTAssertEqual(try load(text(good)).tensorChecksums, good)
        var missing = good
        missing["2.bias"] = nil
        XCTAssertThrowsError(try load(text(missing))) { XCTAssertTrue("\($0)".contains("no checksum for tensor 2.bias"), "\($0)") }
        var extra = good
        extra["3.weight"] = good["2.bias"]
        XCTAssertThrowsError(try load(text(extra))) { XCTAssertTrue("\($0)".contains("3.weight, which the file does not hold"), "\($0)") }
        XCTAssertThrowsError(try load("[1, 2]")) { XCTAssertTrue("\($0)".contains("not a JSON object"), "\($0)") }
        var short = good
        short["0.bias"] = "abc"
        XCTAssertThrowsError(try load(text(short))) { XCTAssertTrue("\($0)".contains("0.bias is not 64 hexadecimal digits"), "\($0)") }
    }

    // MARK: the metadata's checksum (hostile pass 3)

    func testTheMetadataChecksumIsTheDocumentedDigest() throws {
        // From Python: sha256(b"".join(b"%d:%s%d:%s" % (len(k), k, len(v), v) for k, v in sorted(m.items()))) over the
        // map without its own key (UTF-8 lengths: "é" is 2 bytes).
        let map = ["format": "pt", "descent.task": "classification", "descent.metadata_sha256": "ignored", "é": "x"]
        XCTAssertEqual(ModelFile.metadataSHA256(map), "abaf370fe61f8f14a30c97e97d973bc448371cb8d4a868a3defb14dd6ed9b221")
    }

    func testEveryBitFlipInTheMetadataIsRefusedOrChangesNothing() throws {
        // Was: 105 of the 1 928 header bytes of an iris model could be flipped without a word: a digit of the
        // standardisation's mean (every prediction shifted), a class label, or the key `descent.standardizer`
        // itself (the model then read raw features).
        var generator = SeededGenerator(seed: 7)
        let model = try architecture.makeModel(using: &generator)
        var card = card()
        card.standardizer = try Standardizer(mean: [5.84, 3.05, 3.76, 1.2], standardDeviation: [0.83, 0.43, 1.76, 0.76])
        let path = directory + "/m.safetensors"
        try ModelFile.save(model, card: card, to: path)
        let saved = try ModelFile.load(path: path)
        XCTAssertTrue(saved.metadataVerified)
        XCTAssertEqual(saved.card, card)
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let header = try Safetensors.readHeader(path: path)
        let flipped = directory + "/flipped.safetensors"
        var silent = 0
        for offset in 8..<(8 + header.headerByteCount) {
            var bytes = original
            bytes[offset] ^= 0x01
            try Data(bytes).write(to: URL(fileURLWithPath: flipped))
            guard let loaded = try? ModelFile.load(path: flipped) else { continue }
            // Loaded: only a flip in the checksum's own key name may do that, and then the card is the saved one, unverified.
            XCTAssertEqual(loaded.card, card, "a flip at byte \(offset) changed the card without an error")
            XCTAssertFalse(loaded.metadataVerified, "byte \(offset)")
            silent += 1
        }
        XCTAssertEqual(silent, ModelCard.Key.metadataChecksum.utf8.count)
    }

    func testAChangedStandardizationIsRefusedInWords() throws {
        var generator = SeededGenerator(seed: 7)
        let model = try architecture.makeModel(using: &generator)
        var metadata = try card().metadata()
        metadata[ModelCard.Key.metadataChecksum] = ModelFile.metadataSHA256(metadata)
        metadata[ModelCard.Key.standardizer] = #"{"mean":[1,2,3,4],"standard_deviation":[1,1,1,1]}"#
        let path = directory + "/edited.safetensors"
        try Safetensors.save(model.stateDictionary, metadata: metadata, to: path)
        XCTAssertThrowsError(try ModelFile.load(path: path)) { error in
            XCTAssertEqual(error as? ModelFileError, .damagedMetadata(file: path))
            XCTAssertTrue("\(error)".contains("its metadata (the model card: standardisation, features, classes) does not match the checksum"), "\(error)")
        }
        // Without the checksum (an older descent's file) it loads, marked as not verified.
        metadata[ModelCard.Key.metadataChecksum] = nil
        try Safetensors.save(model.stateDictionary, metadata: metadata, to: path)
        XCTAssertFalse(try ModelFile.load(path: path).metadataVerified)
    }
}
