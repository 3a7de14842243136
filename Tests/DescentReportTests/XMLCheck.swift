import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Parses SVG text with Foundation's XML parser and returns the document (fails the test if malformed).
func parseXML(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> XMLDocument {
    do {
        return try XMLDocument(xmlString: text, options: [])
    } catch {
        XCTFail("not well-formed XML: \(error)\n\(text.prefix(2000))", file: file, line: line)
        throw error
    }
}

extension XMLNode {
    /// Elements anywhere below with the given local name.
    func elements(named name: String) throws -> [XMLElement] {
        try nodes(forXPath: "//*[local-name()='\(name)']").compactMap { $0 as? XMLElement }
    }
}

extension XMLElement {
    /// The attribute's value (looked up by name among all attributes: on Linux `attribute(forName:)`
    /// misses unprefixed attributes of elements in a default namespace).
    func attribute(_ name: String) -> String? {
        (attributes ?? []).first { $0.name == name || $0.localName == name }?.stringValue
    }
}
