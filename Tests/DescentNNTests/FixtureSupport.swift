import Foundation
import XCTest
import DescentTensor

/// Reads a JSON fixture from the test bundle's Fixtures folder.
func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    guard let url = Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures") else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "Fixtures/\(name).json"])
    }
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

/// A tensor stored in a fixture: shape and row-major values.
struct FixtureTensor: Decodable {
    let shape: [Int]
    let values: [Double]

    var tensor: Tensor { try! Tensor(shape: shape, scalars: values.map { Float($0) }) }
}

/// Asserts |actual − expected| ≤ absolute + relative·|expected| elementwise, and equal shapes.
func assertClose(_ actual: Tensor, _ expected: FixtureTensor, absolute: Double = 1e-5, relative: Double = 1e-5,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.shape, expected.shape, "shape: \(message)", file: file, line: line)
    assertClose(actual.scalars, expected.values, absolute: absolute, relative: relative, message, file: file, line: line)
}

func assertClose(_ actual: [Float], _ expected: [Double], absolute: Double = 1e-5, relative: Double = 1e-5,
                 _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(actual.count, expected.count, "count: \(message)", file: file, line: line)
    for (index, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(Double(a) - e) <= absolute + relative * Swift.abs(e)) {
        XCTFail("\(message): element \(index) is \(a), expected \(e)", file: file, line: line)
        return
    }
}
