import XCTest
import DescentTensor
import DescentNN

/// `Embedding` and `TabularInput` against PyTorch's `nn.Embedding` (Fixtures/embeddings.json,
/// scripts/generate_nn_fixtures.py): outputs and the gradients of sum(output × probe), repeated indices included.
final class EmbeddingFixtureTests: XCTestCase {
    struct EmbeddingFixture: Decodable {
        let weight: FixtureTensor, indices: FixtureTensor, probe: FixtureTensor, output: FixtureTensor, weightGradient: FixtureTensor
    }
    struct TabularInputFixture: Decodable {
        let dense: FixtureTensor, codes: FixtureTensor, tables: [FixtureTensor], probe: FixtureTensor, output: FixtureTensor
        let denseGradient: FixtureTensor, tableGradients: [FixtureTensor]
    }
    struct File: Decodable { let embedding: EmbeddingFixture; let tabularInput: TabularInputFixture }

    private var fixture: File!
    override func setUpWithError() throws { fixture = try loadFixture("embeddings", as: File.self) }

    func testEmbeddingOutputAndGradientMatchPyTorch() throws {
        let reference = fixture.embedding
        var generator = SeededGenerator(seed: 0)
        let embedding = try Embedding(count: 7, dimension: 3, using: &generator)
        try embedding.load(parameters: ["weight": reference.weight.tensor])
        let indices = reference.indices.tensor
        assertClose(try embedding(indices), reference.output, "embedding output")
        let (_, gradients) = try valueWithGradient(at: embedding) { try ($0(indices) * reference.probe.tensor).sum() }
        // Row 4 is used three times: its gradient is the sum of three probe rows; rows 3 and 5 are unused: zero.
        assertClose(try XCTUnwrap(gradients["weight"]), reference.weightGradient, "embedding weight gradient")
    }

    func testTabularInputMatchesPyTorchConcatenationOfEmbeddings() throws {
        let reference = fixture.tabularInput
        var generator = SeededGenerator(seed: 0)
        let layer = try TabularInput(denseWidth: 2, tables: [(5, 2), (4, 3)], using: &generator)
        XCTAssertEqual(layer.namedParameters.map(\.name), ["tables.0.weight", "tables.1.weight"])
        try layer.load(parameters: ["tables.0.weight": reference.tables[0].tensor, "tables.1.weight": reference.tables[1].tensor])
        let input = try Tensor.concatenate([reference.dense.tensor, reference.codes.tensor], alongAxis: 1)
        assertClose(try layer(input), reference.output, "tabular input output")
        let (_, gradients) = try valueWithGradient(at: layer) { try ($0(input) * reference.probe.tensor).sum() }
        assertClose(try XCTUnwrap(gradients["tables.0.weight"]), reference.tableGradients[0], "table 0 gradient")
        assertClose(try XCTUnwrap(gradients["tables.1.weight"]), reference.tableGradients[1], "table 1 gradient")
        let (_, inputGradient) = try valueWithGradient(at: input) { try (layer($0) * reference.probe.tensor).sum() }
        assertClose(try inputGradient.slice(alongAxis: 1, 0..<2), reference.denseGradient, "dense input gradient")
    }

    func testUnknownRowStartsAtZeroAndCodesAreChecked() throws {
        var generator = SeededGenerator(seed: 3)
        let layer = try TabularInput(denseWidth: 1, tables: [(4, 2)], using: &generator)
        XCTAssertEqual(Array(layer.tables[0].weight.value.scalars.prefix(2)), [0, 0])
        XCTAssertEqual(try layer(Tensor(shape: [1, 2], scalars: [0.5, 0])).scalars, [0.5, 0, 0])
        XCTAssertThrowsError(try layer(Tensor(shape: [1, 2], scalars: [0.5, 4])))
        XCTAssertThrowsError(try layer(Tensor(shape: [1, 3], scalars: [0.5, 1, 1])))
    }
}
