import DescentFiles
import DescentTensor

/// The IDX format of the MNIST files (LeCun et al., http://yann.lecun.com/exdb/mnist/).
///
/// A file is: two zero bytes, a type byte (0x08 ubyte, 0x09 byte, 0x0B int16,
/// 0x0C int32, 0x0D float32, 0x0E float64), the number of dimensions, each
/// dimension as a big-endian UInt32, then the big-endian data in C order.
/// Reading checks the sizes against the file length before allocating.
///
/// ```swift
/// let images = try IDX.read(path: "train-images-idx3-ubyte")   // shape [60000, 28, 28], values 0...255
/// let labels = try IDX.read(path: "train-labels-idx1-ubyte")   // shape [60000]
/// let mnist = try IDX.loadDataset(images: "...images...", labels: "...labels...")
/// ```
public enum IDX {
    /// Reads an IDX file as a Float32 tensor.
    /// - Throws: `DataError.malformedFile` naming the file for a bad magic number,
    ///   an unknown type code, no dimensions, or a data length that does not match the dimensions.
    public static func read(path: String) throws -> Tensor {
        try decode(try readWholeFile(path), source: path)
    }

    /// Parses the bytes of an IDX file; `source` names it in errors.
    public static func decode(_ bytes: [UInt8], source: String) throws -> Tensor {
        func fail(_ detail: String) -> DataError { .malformedFile(file: source, format: "IDX", detail) }
        guard bytes.count >= 4 else { throw fail("file is \(bytes.count) bytes, shorter than the 4-byte magic number") }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw fail("magic number must start with two zero bytes, found \(bytes[0]) \(bytes[1])")
        }
        let scalar: BinaryScalar
        switch bytes[2] {
        case 0x08: scalar = .uint8
        case 0x09: scalar = .int8
        case 0x0B: scalar = .int16
        case 0x0C: scalar = .int32
        case 0x0D: scalar = .float32
        case 0x0E: scalar = .float64
        default: throw fail("unknown type code 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else { throw fail("number of dimensions is 0") }
        let dataStart = 4 + 4 * rank
        guard bytes.count >= dataStart else {
            throw fail("file ends inside the \(rank) dimension sizes")
        }
        var shape: [Int] = []
        for axis in 0..<rank {
            let at = 4 + 4 * axis
            shape.append(Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3]))
        }
        guard let count = checkedElementCount(shape) else { throw fail("dimensions \(shape) overflow") }
        let (needed, overflow) = count.multipliedReportingOverflow(by: scalar.byteCount)
        let available = bytes.count - dataStart
        guard !overflow, needed == available else {
            throw fail("dimensions \(shape) need \(overflow ? "too many" : String(needed)) data bytes, the file has \(available)")
        }
        let values = bytes.withUnsafeBytes { scalar.convert($0, offset: dataStart, count: count, bigEndian: true) }
        return try Tensor(shape: shape, scalars: values)
    }

    /// A classification data set from an IDX images file `[n, ...]` and an IDX labels file `[n]`.
    ///
    /// Features are the images flattened to `[n, d]` with their raw values
    /// (0–255 for MNIST; scale or standardise them); classes are `0..<k` with
    /// `k` one more than the largest label, named by their number. `contentSHA256` is the digest of
    /// the images file's bytes followed by the labels file's.
    /// - Throws: `DataError` if a file is malformed, the counts differ, or a label is negative or not an integer.
    public static func loadDataset(images imagesPath: String, labels labelsPath: String) throws -> Dataset {
        let imageBytes = try readWholeFile(imagesPath)
        let labelBytes = try readWholeFile(labelsPath)
        let images = try decode(imageBytes, source: imagesPath)
        let labels = try decode(labelBytes, source: labelsPath)
        guard labels.rank == 1 else {
            throw DataError.malformedFile(file: labelsPath, format: "IDX", "labels must be 1-D, got shape \(labels.shape)")
        }
        guard images.rank >= 1, images.shape[0] == labels.shape[0] else {
            throw DataError.malformedFile(file: imagesPath, format: "IDX",
                "\(images.shape.first ?? 0) images but \(labels.shape[0]) labels in \(labelsPath)")
        }
        let rows = images.shape[0]
        let width = images.shape.dropFirst().reduce(1, *)
        var indices: [Int] = []
        indices.reserveCapacity(rows)
        for (row, value) in labels.scalars.enumerated() {
            guard value >= 0, value.rounded() == value, value < 1e6 else {
                throw DataError.malformedFile(file: labelsPath, format: "IDX", "label \(value) at index \(row) is not a class index")
            }
            indices.append(Int(value))
        }
        let classCount = (indices.max() ?? 0) + 1
        var dataset = try Dataset(features: try images.reshaped(to: [rows, width]),
                                  targets: .classes(indices, names: (0..<classCount).map(String.init)),
                                  featureNames: (0..<width).map { "px\($0)" }, targetName: "label", source: imagesPath)
        // The images' bytes then the labels': each IDX file gives its own length, so the pair is unambiguous.
        var digest = SHA256()
        digest.update(imageBytes)
        digest.update(labelBytes)
        dataset.contentSHA256 = digest.finalizeHex()
        return dataset
    }
}
