import XCTest
import DescentData
import DescentTensor

final class CSVLoaderTests: XCTestCase {
    func testParsesNumericFeaturesAndTextClassesSortedByName() throws {
        let csv = "a,b,species\n1,2.5,versicolor\n-3,4e1,setosa\n0.5,0,versicolor\n"
        let data = try Dataset.parseCSV(csv, source: "flowers.csv")
        XCTAssertEqual(data.features.shape, [3, 2])
        XCTAssertEqual(data.features.scalars, [1, 2.5, -3, 40, 0.5, 0])
        XCTAssertEqual(data.featureNames, ["a", "b"])
        XCTAssertEqual(data.targetName, "species")
        XCTAssertEqual(data.task, .classification)
        XCTAssertEqual(data.targets.classNames, ["setosa", "versicolor"])
        XCTAssertEqual(data.targets.classIndices, [1, 0, 1])
        XCTAssertEqual(try data.targets.oneHot()?.scalars, [0, 1, 1, 0, 0, 1])
        XCTAssertEqual(data.targets.tensor.scalars, [1, 0, 1])
    }

    func testTargetColumnByNameAndIntegerClassesSortedByValue() throws {
        let csv = "label,x,y\n10,1,2\n9,3,4\n10,5,6\n2,7,8\n"
        let data = try Dataset.parseCSV(csv, targetColumn: "label")
        XCTAssertEqual(data.featureNames, ["x", "y"])
        XCTAssertEqual(data.features.scalars, [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(data.targets.classNames, ["2", "9", "10"])
        XCTAssertEqual(data.targets.classIndices, [2, 1, 2, 0])
    }

    func testRegressionInferredForRealTargetsAndGivenTask() throws {
        let real = try Dataset.parseCSV("x,y\n1,0.5\n2,1.5\n3,0.5\n")
        XCTAssertEqual(real.task, .regression)
        guard case let .values(values) = real.targets else { return XCTFail("expected values") }
        XCTAssertEqual(values.scalars, [0.5, 1.5, 0.5])
        // Integer targets that repeat would be inferred as classes; a given task wins.
        let forced = try Dataset.parseCSV("x,y\n1,3\n2,3\n3,4\n", task: .regression)
        XCTAssertEqual(forced.task, .regression)
        XCTAssertEqual(forced.targets.tensor.scalars, [3, 3, 4])
        XCTAssertEqual(try Dataset.parseCSV("x,y\n1,3\n2,3\n3,4\n").task, .classification)
    }

    func testQuotedFieldsCRLFBlankLinesAndByteOrderMark() throws {
        let csv = "\u{FEFF}\"first, name\",\"va\"\"lue\",class\r\n\"1\",2,\"a, \"\"quoted\"\"\nlabel\"\r\n\r\n3, 4 ,b\r\n"
        let data = try Dataset.parseCSV(csv)
        XCTAssertEqual(data.featureNames, ["first, name", "va\"lue"])
        XCTAssertEqual(data.features.scalars, [1, 2, 3, 4])
        XCTAssertEqual(data.targets.classNames, ["a, \"quoted\"\nlabel", "b"])
    }

    func testNumbersParseExactlyLikeSwift() throws {
        let texts = ["0.1", "-123.456", "1e-7", "3.4028234e38", "123456789012345678901234", "0.000000000000000000000000000001",
                     "+7", "1E5", ".5", "5.", "-0", "2.2250738585072014e-308"]   // hexadecimal (0x1p-2) is refused: CSVStrictnessTests
        let csv = "x,y\n" + texts.map { "\($0),a\n" }.joined() + "0,b\n"
        let data = try Dataset.parseCSV(csv)
        let expected = texts.map { Float(Double($0)!) } + [0]
        XCTAssertEqual(data.features.scalars, expected)
    }

    func testBundledDataSetsLoadByNameWithTheirTasks() throws {
        let digits = try Datasets.load(named: "digits")
        XCTAssertEqual(digits.features.shape, [1797, 64])
        XCTAssertEqual(digits.task, .classification)
        XCTAssertEqual(digits.targets.classNames, (0...9).map(String.init))
        XCTAssertEqual(digits.features[0, 2], 5)   // first row: 0,0,5,13,...
        XCTAssertEqual(digits.targets.classIndices?.first, 0)
        let iris = try Datasets.load(named: "iris")
        XCTAssertEqual(iris.features.shape, [150, 4])
        XCTAssertEqual(iris.targets.classCount, 3)
        XCTAssertEqual(iris.featureNames, ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        let diabetes = try Datasets.load(named: "Diabetes")
        XCTAssertEqual(diabetes.features.shape, [442, 10])
        XCTAssertEqual(diabetes.task, .regression)
        XCTAssertEqual(diabetes.targets.tensor.scalars.prefix(3), [151, 75, 141])
        XCTAssertEqual(Datasets.availableNames, ["digits", "iris", "diabetes"])
    }

    func testUnknownBundledNameListsTheAvailableOnes() {
        assertDataError(try Datasets.load(named: "mnist"), contains: ["\"mnist\"", "digits, iris, diabetes"])
    }

    // MARK: Malformed files: every error names the file, and the line and column where there is one.

    func testWrongNumberOfCellsNamesTheLine() {
        assertDataError(try Dataset.parseCSV("a,b,c\n1,2,3\n4,5\n", source: "bad.csv"),
                        contains: ["bad.csv", "line 3", "expected 3 cells", "found 2"])
        assertDataError(try Dataset.parseCSV("a,b\n1,2\n\n\n3,4,5\n", source: "bad.csv"),
                        contains: ["bad.csv", "line 5", "found 3"])
    }

    func testNonNumericCellNamesLineAndColumn() {
        assertDataError(try Dataset.parseCSV("a,b,y\n1,2,0\n3,abc,1\n", source: "f.csv"),
                        contains: ["f.csv", "line 3", "column 2", "\"b\"", "\"abc\" is not a number"])
    }

    func testLineNumbersCountNewlinesInsideQuotes() {
        assertDataError(try Dataset.parseCSV("a,y\n\"1\",\"x\ny\"\nzz,1\n", source: "q.csv"),
                        contains: ["q.csv", "line 4", "column 1"])
    }

    func testNaNAndOutOfRangeValuesAreRejected() {
        assertDataError(try Dataset.parseCSV("a,b,y\n1,nan,0\n2,3,1\n", source: "n.csv"),
                        contains: ["n.csv", "line 2", "column 2", "NaN"])
        assertDataError(try Dataset.parseCSV("a,b,y\n1,2,0\n2,1e39,1\n", source: "r.csv"),
                        contains: ["r.csv", "line 3", "column 2", "out of the Float32 range"])
        assertDataError(try Dataset.parseCSV("a,b,y\n1,2,0\n-inf,1,1\n", source: "r.csv"),
                        contains: ["line 3", "column 1", "out of the Float32 range"])
        assertDataError(try Dataset.parseCSV("a,y\n1,0.5\n2,1e40\n", source: "t.csv", task: .regression),
                        contains: ["t.csv", "line 3", "column 2", "\"y\"", "out of the Float32 range"])
    }

    func testEmptyCellsAreMissingValues() {
        assertDataError(try Dataset.parseCSV("a,b,y\n1,,0\n", source: "m.csv"),
                        contains: ["m.csv", "line 2", "column 2", "empty cell"])
        assertDataError(try Dataset.parseCSV("a,b,y\n1,2,\n", source: "m.csv"),
                        contains: ["m.csv", "line 2", "column 3", "empty target"])
    }

    func testEmptyFileAndHeaderOnly() {
        assertDataError(try Dataset.parseCSV("", source: "empty.csv"), contains: ["empty.csv", "empty"])
        assertDataError(try Dataset.parseCSV("\n\n", source: "empty.csv"), contains: ["empty.csv", "empty"])
        assertDataError(try Dataset.parseCSV("a,b\n", source: "h.csv"), contains: ["h.csv", "no data rows"])
    }

    func testUnknownTargetColumnListsTheColumns() {
        assertDataError(try Dataset.parseCSV("a,b\n1,2\n", source: "u.csv", targetColumn: "label"),
                        contains: ["u.csv", "unknown target column \"label\"", "a, b"])
    }

    func testSingleClassTargetIsRejected() {
        assertDataError(try Dataset.parseCSV("a,y\n1,cat\n2,cat\n", source: "one.csv"),
                        contains: ["one.csv", "\"y\"", "single class", "cat"])
        assertDataError(try Dataset.parseCSV("a,y\n1,3\n2,3\n", source: "one.csv", task: .classification),
                        contains: ["one.csv", "single class"])
    }

    func testNonNumericRegressionTargetNamesLineAndColumn() {
        assertDataError(try Dataset.parseCSV("a,y\n1,0.5\n2,high\n", source: "reg.csv", task: .regression),
                        contains: ["reg.csv", "line 3", "column 2", "\"high\""])
    }

    func testUnterminatedQuoteAndTextAfterQuote() {
        assertDataError(try Dataset.parseCSV("a,y\n1,\"open\n2,b\n", source: "o.csv"),
                        contains: ["o.csv", "line 2", "column 2", "never closed"])
        assertDataError(try Dataset.parseCSV("a,y\n\"1\"x,b\n", source: "o.csv"),
                        contains: ["o.csv", "line 2", "column 1", "after the closing quote"])
    }

    func testMissingFileIsNamed() {
        assertDataError(try Dataset.loadCSV(path: "/nonexistent/dir/data.csv"), contains: ["/nonexistent/dir/data.csv", "no such file"])
    }

    func testLoadsFromDiskWithTheSameResult() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("small.csv").path
        try "x,y\n1,a\n2,b\n".write(toFile: path, atomically: true, encoding: .utf8)
        let data = try Dataset.loadCSV(path: path)
        XCTAssertEqual(data.source, path)
        XCTAssertEqual(data.features.scalars, [1, 2])
        XCTAssertEqual(data.targets.classIndices, [0, 1])
    }
}
