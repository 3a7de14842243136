import DescentTune
import XCTest

final class SearchSpaceParserTests: XCTestCase {
    func testParsesEveryKindWithAliases() throws {
        let space = try SearchSpace(parsing: "lr=loguniform(1e-5,1); batch_size=choice(16,32,64); optimizer=choice(adam,sgd); x=uniform(-1, 2.5); n=int(1,8); w=logint(16,256)",
                                    aliases: ["lr": "learning_rate"])
        XCTAssertEqual(space.parameters.map(\.name), ["learning_rate", "batch_size", "optimizer", "x", "n", "w"])
        XCTAssertEqual(space["learning_rate"], .float(low: 1e-5, high: 1, log: true))
        XCTAssertEqual(space["batch_size"], .categorical(["16", "32", "64"]))
        XCTAssertEqual(space["x"], .float(low: -1, high: 2.5, log: false))
        XCTAssertEqual(space["n"], .int(low: 1, high: 8, log: false))
        XCTAssertEqual(space["w"], .int(low: 16, high: 256, log: true))
        // The text form reads back to the same space.
        XCTAssertEqual(try SearchSpace(parsing: space.textForm), space)
    }

    private func error(_ text: String, allowed: Set<String>? = nil) -> SearchSpaceError? {
        do {
            _ = try SearchSpace(parsing: text, aliases: ["lr": "learning_rate"], allowedNames: allowed)
            return nil
        } catch let error as SearchSpaceError {
            return error
        } catch {
            return nil
        }
    }

    func testErrorsPointAtTheColumn() {
        // Column numbers are 1-based positions in the text.
        let unknownKind = error("lr=lognormal(1,2)")
        XCTAssertEqual(unknownKind?.column, 4)
        XCTAssertTrue(unknownKind?.message.contains("unknown distribution 'lognormal'") ?? false)

        let reversed = error("lr=uniform(2,1)")
        XCTAssertEqual(reversed?.column, 12)
        XCTAssertTrue(reversed?.message.contains("above high") ?? false)

        let logZero = error("a=uniform(0,1); lr=loguniform(0,1)")
        XCTAssertEqual(logZero?.column, 31)
        XCTAssertTrue(logZero?.message.contains("log bounds must be > 0") ?? false)

        let unknownName = error("lr=uniform(0.1,1); colour=choice(red)", allowed: ["learning_rate"])
        XCTAssertEqual(unknownName?.column, 20)
        XCTAssertTrue(unknownName?.message.contains("unknown parameter 'colour'") ?? false)

        XCTAssertEqual(error("lr=uniform(0.1,x)")?.column, 16)
        XCTAssertEqual(error("lr=int(1,2.5)")?.column, 10)
        XCTAssertEqual(error("lr")?.column, 1)
        XCTAssertEqual(error("lr=uniform(0.1,1); lr=uniform(0.1,1)")?.column, 20)
        XCTAssertNotNil(error(""))
        XCTAssertNotNil(error("lr=uniform(1,2) junk"))
        XCTAssertNotNil(error("lr=choice(a,a)"))
        XCTAssertNotNil(error("lr=uniform(1,inf)"))
    }
}
