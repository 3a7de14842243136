@testable import DescentCLI
import Foundation
import XCTest

/// `--config FILE`: TOML and YAML files turned into flags that the command line overrides, and the
/// errors that name the file and the key.
final class ConfigurationFileTests: XCTestCase {
    private func expand(_ arguments: [String], _ text: String, format: String = "toml") throws -> [String] {
        try ConfigurationArguments.expand(arguments) { path in try ConfigurationFile(text: text, format: format, path: path) }
    }

    func testTOMLKeysBecomeFlagsBeforeTheCommandLine() throws {
        let toml = """
        # a run
        dataset = "digits"
        learning_rate = 0.05
        epochs = 30
        hidden = [64, 32]
        no-standardize = true
        json = false
        seed = 7
        """
        XCTAssertEqual(try expand(["train", "--config", "run.toml"], toml), [
            "train", "--dataset=digits", "--epochs=30", "--hidden=64,32", "--learning-rate=0.05", "--no-standardize",
            "--seed=7", "--config", "run.toml",
        ])
    }

    func testTheCommandLineWinsOverTheFile() throws {
        let toml = "dataset = \"digits\"\nepochs = 30\nlearning-rate = 0.05\n"
        XCTAssertEqual(try expand(["train", "--epochs", "5", "--config=run.toml", "--learning-rate=0.1"], toml),
                       ["train", "--dataset=digits", "--epochs", "5", "--config=run.toml", "--learning-rate=0.1"])
        // A choice on the command line drops the other side of it from the file.
        XCTAssertEqual(try expand(["train", "--config", "run.toml", "--csv", "data.csv"], "dataset = \"digits\"\nepochs = 3\n"),
                       ["train", "--epochs=3", "--config", "run.toml", "--csv", "data.csv"])
        XCTAssertEqual(try expand(["train", "--dataset", "iris", "--config", "c.toml"], "csv = \"d.csv\"\ntarget = \"y\"\n"),
                       ["train", "--dataset", "iris", "--config", "c.toml"])
    }

    func testYAMLReadsTheSameAndKnowsItsLines() throws {
        let yaml = """
        dataset: digits
        learning-rate: 5e-2
        hidden: [64, 32]
        schedule: "warmup(50) >> cosine"
        epochs: 30
        json: true
        """
        XCTAssertEqual(try expand(["train", "--config", "run.yaml"], yaml, format: "yaml"), [
            "train", "--dataset=digits", "--learning-rate=0.05", "--hidden=64,32", "--schedule=warmup(50) >> cosine",
            "--epochs=30", "--json", "--config", "run.yaml",
        ])
        XCTAssertThrowsError(try expand(["train", "--config", "run.yaml"], "dataset: digits\nepochs: ten\n", format: "yaml")) { error in
            XCTAssertEqual("\(error)", "--config 'run.yaml', line 2: 'epochs' must be an integer, not the string \"ten\"")
        }
    }

    func testAnUnknownKeyIsNamedWithTheNearestKnownOne() {
        XCTAssertThrowsError(try expand(["train", "--config", "run.toml"], "learnin_rate = 0.1\n")) { error in
            XCTAssertEqual("\(error)", "--config 'run.toml': unknown key 'learnin_rate'; did you mean 'learning-rate'? "
                + "(the keys are the long flag names of the command, e.g. learning-rate)")
        }
        XCTAssertThrowsError(try expand(["train", "--config", "run.toml"], "colour = \"red\"\n")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--config 'run.toml': unknown key 'colour' (the keys"), "\(error)")
        }
    }

    func testAWrongTypeNamesTheKeyAndTheExpectedType() {
        let cases: [(String, String)] = [
            ("epochs = 2.5", "'epochs' must be an integer, not the number 2.5"),
            ("learning_rate = \"fast\"", "'learning_rate' must be a number or \"auto\", not the string \"fast\""),
            ("momentum = \"auto\"", "'momentum' must be a number, not the string \"auto\""),
            ("json = \"yes\"", "'json' must be true or false, not the string \"yes\""),
            ("dataset = 3", "'dataset' must be a string, not the integer 3"),
            ("hidden = [64, \"x\"]", "'hidden' must be a list of integers (or a string such as \"64,32\"), not a list"),
            ("[optimizer]\nname = \"sgd\"", "'optimizer' must be a string, not a table"),
        ]
        for (toml, message) in cases {
            XCTAssertThrowsError(try expand(["train", "--config", "c.toml"], toml), toml) { error in
                XCTAssertEqual("\(error)", "--config 'c.toml': " + message)
            }
        }
        XCTAssertThrowsError(try expand(["train", "--config", "c.toml"], "learning_rate = 0.1\nlearning-rate = 0.2\n")) { error in
            XCTAssertTrue("\(error)".contains("repeats"), "\(error)")
        }
    }

    func testMalformedFilesAreNamed() {
        XCTAssertThrowsError(try expand(["train", "--config", "c.toml"], "epochs = = 3\n")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--config 'c.toml', line 1: not valid TOML at column"), "\(error)")
        }
        XCTAssertThrowsError(try expand(["train", "--config", "c.yaml"], "epochs: [1, 2\n", format: "yaml")) { error in
            XCTAssertTrue("\(error)".hasPrefix("--config 'c.yaml', line 2: not valid YAML: "), "\(error)")  // the line is named
        }
        XCTAssertThrowsError(try expand(["train", "--config", "c.yaml"], "- 1\n- 2\n", format: "yaml")) { error in
            XCTAssertTrue("\(error)".contains("must be a mapping"), "\(error)")
        }
        XCTAssertThrowsError(try ConfigurationArguments.expand(["train", "--config", "/nonexistent/run.toml"])) { error in
            XCTAssertEqual("\(error)", "--config '/nonexistent/run.toml': no such file")
        }
        XCTAssertThrowsError(try ConfigurationArguments.expand(["train", "--config", "run.json"])) { error in
            XCTAssertEqual("\(error)", "--config 'run.json': unknown format '.json': give a .toml, .yaml or .yml file")
        }
        XCTAssertThrowsError(try expand(["train", "--config", "a.toml", "--config", "b.toml"], "")) { error in
            XCTAssertTrue("\(error)".contains("given 2 times"), "\(error)")
        }
    }

    func testOtherCommandsAndCommandLinesWithoutConfigAreUntouched() throws {
        XCTAssertEqual(try expand(["inspect", "--config", "x.toml"], "bad = = toml"), ["inspect", "--config", "x.toml"])
        XCTAssertEqual(try expand(["train", "--dataset", "iris"], "bad = = toml"), ["train", "--dataset", "iris"])
        XCTAssertEqual(try expand([], ""), [])
    }

    /// Every long flag of `train` is a configuration key, and every key a flag.
    func testTheKeysAreExactlyTrainsFlags() throws {
        let result = try CommandLineRunner.run(["train", "--experimental-dump-help"])
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let command = try XCTUnwrap(object["command"] as? [String: Any])
        let arguments = try XCTUnwrap(command["arguments"] as? [[String: Any]])
        var flags: [String: String] = [:]
        for argument in arguments {
            let names = (argument["names"] as? [[String: String]]) ?? []
            guard let long = names.first(where: { $0["kind"] == "long" })?["name"] else { continue }
            flags[long] = argument["kind"] as? String
        }
        for excluded in ["help", "version", "config"] { flags[excluded] = nil }
        let keys = TrainCommand.configurationKeys.kinds
        XCTAssertEqual(Set(keys.keys), Set(flags.keys))
        for (name, kind) in keys {
            XCTAssertEqual(kind == .flag, flags[name] == "flag", "\(name): a flag in one, an option in the other")
        }
    }
}

extension ConfigurationFileTests {
    /// A flag the table does not list yet (added by another change) still works from a file, checked by the parser.
    func testAFlagMissingFromTheTableIsStillAccepted() throws {
        var keys = TrainCommand.configurationKeys
        keys.kinds["epochs"] = nil
        keys.kinds["json"] = nil
        let file = try ConfigurationFile(text: "epochs = 3\njson = true\nepoch = 2\n", format: "toml", path: "c.toml")
        XCTAssertThrowsError(try ConfigurationArguments.flags(from: file, keys: keys, commandLine: [])) { error in
            XCTAssertTrue("\(error)".contains("unknown key 'epoch'"), "\(error)")
        }
        let valid = try ConfigurationFile(text: "epochs = 3\njson = true\n", format: "toml", path: "c.toml")
        XCTAssertEqual(try ConfigurationArguments.flags(from: valid, keys: keys, commandLine: []), ["--epochs=3", "--json"])
        XCTAssertEqual(ConfigurationArguments.declaredKeys(of: TrainCommand.self)["no-guard"], .flag)
        XCTAssertEqual(ConfigurationArguments.declaredKeys(of: TrainCommand.self)["learning-rate"], .any)
        XCTAssertNil(ConfigurationArguments.declaredKeys(of: TrainCommand.self)["config"])
    }
}
