import DescentData
import DescentTensor
import XCTest

/// `Targets.relabeled(to:)`: a warm start keeps each class on the saved model's output for it.
final class TargetsRelabelingTests: XCTestCase {
    func testClassesTakeTheirPositionInTheGivenNames() throws {
        let targets = try Targets.classes([0, 1, 0, 1], names: ["b", "c"]).relabeled(to: ["a", "b", "c"])
        XCTAssertEqual(targets.classIndices, [1, 2, 1, 2])
        XCTAssertEqual(targets.classNames, ["a", "b", "c"])
        let reordered = try Targets.classes([0, 1, 2], names: ["x", "y", "z"]).relabeled(to: ["z", "x", "y"])
        XCTAssertEqual(reordered.classIndices, [1, 2, 0])
    }

    func testAClassOutsideTheNamesIsAnErrorNamingIt() {
        XCTAssertThrowsError(try Targets.classes([0, 1], names: ["a", "q"]).relabeled(to: ["a", "b"])) { error in
            XCTAssertTrue("\(error)".contains("\"q\""), "\(error)")
        }
    }

    func testRegressionTargetsAreUnchanged() throws {
        let values = Targets.values(Tensor([1, 2, 3]))
        XCTAssertEqual(try values.relabeled(to: ["a"]).tensor.scalars, [1, 2, 3])
    }
}
