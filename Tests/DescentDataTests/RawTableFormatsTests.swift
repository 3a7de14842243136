import XCTest
import DescentData
import DescentTensor

/// Raw tables as spreadsheets and statistics offices write them: separated by `;`, tabs or `|`, with a byte-order mark
/// and CRLF line ends, numbers with thousands separators ("1,234") or decimal commas ("27,5") — read as the same
/// table, numbers and roles as the plain comma-separated file, checked against values written by hand.
final class RawTableFormatsTests: XCTestCase {
    private func table(_ text: String, file: String = "t.csv") throws -> RawTable {
        try RawTable.parse(bytes: Array(text.utf8), file: file)
    }

    func testTheDelimiterIsFoundInTheHeaderLine() throws {
        XCTAssertEqual(RawTable.delimiter(of: Array("a;b;\"c;d\"\n1;2;3\n".utf8)), UInt8(ascii: ";"))
        XCTAssertEqual(RawTable.delimiter(of: Array("a\tb\tc\n".utf8)), UInt8(ascii: "\t"))
        XCTAssertEqual(RawTable.delimiter(of: Array("a|b|c\n".utf8)), UInt8(ascii: "|"))
        XCTAssertEqual(RawTable.delimiter(of: Array("a,b;c\n".utf8)), UInt8(ascii: ","), "a comma wins: a ';' may be in a name")
        XCTAssertEqual(RawTable.delimiter(of: Array("\"a;b\",c\n".utf8)), UInt8(ascii: ","), "quoted bytes do not count")
        XCTAssertEqual(RawTable.delimiter(of: Array("\n\nonly\n1\n".utf8)), UInt8(ascii: ","), "one column, after blank lines")

        let plain = try table("id,colour,size,y\n1,red,3.5,a\n2,blue,4,b\n")
        let semicolons = try table("\u{FEFF}id;colour;size;y\r\n1;red;3.5;a\r\n2;blue;4;b\r\n")
        let tabs = try table("id\tcolour\tsize\ty\n1\tred\t3.5\ta\n2\tblue\t4\tb\n")
        for other in [semicolons, tabs] {
            XCTAssertEqual(other.header, plain.header)
            XCTAssertEqual(other.rows, plain.rows)
            XCTAssertEqual(other.lines, [2, 3])
        }
        XCTAssertEqual(semicolons.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(plain.delimiter, RawTable.comma)
        // A row of another delimiter in a file of ';' is named, as one of ';' in a file of commas is.
        assertDataError(try table("a;b;y\n1;2;3\n4,5,6\n"), contains: ["line 3: expected 3 cells", "separated by commas, the header by ';'"])
    }

    func testTheStreamedReaderFindsTheSameDelimiter() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-semicolons-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var text = "\u{FEFF}x;name;y\r\n"
        for row in 0..<50 { text += "\(row),n\(row % 3);\(row % 2)\r\n".replacingOccurrences(of: ",", with: ";") }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(text.utf8)))
        let reader = try RawTableReader(path: path, blockSize: 64)
        XCTAssertEqual(reader.header, ["x", "name", "y"])
        XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
        var rows: [[String]] = []
        while let block = try reader.next() { rows += block.rows }
        XCTAssertEqual(rows, try RawTable.read(path: path).rows)
        XCTAssertEqual(rows[49], ["49", "n1", "1"])
    }

    func testNumberFormats() {
        XCTAssertEqual(NumberFormat.thousandsSeparators.parse("215,000"), 215_000)
        XCTAssertEqual(NumberFormat.thousandsSeparators.parse("-1,234,567.25"), -1_234_567.25)
        XCTAssertEqual(NumberFormat.thousandsSeparators.parse("12.5"), 12.5)
        XCTAssertNil(NumberFormat.thousandsSeparators.parse("2,5"))
        XCTAssertNil(NumberFormat.thousandsSeparators.parse("1,2345"))
        XCTAssertNil(NumberFormat.thousandsSeparators.parse("1,234."))
        XCTAssertEqual(NumberFormat.decimalComma.parse("-79,5"), -79.5)
        XCTAssertEqual(NumberFormat.decimalComma.parse("1.234,5"), 1234.5)
        XCTAssertEqual(NumberFormat.decimalComma.parse("25"), 25)
        XCTAssertNil(NumberFormat.decimalComma.parse("1.5"))
        XCTAssertNil(NumberFormat.decimalComma.parse("1,5,6"))
        XCTAssertNil(NumberFormat.decimalComma.parse("inf"))
    }

    /// Thousands separators in a comma-separated file (quoted cells), for a feature and a regression target; the
    /// format is kept in the preprocessing, so prediction reads "2,110" as 2110 too; a cell that is not so written skips its row.
    func testThousandsSeparatorsAreNumbers() throws {
        var text = "area,kind,price\n"
        let areas = [850, 1_200, 2_110, 3_400, 12_500, 990, 1_750, 2_600]
        for (row, area) in areas.enumerated() {
            let formatted = area >= 1000 ? "\"\(area / 1000),\(String(format: "%03d", area % 1000))\"" : "\(area)"
            text += "\(formatted),\(row % 2 == 0 ? "flat" : "house"),\"\(100 + row),000\"\n"
        }
        let raw = try table(text)
        let options = TabularOptions(target: "price")
        let profile = try TabularProfile(table: raw, options: options)
        XCTAssertEqual(profile.columns.map(\.role), [.numeric, .categorical, .target])
        XCTAssertEqual(profile.columns[0].numberFormat, .thousandsSeparators)
        XCTAssertTrue(profile.columns[0].reason.contains("thousands separators"), profile.columns[0].reason)
        XCTAssertFalse(profile.isPlainNumeric)
        let loaded = try TabularDataset(table: raw, options: options, validationFraction: 0.25, seed: 0)
        XCTAssertEqual(loaded.dataset.task, .regression)
        let target = loaded.preprocessing.target
        XCTAssertEqual(target.numberFormat, .thousandsSeparators)
        let prices = loaded.dataset.targets.tensor.scalars.map { Double(target.original($0)) }
        for (row, price) in prices.enumerated() { XCTAssertEqual(price, Double((100 + row) * 1000), accuracy: 0.5) }
        let area = try XCTUnwrap(loaded.preprocessing.columns.first)
        XCTAssertEqual(area.numberFormat, .thousandsSeparators)
        // Training rows: the split's; the median of the encoded areas is one of the areas.
        let later = try table("kind,area\nflat,\"2,110\"\nhouse,\"2,1100\"\n", file: "later.csv")
        let encoded = try loaded.preprocessing.encode(later)
        XCTAssertEqual(encoded.rowsKept, [0])
        XCTAssertEqual(Double(encoded.features[0]) * Double(area.standardDeviation ?? 1) + Double(area.mean ?? 0), 2110, accuracy: 1e-2)
        XCTAssertEqual(encoded.skipped.first?.description.contains("later.csv: line 3, column 2 (\"area\")"), true, "\(encoded.skipped)")
    }

    /// A European spreadsheet's export: ';' between cells, a decimal comma, a point grouping thousands.
    func testDecimalCommasInAFileOfSemicolons() throws {
        let raw = try table("lat;long;pressure;status\n27,5;-79,0;1.013,5;a\n28,5;-79,5;1.009;b\n29;-80,25;998;a\n30,5;-81;1.000;b\n")
        let profile = try TabularProfile(table: raw, options: TabularOptions(target: "status"))
        XCTAssertEqual(profile.columns.map(\.role), [.numeric, .numeric, .numeric, .target])
        XCTAssertEqual(profile.columns.map(\.numberFormat), [.decimalComma, .decimalComma, .decimalComma, .plain])
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: TabularOptions(target: "status"),
                                                     trainingRows: [0, 1, 2, 3])
        XCTAssertEqual(preprocessing.columns[0].median, 28.75)   // (27.5, 28.5, 29, 30.5)
        XCTAssertEqual(preprocessing.columns[2].median, 1004.5)  // (998, 1000, 1009, 1013.5): "1.009" is 1009 beside "1.013,5"
        // Without a comma in the column, a point is a decimal point even in a file of ';' (pandas' default): plain.
        let points = try TabularProfile(table: try table("p;y\n1.013;a\n998;b\n"), options: TabularOptions(target: "y"))
        XCTAssertEqual(points.columns[0].numberFormat, .plain)
        XCTAssertEqual(preprocessing.columns[1].mean ?? 0, Float(-79.9375), accuracy: 1e-5)
        // In a file of commas, a point is a decimal point: "1.013" stays 1.013 and the column is plain.
        let plain = try TabularProfile(table: try table("p,y\n1.013,a\n998,b\n"), options: TabularOptions(target: "y"))
        XCTAssertEqual(plain.columns[0].numberFormat, .plain)
    }
}

/// Columns of year-first dates become numbers of the date (`DatePart`), fitted and applied like numeric columns.
final class DateColumnTests: XCTestCase {
    func testDatesParseAndGiveTheirParts() throws {
        let cell = try XCTUnwrap(DateCell.parse("2016/01/01 06:30:00"))
        XCTAssertEqual(cell.daysSinceEpoch, 16_801)   // Python: (date(2016, 1, 1) - date(1970, 1, 1)).days
        XCTAssertEqual(DatePart.dayOfWeek.value(of: cell), 5)   // a Friday
        XCTAssertEqual(DatePart.hour.value(of: cell), 6.5)
        XCTAssertEqual(DatePart.elapsedDays.value(of: cell), 16_801 + 6.5 / 24)
        let leap = try XCTUnwrap(DateCell.parse("2016-12-31"))
        XCTAssertEqual(DatePart.dayOfYear.value(of: leap), 366)
        XCTAssertEqual(DatePart.dayOfWeek.value(of: leap), 6)   // a Saturday
        XCTAssertEqual(DateCell.parse("1969-12-31")?.daysSinceEpoch, -1)
        XCTAssertEqual(DateCell.parse("2013-01-01T05:00:00Z")?.secondsOfDay, 5 * 3600)
        for text in ["2019-02-29", "01/02/2016", "2016-13-01", "2016-01-01 25:00", "20160101", "2016-01-01x", "2016"] {
            XCTAssertNil(DateCell.parse(text), text)
        }
    }

    /// A table whose only feature is a date (mosaicData's Births reduced to date and births) trains: the date was an
    /// identifier (every value distinct) and the table had no features; now it gives six inputs, standardised.
    func testADateColumnIsEncodedByItsParts() throws {
        var text = "date,births\n"
        for day in 1...28 { text += String(format: "2015-02-%02d,%d\n", day, 9000 + day % 7 * 100) }
        text += "NA,9100\n"
        let raw = try RawTable.parse(bytes: Array(text.utf8), file: "births.csv")
        let options = TabularOptions(target: "births")
        let profile = try TabularProfile(table: raw, options: options)
        XCTAssertEqual(profile.columns[0].role, .date)
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: Array(0..<raw.count))
        XCTAssertEqual(preprocessing.inputNames, ["date.elapsed_days", "date_missing", "date.year", "date.month", "date.day",
                                                  "date.day_of_week", "date.day_of_year"])
        let month = preprocessing.columns[2]
        XCTAssertEqual(month.standardDeviation, 1, "one year: a deviation of 0 is taken as 1")
        let later = try RawTable.parse(bytes: Array("births,date\n1,2015-03-02\n2,March 2\n".utf8), file: "later.csv")
        let encoded = try preprocessing.encode(later)
        XCTAssertEqual(encoded.rowsKept, [0])
        let weekday = preprocessing.columns[4]
        // 2015-03-02 was a Monday (1).
        XCTAssertEqual(Double(encoded.features[5]) * Double(weekday.standardDeviation ?? 1) + Double(weekday.mean ?? 0), 1, accuracy: 1e-5)
        XCTAssertEqual(encoded.skipped.first?.description.contains("\"March 2\" is not a date"), true, "\(encoded.skipped)")
        let loaded = try TabularDataset(table: raw, options: options, validationFraction: 0.2, seed: 0)
        XCTAssertEqual(loaded.dataset.featureCount, 7)
    }
}
