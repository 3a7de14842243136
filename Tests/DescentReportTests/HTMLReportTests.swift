import DescentReport
import Foundation
import XCTest

final class HTMLReportTests: XCTestCase {
    private func sampleReport() -> HTMLReport {
        let chart = SVGLineChart(title: "Loss per epoch", series: [ChartSeries(name: "loss", values: [1, 0.5, 0.25], firstX: 1)])
        return HTMLReport(title: "Training <report>", subtitle: "iris", sections: [
            HTMLReport.Section(heading: "Summary", blocks: [.keyValues([("Data set", "iris & co"), ("Epochs", "3")])]),
            HTMLReport.Section(heading: "Charts", blocks: [.chart(chart), .chart(chart)]),
            HTMLReport.Section(heading: "Epochs", blocks: [.table(header: ["epoch", "loss"], rows: [["1", "1"], ["2", "0.5"]])]),
            HTMLReport.Section(heading: "Log", blocks: [.paragraph("All went well."), .list(["a < b", "c"]), .preformatted("epoch 1 <done>")]),
        ])
    }

    func testContainsChartsTablesAndEscapedText() {
        let html = sampleReport().html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2)
        XCTAssertEqual(html.components(separatedBy: "<h2>").count - 1, 4)
        XCTAssertTrue(html.contains("<title>Training &lt;report&gt;</title>"))
        XCTAssertTrue(html.contains("<tr><th scope=\"row\">Data set</th><td>iris &amp; co</td></tr>"))
        XCTAssertTrue(html.contains("<td class=\"num\">0.5</td>"))
        XCTAssertTrue(html.contains("<pre>epoch 1 &lt;done&gt;</pre>"))
        XCTAssertTrue(html.contains("prefers-color-scheme:dark"))
        XCTAssertTrue(html.contains("<ul>\n<li>a &lt; b</li>\n<li>c</li>\n</ul>"))
    }

    func testIsSelfContained() {
        let html = sampleReport().html()
        XCTAssertFalse(html.contains("<script"))
        // The only URL is the SVG namespace name, which is never fetched.
        let withoutNamespace = html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "")
        XCTAssertFalse(withoutNamespace.contains("http"))
        XCTAssertFalse(html.contains("<link"))
    }

    func testBodyIsWellFormedXML() throws {
        // Everything after the doctype is written as XHTML-compatible markup.
        let html = sampleReport().html()
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
            .replacingOccurrences(of: "<meta charset=\"utf-8\">", with: "<meta charset=\"utf-8\"/>")
            .replacingOccurrences(of: "initial-scale=1\">", with: "initial-scale=1\"/>")
            .replacingOccurrences(of: "content=\"light dark\">", with: "content=\"light dark\"/>")
        _ = try parseXML(body)
    }

    func testWriteIsAtomicAndNamesABadPath() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("descent-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("r.html").path
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        try sampleReport().write(toFile: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), sampleReport().html())
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["r.html"])   // no temporary left

        let missing = directory.appendingPathComponent("no/such/dir/r.html").path
        XCTAssertThrowsError(try sampleReport().write(toFile: missing)) { error in
            XCTAssertTrue("\(error)".contains(missing), "\(error)")
            XCTAssertTrue("\(error)".contains("does not exist"), "\(error)")
        }
        XCTAssertThrowsError(try ReportFile.write("x", toFile: directory.path)) { error in
            XCTAssertTrue("\(error)".contains("is a directory"), "\(error)")
        }
    }
}
