@testable import DescentCLI
@testable import DescentCLIShared
@testable import DescentCLITrain
import Foundation
import Descent
import XCTest

/// `--config FILE`: TOML, YAML and JSON files decoded straight into a run specification, the command line's flags
/// over it, and the errors that name the file and the key.
final class ConfigurationFileTests: XCTestCase {
    /// The run `arguments`' `--config` file (of `text`) describes, merged with the flags given as `train` does.
    private func load(_ arguments: [String], _ text: String, format: String = "toml") throws -> ConfigurationArguments.Loaded? {
        try ConfigurationArguments.load(arguments) { path in try ConfigurationFile(text: text, format: format, path: path) }
    }

    /// The run `train` parses from `arguments` with its `--config` file of `text` (as `descent` parses it: the file read first).
    private func merged(_ arguments: [String], _ text: String, format: String = "toml") throws -> RunSpecification? {
        guard let loaded = try load(arguments, text, format: format) else { return nil }
        let command = try ConfigurationArguments.$current.withValue(loaded) { try TrainCommand.parse(Array(arguments.dropFirst())) }
        return try command.specification()
    }

    func testTOMLDecodesIntoTheSpecification() throws {
        let toml = """
        # a run
        dataset = "digits"
        learning_rate = 0.05
        epochs = 30
        hidden = [64, 32]
        no-standardize = true
        seed = 7
        """
        let loaded = try XCTUnwrap(load(["train", "--config", "run.toml"], toml))
        var expected = RunSpecification(dataset: "digits")
        (expected.learningRate, expected.epochs, expected.hidden, expected.standardize, expected.seed) = (.fixed(0.05), 30, [64, 32], false, 7)
        XCTAssertEqual(loaded.specification, expected)
        XCTAssertEqual(loaded.keys, ["dataset", "epochs", "hidden", "learning_rate", "no_standardize", "seed"])
        XCTAssertEqual(loaded.given, [])
    }

    func testTheCommandLineWinsOverTheFile() throws {
        let toml = "dataset = \"digits\"\nepochs = 30\nlearning-rate = 0.05\nno_guard = true\n"
        let run = try XCTUnwrap(merged(["train", "--epochs", "5", "--config=run.toml", "--learning-rate=0.1"], toml))
        XCTAssertEqual(run.dataset, "digits")
        XCTAssertEqual(run.epochs, 5)
        XCTAssertEqual(run.learningRate, .fixed(0.1))
        XCTAssertFalse(run.divergenceGuard, "the file's no_guard stays")
        // The command line's --epochs 20 (train's default) still wins over the file's 30.
        XCTAssertEqual(try merged(["train", "--config", "run.toml", "--epochs", "20"], toml)?.epochs, 20)
        // A choice of data source on the command line drops the other side of it from the file.
        let csv = try XCTUnwrap(merged(["train", "--config", "run.toml", "--csv", "data.csv"], "dataset = \"digits\"\nepochs = 3\n"))
        XCTAssertEqual([csv.dataset, csv.csv], [nil, "data.csv"])
        XCTAssertEqual(csv.epochs, 3)
        let bundled = try XCTUnwrap(merged(["train", "--dataset", "iris", "--config", "c.toml"],
                                           "csv = \"d.csv\"\ntarget = \"y\"\ncategorical = \"a\"\nmin_category_count = 2\n"))
        XCTAssertEqual([bundled.dataset, bundled.csv, bundled.target, bundled.categorical], ["iris", nil, nil, nil])
        XCTAssertEqual(bundled.minCategoryCount, 5)
    }

    func testYAMLReadsTheSameAndKnowsItsLines() throws {
        let yaml = """
        dataset: digits
        learning-rate: 5e-2
        hidden: [64, 32]
        schedule: "warmup(50) >> cosine"
        epochs: 30
        categorical: [a, b]
        """
        let loaded = try XCTUnwrap(load(["train", "--config", "run.yaml"], yaml, format: "yaml"))
        XCTAssertEqual(loaded.specification.learningRate, .fixed(0.05))
        XCTAssertEqual(loaded.specification.schedule, "warmup(50) >> cosine")
        XCTAssertEqual(loaded.specification.categorical, "a,b")
        XCTAssertThrowsError(try load(["train", "--config", "run.yaml"], "dataset: digits\nepochs: ten\n", format: "yaml")) { error in
            XCTAssertEqual("\(error)", "--config 'run.yaml', line 2: 'epochs' must be a whole number, got 'ten'")
        }
    }

    func testAnUnknownKeyIsNamedWithTheNearestKnownOne() {
        XCTAssertThrowsError(try load(["train", "--config", "run.toml"], "learnin_rate = 0.1\n")) { error in
            XCTAssertEqual("\(error)", "--config 'run.toml': unknown key 'learnin_rate'; did you mean 'learning_rate'? "
                + "(the keys are the fields of a run: descent train's long flags, e.g. learning_rate)")
        }
        XCTAssertThrowsError(try load(["train", "--config", "run.toml"], "colour = \"red\"\n")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--config 'run.toml': unknown key 'colour' (the keys"), "\(error)")
        }
    }

    func testAWrongTypeNamesTheKeyAndTheExpectedType() {
        let cases: [(String, String)] = [
            ("epochs = 2.5", "'epochs' must be an integer, not the number 2.5"),
            ("learning_rate = \"fast\"", "'learning_rate' must be a positive number or auto, got 'fast'"),
            ("momentum = \"auto\"", "'momentum' must be a number, got 'auto'"),
            ("no_guard = \"yes\"", "'no_guard' must be true or false, not the string \"yes\""),
            ("dataset = 3", "'dataset' must be text, not the integer 3"),
            ("hidden = [64, \"x\"]", "'hidden' must be a list of integers (or a string such as \"64,32\"), not a list"),
            ("[optimizer]\nname = \"sgd\"", "'optimizer' must be one of \(OptimizerRegistry.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")), not a table"),
            ("json = true", "'json' is not part of a run (it is how the command runs): give --json on the command line"),
        ]
        for (toml, message) in cases {
            XCTAssertThrowsError(try load(["train", "--config", "c.toml"], toml), toml) { error in
                XCTAssertEqual("\(error)", "--config 'c.toml': " + message)
            }
        }
        XCTAssertThrowsError(try load(["train", "--config", "c.toml"], "learning_rate = 0.1\nlearning-rate = 0.2\n")) { error in
            XCTAssertTrue("\(error)".contains("repeats"), "\(error)")
        }
    }

    func testMalformedFilesAreNamed() {
        XCTAssertThrowsError(try load(["train", "--config", "c.toml"], "epochs = = 3\n")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--config 'c.toml', line 1: not valid TOML at column"), "\(error)")
        }
        XCTAssertThrowsError(try load(["train", "--config", "c.yaml"], "epochs: [1, 2\n", format: "yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--config 'c.yaml', line 2: not valid YAML: "), "\(error)")  // the line is named
        }
        XCTAssertThrowsError(try load(["train", "--config", "c.yaml"], "- 1\n- 2\n", format: "yaml")) { error in
            XCTAssertTrue("\(error)".contains("must be a mapping"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigurationArguments.load(["train", "--config", "/nonexistent/run.toml"])) { error in
            XCTAssertEqual("\(error)", "--config '/nonexistent/run.toml': no such file")
        }
        XCTAssertThrowsError(try ConfigurationArguments.load(["train", "--config", "run.ini"])) { error in
            XCTAssertEqual("\(error)", "--config 'run.ini': unknown format '.ini': give a .toml, .yaml, .yml or .json file")
        }
        XCTAssertThrowsError(try load(["train", "--config", "a.toml", "--config", "b.toml"], "")) { error in
            XCTAssertTrue("\(error)".contains("given 2 times"), "\(error)")
        }
    }

    func testMalformedJSONIsNamedByLineAndColumnInWords() {
        // Was: `not valid JSON: ParseError(message: "unexpected end of JSON", offset: 0, duplicateKey: nil)`.
        let cases = [("", "--config 'c.json': not valid JSON at line 1, column 1: unexpected end of JSON"),
                     ("{\"epochs\": 1,\n  \"epochs\": 2}", "--config 'c.json': not valid JSON at line 2, column 3: the key \"epochs\" appears twice"),
                     ("{\"név\": ]}", "--config 'c.json': not valid JSON at line 1, column 9:")]
        for (text, expected) in cases {
            XCTAssertThrowsError(try load(["train", "--config", "c.json"], text, format: "json")) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)")
                XCTAssertFalse("\(error)".contains("ParseError"), "\(error)")
            }
        }
    }

    func testOtherCommandsAndCommandLinesWithoutConfigAreUntouched() throws {
        XCTAssertNil(try load(["inspect", "--config", "x.toml"], "bad = = toml"))
        XCTAssertNil(try load(["train", "--dataset", "iris"], "bad = = toml"))
        XCTAssertNil(try load([], ""))
    }

    /// Every long flag of `train` is a field of a run (so --save-config writes it and --config reads it back), but
    /// the few that say how the command runs.
    func testEveryFlagOfTrainIsAFieldOfTheRun() throws {
        let result = try CommandLineRunner.run(["train", "--experimental-dump-help"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let command = try XCTUnwrap(object["command"] as? [String: Any])
        let arguments = try XCTUnwrap(command["arguments"] as? [[String: Any]])
        var flags: Set<String> = []
        for argument in arguments {
            let names = (argument["names"] as? [[String: String]]) ?? []
            guard let long = names.first(where: { $0["kind"] == "long" })?["name"] else { continue }
            flags.insert(long.replacingOccurrences(of: "-", with: "_"))
        }
        flags.subtract(["version"] + SpecificationFile.commandFlags)
        let fields = Set(RunSpecification.fields.map(\.key)).subtracting(["chosen_learning_rate"])
        XCTAssertEqual(flags.subtracting(fields), [], "flags of train that are no field of a run")
        XCTAssertEqual(fields.subtracting(flags), [], "fields of a run that train has no flag for")
    }

    /// `take` is the inverse of `specification()`: a run with every field away from its default goes onto the
    /// command and comes back the same (a field `take` forgot would come back at its default).
    func testEveryFieldGoesOntoTheCommandAndBack() throws {
        var spec = RunSpecification()
        spec.csv = "d.csv"; spec.target = "y"; spec.task = .regression; spec.standardize = false; spec.validationFraction = 0.3
        spec.categorical = "a"; spec.numeric = "b"; spec.ignore = "c"; spec.missingValues = ",-"; spec.minCategoryCount = 2
        spec.targetTransform = .log; spec.classWeights = .balanced; spec.folds = 3; spec.ensemble = 2
        spec.model = .cnn; spec.hidden = [8, 4]; spec.channels = [4]; spec.optimizer = .sgd; spec.learningRate = .fixed(0.2)
        spec.weightDecay = 0.01; spec.momentum = 0.5; spec.schedule = "cosine"; spec.reduceOnPlateau = true
        spec.plateauPatience = 3; spec.plateauFactor = 0.5; spec.divergenceGuard = false; spec.scaleRate = .squareRoot
        spec.threads = 3; spec.trackNoiseScale = 7; spec.trackSharpness = 9; spec.epochs = 4; spec.batchSize = 8; spec.seed = 11
        spec.patience = 2; spec.initWeights = "i.safetensors"; spec.checkpointDirectory = "ck"; spec.saveWeights = "w.safetensors"
        spec.report = "r.html"; spec.log = "l.jsonl"; spec.tensorboard = "tb"
        let defaults = RunSpecification()
        for field in RunSpecification.fields where field.role != .record && !["dataset", "idx_images", "idx_labels"].contains(field.key) {
            XCTAssertNotEqual(spec.value(of: field.key), defaults.value(of: field.key), "set \(field.key) away from its default here")
        }
        var command = try TrainCommand.parse(["--dataset", "iris"])
        command.take(spec)
        XCTAssertEqual(try command.specification(), spec)
        // idx files: the third data source.
        var images = RunSpecification()
        (images.idxImages, images.idxLabels) = ("i.idx", "l.idx")
        command.take(images)
        XCTAssertEqual(try command.specification(), images)
    }
}
