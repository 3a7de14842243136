import DescentOptim
@testable import DescentTrain
import Foundation
import XCTest

/// The run specification: coded flat under the flags' names, every field range-checked with errors
/// naming it, read from text as flags are, and compared field by field.
final class RunSpecificationTests: XCTestCase {
    private func iris() -> RunSpecification {
        var spec = RunSpecification(dataset: "iris")
        spec.hidden = [32, 16]
        spec.optimizer = .sgd
        spec.learningRate = .fixed(0.05)
        spec.schedule = "warmup(10) >> cosine"
        spec.patience = 3
        spec.saveWeights = "iris.safetensors"
        return spec
    }

    func testItRoundTripsThroughJSONUnderTheFlagsNames() throws {
        let spec = iris()
        let text = try spec.jsonText()
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(object["hidden"] as? [Int], [32, 16])
        XCTAssertEqual(object["learning_rate"] as? Double, 0.05)
        XCTAssertEqual(object["no_standardize"] as? Bool, false)
        XCTAssertEqual(object["save_weights"] as? String, "iris.safetensors")
        XCTAssertNil(object["csv"], "unset fields are left out")
        XCTAssertEqual(try RunSpecification(jsonText: text), spec)

        var automatic = spec
        automatic.learningRate = .automatic(chosen: 0.0123)
        let written = try automatic.jsonText()
        XCTAssertTrue(written.contains(#""learning_rate":"auto""#), written)
        XCTAssertTrue(written.contains(#""chosen_learning_rate":0.0123"#), written)
        XCTAssertEqual(try RunSpecification(jsonText: written).learningRate, .automatic(chosen: 0.0123))
        // Either spelling of a key; a key that is no field is named.
        XCTAssertEqual(try RunSpecification(jsonText: #"{"dataset": "iris", "batch-size": 8}"#).batchSize, 8)
        XCTAssertThrowsError(try RunSpecification(jsonText: #"{"dataset": "iris", "epoch": 8}"#)) { error in
            XCTAssertEqual((error as? RunSpecificationError)?.field, "epoch")
        }
    }

    func testEveryRangeCheckNamesItsField() {
        let cases: [(String, (inout RunSpecification) -> Void)] = [
            ("epochs", { $0.epochs = 0 }), ("batch_size", { $0.batchSize = 0 }),
            ("validation_fraction", { $0.validationFraction = 1 }), ("patience", { $0.patience = 0 }),
            ("weight_decay", { $0.weightDecay = -1 }), ("momentum", { $0.momentum = 1 }),
            ("plateau_patience", { $0.plateauPatience = -1 }), ("plateau_factor", { $0.plateauFactor = 1 }),
            ("learning_rate", { $0.learningRate = .fixed(0) }), ("learning_rate", { $0.learningRate = .fixed(.infinity) }),
            ("hidden", { $0.hidden = [64, 0] }), ("channels", { $0.channels = [] }), ("channels", { $0.channels = [5000] }),
            ("dataset", { $0.dataset = nil }), ("dataset", { $0.csv = "x.csv" }), ("dataset", { $0.dataset = "nope" }),
            ("target", { $0.target = "y" }), ("task", { $0.task = .regression }),
            ("idx_labels", { $0.dataset = nil; $0.idxImages = "images" }), ("schedule", { $0.schedule = " " }),
        ]
        XCTAssertNoThrow(try iris().validate())
        for (field, change) in cases {
            var spec = iris()
            change(&spec)
            XCTAssertThrowsError(try spec.validate(), field) { error in
                XCTAssertEqual((error as? RunSpecificationError)?.field, field, "\(error)")
            }
        }
        XCTAssertEqual(RunSpecificationError(field: "batch_size", reason: "must be positive").flagDescription,
                       "--batch-size must be positive")
    }

    func testFieldsReadTextAsTheirFlagsDo() throws {
        var spec = RunSpecification(dataset: "iris")
        try spec.set("hidden", text: "64,32")
        try spec.set("hidden", text: "")
        XCTAssertEqual(spec.hidden, [])
        try spec.set("batch-size", text: "16")
        try spec.set("learning_rate", text: "auto")
        try spec.set("optimizer", text: "schedule-free-adamw")
        try spec.set("no_standardize", text: "true")
        try spec.set("seed", text: "18446744073709551615")
        XCTAssertEqual(spec.batchSize, 16)
        XCTAssertEqual(spec.learningRate, .automatic(chosen: nil))
        XCTAssertEqual(spec.optimizer, .scheduleFreeAdamW)
        XCTAssertFalse(spec.standardize)
        XCTAssertEqual(spec.seed, .max)
        // A rate-free optimizer with an automatic rate keeps a constant schedule; another takes one-cycle.
        XCTAssertEqual(spec.scheduleText, "constant")
        spec.optimizer = .adam
        XCTAssertEqual(spec.scheduleText, "cosine")
        for (key, text) in [("hidden", "64,,32"), ("batch_size", "x"), ("optimizer", "adamx"), ("model", "rnn"), ("learning_rate", "-1")] {
            XCTAssertThrowsError(try spec.set(key, text: text), key) { error in
                XCTAssertEqual((error as? RunSpecificationError)?.field, key, "\(error)")
            }
        }
    }

    func testDifferencesAndArgumentsFollowTheFieldsRoles() {
        let spec = iris()
        var other = spec
        other.epochs = 40
        other.saveWeights = "elsewhere.safetensors"
        XCTAssertEqual(spec.differences(from: other), [], "neither the length nor an output shapes the weights")
        XCTAssertEqual(spec.differences(from: other, roles: [.length, .output]), ["epochs", "save_weights"])
        other.hidden = [8]
        other.seed = 3
        XCTAssertEqual(spec.differences(from: other), ["hidden", "seed"])
        XCTAssertEqual(spec.arguments(roles: [.shapesTheRun]),
                       ["--dataset", "iris", "--hidden", "32,16", "--optimizer", "sgd", "--learning-rate", "0.05",
                        "--schedule", "warmup(10) >> cosine", "--patience", "3"])
        XCTAssertNil(spec.withoutOutputs.saveWeights)
    }

    /// The registry's facts are the reference implementations' defaults (PyTorch, schedulefree, prodigyopt).
    func testTheOptimizerRegistryCarriesEachRulesFacts() throws {
        XCTAssertEqual(OptimizerRegistry.adamw.referenceLearningRate, 1e-3)
        XCTAssertEqual(OptimizerRegistry.rmsprop.referenceLearningRate, 1e-2)
        XCTAssertEqual(OptimizerRegistry.scheduleFreeAdamW.referenceLearningRate, 2.5e-3)
        XCTAssertNil(OptimizerRegistry.sgd.referenceLearningRate)
        XCTAssertEqual(OptimizerRegistry.allCases.filter(\.isLearningRateFree), [.scheduleFreeAdamW, .prodigy])
        XCTAssertEqual(OptimizerRegistry.sgd.family, .momentumSGD)
        XCTAssertEqual(OptimizerRegistry(referenceName: "AdamW"), .adamw)
        XCTAssertEqual(OptimizerRegistry(referenceName: "ScheduleFreeAdamW"), .scheduleFreeAdamW)
        XCTAssertNil(OptimizerRegistry(referenceName: "Lion"))
        struct Name: OptimizerRuleTask { func run<Rule: OptimizerRule>(_ rule: Rule) throws -> String { "\(Rule.self)" } }
        XCTAssertEqual(try OptimizerRegistry.allCases.map { try $0.withRule(Name(), momentum: 0.9) },
                       ["SGD", "Adam", "AdamW", "RMSprop", "ScheduleFreeAdamW", "Prodigy"])
    }
}

extension RunSpecificationTests {
    /// Format version 2 stores the run under `descent.run`; a file of version 1 (written before, without it) still loads.
    func testAModelCardStoresTheRunAndFilesOfVersionOneStillLoad() throws {
        var card = ModelCard(architecture: .multilayerPerceptron(inputSize: 2, hiddenSizes: [], outputSize: 1), task: .regression,
                             featureNames: ["a", "b"], standardizer: nil, classNames: nil, targetName: "y")
        card.specification = iris().withoutOutputs
        var metadata = try card.metadata()
        XCTAssertEqual(metadata["descent.format_version"], "2")
        XCTAssertEqual(try ModelCard(metadata: metadata, source: "m").specification, card.specification)
        XCTAssertEqual(try ModelCard(metadata: metadata, source: "m"), card)
        // Written the old way: version 1, no run.
        metadata["descent.format_version"] = "1"
        metadata["descent.run"] = nil
        let old = try ModelCard(metadata: metadata, source: "m")
        XCTAssertEqual(old.formatVersion, 1)
        XCTAssertNil(old.specification)
        XCTAssertEqual(old.featureNames, ["a", "b"])
        // A damaged run is named by its key and field.
        metadata["descent.run"] = #"{"epochs": "many"}"#
        XCTAssertThrowsError(try ModelCard(metadata: metadata, source: "m")) { error in
            XCTAssertTrue("\(error)".contains("descent.run") && "\(error)".contains("epochs"), "\(error)")
        }
    }
}
