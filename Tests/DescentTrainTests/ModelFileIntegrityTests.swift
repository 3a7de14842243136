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
}
