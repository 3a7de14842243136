import XCTest
import DescentData

/// Raw tables as spreadsheets and other programs write them (session 21: seventeen public tables, docs/tabular.md):
/// currency, percent and accounting numbers, dates day or month first or with a month's name or a zone, a carriage
/// return inside an unquoted cell, repeated header names, Windows-1252 bytes — each read as the plain table would be,
/// checked against values written by hand.
final class RawTableSpreadsheetTests: XCTestCase {
    private func table(_ text: String, file: String = "t.csv") throws -> RawTable {
        try RawTable.parse(bytes: Array(text.utf8), file: file)
    }

    func testCurrencyPercentAndParenthesesAreNumbers() throws {
        XCTAssertEqual(NumberFormat.accounting.parse("($1,234.50)"), -1234.5)
        XCTAssertEqual(NumberFormat.accounting.parse("$16,100.00"), 16100)
        XCTAssertEqual(NumberFormat.accounting.parse("-$5"), -5)
        XCTAssertEqual(NumberFormat.accounting.parse("13.99%"), 13.99)
        XCTAssertEqual(NumberFormat.accounting.parse("(3.936)"), -3.936)
        XCTAssertEqual(NumberFormat.accounting.parse("0.5"), 0.5)
        XCTAssertEqual(NumberFormat.accountingDecimalComma.parse("1.234,50 €"), 1234.5)
        XCTAssertEqual(NumberFormat.accountingDecimalComma.parse("(12,5 %)"), -12.5)
        for text in ["$", "()", "(abc)", "$1,23", "$$5", "5%%", "12 apples", "(-5)"] {
            XCTAssertNil(NumberFormat.accounting.parse(text), text)
        }
        // ISLR's Weekly returns written in an accounting format, earnings in dollars, rates in percent: numbers, in
        // training and at prediction (they were categories of one level, (other)).
        let raw = try table("""
            lag,earnings,rate,y
            (3.936),"$9,930.05",13.99%,a
            0.816,$0.00,7.5%,b
            (0.270),"($1,200.50)",12%,a
            1.572,"$24,909.50",NA,b

            """)
        let profile = try TabularProfile(table: raw, options: TabularOptions(target: "y"))
        XCTAssertEqual(profile.columns.prefix(3).map(\.role), [.numeric, .numeric, .numeric])
        XCTAssertEqual(profile.columns.prefix(3).map(\.numberFormat), [.accounting, .accounting, .accounting])
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: TabularOptions(target: "y"),
                                                     trainingRows: Array(0..<raw.count))
        // The mean of the lags: (-3.936 + 0.816 - 0.270 + 1.572) / 4 = -0.4545.
        XCTAssertEqual(Double(preprocessing.columns[0].mean ?? 0), -0.4545, accuracy: 1e-5)
        XCTAssertEqual(Double(preprocessing.columns[1].median ?? 0), (0 + 9930.05) / 2, accuracy: 1e-2)
        let later = try table("y,lag,earnings,rate\na,(1.000),\"$1,000.00\",10%\n")
        let encoded = try preprocessing.encode(later)
        XCTAssertEqual(encoded.rowsKept, [0])
        let lag = preprocessing.columns[0]
        XCTAssertEqual(Double(encoded.features[0]) * Double(lag.standardDeviation ?? 1) + Double(lag.mean ?? 0), -1, accuracy: 1e-5)
        // A regression target in dollars is read the same way.
        let dollars = try TabularDataset(table: try table("x,price\n0.5,$100.25\n1.5,\"$1,200.75\"\n2.5,($50.10)\n3.5,$400.40\n4.5,$500.90\n"),
                                         options: TabularOptions(target: "price"), validationFraction: 0.2, seed: 0)
        XCTAssertEqual(dollars.profile.columns[1].numberFormat, .accounting)
        XCTAssertEqual(dollars.preprocessing.target.numberFormat, .accounting)
        // Text with a parenthesis stays text.
        let words = try TabularProfile(table: try table("w,y\n(a),1\n(b),0\n(a),1\n(b),0\n"), options: TabularOptions(target: "y"))
        XCTAssertEqual(words.columns[0].role, .categorical)
    }

    func testDatesWithMonthNamesOrdersAndZones() throws {
        XCTAssertEqual(DateCell.parse("Dec 31 2020"), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertEqual(DateCell.parse("December 31, 2020"), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertEqual(DateCell.parse("31-Dec-2020"), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertEqual(DateCell.parse("31 Dec 2020"), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertEqual(DateCell.parse("31/12/2020", order: .dayFirst), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertEqual(DateCell.parse("31.12.2020", order: .dayFirst), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertEqual(DateCell.parse("12/31/2020", order: .monthFirst), DateCell(year: 2020, month: 12, day: 31))
        XCTAssertNil(DateCell.parse("31/12/2020"), "day or month first is the column's to tell")
        XCTAssertNil(DateCell.parse("31/12/2020", order: .monthFirst))
        XCTAssertNil(DateCell.parse("Foo 31 2020"))
        XCTAssertNil(DateCell.parse("Feb 30 2020"))
        // pandas writes a zoned time with its offset; the parts are the time as written.
        let zoned = try XCTUnwrap(DateCell.parse("2013-01-01 05:00:00-05:00"))
        XCTAssertEqual(DatePart.hour.value(of: zoned), 5)
        XCTAssertEqual(DateCell.parse("2013-01-01T05:30:00+0100")?.secondsOfDay, 5.5 * 3600)
        XCTAssertEqual(DateCell.parse("2013-01-01 05:30:00 UTC")?.secondsOfDay, 5.5 * 3600)
        XCTAssertNil(DateCell.parse("2013-01-01 05:00:00+5"))

        // A column's order: a first field above 12 tells day first, a second above 12 month first; when none tells, a
        // file of ';' (or dates written with points) is European, day first, else month first (as pandas reads them).
        func role(_ text: String) throws -> ColumnProfile { try TabularProfile(table: try table(text), options: TabularOptions(target: "y")).columns[0] }
        let dayFirst = try role("d,y\n31/12/1978,1\n01/02/1978,2\n05/06/1978,3\n")
        XCTAssertEqual(dayFirst.role, .date)
        XCTAssertEqual(dayFirst.dateOrder, .dayFirst)
        XCTAssertEqual(try role("d,y\n12/31/1978,1\n01/02/1978,2\n05/06/1978,3\n").dateOrder, .monthFirst)
        XCTAssertEqual(try role("d,y\n01/02/1978,1\n03/04/1978,2\n05/06/1978,3\n").dateOrder, .monthFirst)
        XCTAssertEqual(try role("d;y\n01/02/1978;1\n03/04/1978;2\n05/06/1978;3\n").dateOrder, .dayFirst)
        XCTAssertEqual(try role("d,y\n01.02.1978,1\n03.04.1978,2\n05.06.1978,3\n").dateOrder, .dayFirst)
        XCTAssertEqual(try role("d,y\nJul 01 1967,1\nAug 01 1967,2\nSep 01 1967,3\n").role, .date)
        XCTAssertNotEqual(try role("d,y\n31/12/1978,1\n12/31/1978,2\n05/06/1978,3\n").role, .date, "both fields above 12: not dates")

        // The order is kept in the model file: a row to predict is read as training read its column.
        var text = "date,births\n"
        for day in 1...28 { text += String(format: "%02d/02/2015,%d\n", day, 9000 + day % 7 * 100) }
        let raw = try table(text)
        let options = TabularOptions(target: "births")
        let profile = try TabularProfile(table: raw, options: options)
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: Array(0..<raw.count))
        XCTAssertEqual(preprocessing.columns[0].dateOrder, .dayFirst)
        let decoded = try JSONDecoder().decode(TabularPreprocessing.self, from: JSONEncoder().encode(preprocessing))
        let encoded = try decoded.encode(try table("births,date\n1,02/03/2015\n2,2015-03-02\n3,03/13/2015\n"))
        XCTAssertEqual(encoded.rowsKept, [0, 1], "a month-first cell is not a date of this day-first column")
        let weekday = preprocessing.columns[4]
        for row in 0..<2 {   // 2 March 2015, a Monday (1), either way it is written
            let value = Double(encoded.features[row * preprocessing.inputNames.count + 4])
            XCTAssertEqual(value * Double(weekday.standardDeviation ?? 1) + Double(weekday.mean ?? 0), 1, accuracy: 1e-5)
        }
        XCTAssertEqual(encoded.skipped.first?.description.contains("is not a date (day first: 31/12/2016)"), true, "\(encoded.skipped)")
    }

    func testACarriageReturnInsideAnUnquotedCellIsData() throws {
        // pandas writes a tweet's "\r" without quotes: the row keeps its cells (it was "expected 3 cells, found 2").
        let tweets = try table("id,text,y\n1,first\rsecond,a\n2,\"quoted\r\nline\",b\r\n3,plain,a\n")
        XCTAssertEqual(tweets.rows, [["1", "first\rsecond", "a"], ["2", "quoted\r\nline", "b"], ["3", "plain", "a"]])
        XCTAssertEqual(tweets.lines, [2, 3, 5])
        // A file with no "\n" at all ends its lines with "\r" (classic Mac OS).
        let mac = try table("a,b\r1,2\r3,4\r")
        XCTAssertEqual(mac.rows, [["1", "2"], ["3", "4"]])
    }

    func testRepeatedAndEmptyHeaderNamesAreRenamedAsPandasDoes() throws {
        // A spreadsheet's two "Notes" columns and trailing empty columns: pandas' names, the empty columns dropped.
        let raw = try table("\u{FEFF}\"Notes\",\"price\",\"x\",\"Notes\",\"\",\"\"\r\n\"a\",\"1\",\"2\",\"\",\"\",\"\"\r\n\"\",\"2\",\"3\",\"\",\"\",\"\"\r\n\"\",\"3\",\"5\",\"\",\"\",\"\"\r\n")
        XCTAssertEqual(raw.header, ["Notes", "price", "x", "Notes.1", "column_5", "column_6"])
        XCTAssertTrue(raw.renamedHeader)
        XCTAssertFalse(raw.isPlainCSV)
        XCTAssertEqual(try table("a,a,a.1\n1,2,3\n").header, ["a", "a.2", "a.1"])
        let profile = try TabularProfile(table: raw, options: TabularOptions(target: "price"))
        XCTAssertEqual(profile.ignoredColumns, ["Notes.1", "column_5", "column_6"])
    }

    func testWindows1252BytesAreRead() throws {
        // Excel on Windows saves "CSV" in Windows-1252: "Quarter Pounder® with Cheese", "Café", "€5".
        let bytes: [UInt8] = Array("item,price\nQuarter Pounder".utf8) + [0xAE] + Array(" with Cheese,1\nCaf".utf8) + [0xE9]
            + Array(",2\n".utf8) + [0x80] + Array("5,3\n".utf8)
        let raw = try RawTable.parse(bytes: bytes, file: "ansi.csv")
        XCTAssertTrue(raw.readAsWindows1252)
        XCTAssertEqual(raw.rows.map { $0[0] }, ["Quarter Pounder® with Cheese", "Café", "€5"])
        XCTAssertFalse(try table("item,price\nCafé,2\n").readAsWindows1252, "UTF-8 is read as UTF-8")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("descent-ansi-\(UUID().uuidString).csv").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let reader = try RawTableReader(path: path, blockSize: 64)
        var streamed: [[String]] = []
        while let block = try reader.next() { streamed += block.rows }
        XCTAssertEqual(streamed, raw.rows)
    }

    /// grants_other: a count column (chief investigators from a department) was 0 or 1 in every training row, a 0/1
    /// column; a held-out row's 2 was refused ("\"2\" is not a value of this yes/no column") and its prediction left empty.
    func testAZeroOneColumnReadsOtherNumbersAtPrediction() throws {
        let raw = try table("count,y\n0,a\n1,b\n0,a\n1,b\n0,a\n")
        let options = TabularOptions(target: "y")
        let profile = try TabularProfile(table: raw, options: options)
        XCTAssertEqual(profile.columns[0].role, .boolean)
        let preprocessing = try TabularPreprocessing(fitting: raw, profile: profile, options: options, trainingRows: Array(0..<raw.count))
        let encoded = try preprocessing.encode(try table("count\n2\n1\nyes\n"))
        XCTAssertEqual(encoded.rowsKept, [0, 1])
        let column = preprocessing.columns[0]   // mean 0.4, deviation of 0, 1, 0, 1, 0
        XCTAssertEqual(Double(encoded.features[0]) * Double(column.standardDeviation ?? 1) + Double(column.mean ?? 0), 2, accuracy: 1e-5)
        XCTAssertEqual(encoded.skipped.count, 1, "text is still not a number: \(encoded.skipped)")
    }
}
