import Foundation
import XCTest
import DescentData

/// What a checkpoint knows data by: the SHA-256 of the bytes read, equal to `sha256sum` of the file,
/// the same under another name, different for other contents of the same shape.
final class ContentDigestTests: XCTestCase {
    func testACSVFileIsKnownByItsBytesNotItsName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let text = "a,b,y\n1,2,0\n3,4,1\n5,6,0\n"
        let first = directory.appendingPathComponent("first.csv").path, renamed = directory.appendingPathComponent("renamed.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: first))
        try Data(text.utf8).write(to: URL(fileURLWithPath: renamed))
        // `printf 'a,b,y\n1,2,0\n3,4,1\n5,6,0\n' | sha256sum`
        let digest = "d428a3060edfc45a4c8dbedaf3e93ef71924aa195257b84519261989a8f82934"
        XCTAssertEqual(try Dataset.loadCSV(path: first).contentSHA256, digest)
        XCTAssertEqual(try Dataset.loadCSV(path: renamed).contentSHA256, digest, "the same bytes under another name")
        // One cell changed, same shape.
        try Data(text.replacingOccurrences(of: "3,4,1", with: "3,5,1").utf8).write(to: URL(fileURLWithPath: renamed))
        let other = try Dataset.loadCSV(path: renamed)
        XCTAssertEqual(other.features.shape, [3, 2])
        XCTAssertNotEqual(other.contentSHA256, digest)
        XCTAssertNil(try Dataset.parseCSV(text).contentSHA256, "data parsed from memory has no file bytes")
    }

    func testABundledSetIsKnownByItsCSVFile() throws {
        // `sha256sum Sources/DescentData/Resources/iris.csv` (also shared/data/iris.csv).
        XCTAssertEqual(try Datasets.load(named: "iris").contentSHA256, "17e9e19553ed7fa1ebb8b5b4d9d3536da813ebacaf446aff895742dff04087c3")
    }

    func testIDXDataIsKnownByTheImagesThenTheLabels() throws {
        let images = fixturePath("tiny-images-idx3-ubyte"), labels = fixturePath("tiny-labels-idx1-ubyte")
        let data = try IDX.loadDataset(images: images, labels: labels)
        // `cat tiny-images-idx3-ubyte tiny-labels-idx1-ubyte | sha256sum`
        XCTAssertEqual(data.contentSHA256, "cd0ace37abaf3bef2337d1394530fdf5af997e5f6522b9ac361986db54517cf1")
    }
}
