import Foundation
import DescentFiles
import DescentTensor

/// The element types a safetensors file may declare, with their sizes in bytes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL
    case F8_E4M3, F8_E5M2

    /// Bytes per element.
    public var byteCount: Int {
        switch self {
        case .F64, .I64, .U64: return 8
        case .F32, .I32, .U32: return 4
        case .F16, .BF16, .I16, .U16: return 2
        case .I8, .U8, .BOOL, .F8_E4M3, .F8_E5M2: return 1
        }
    }

    /// How elements convert to Float32 on loading (nil: not supported).
    var scalar: BinaryScalar? {
        switch self {
        case .F64: return .float64
        case .F32: return .float32
        case .F16: return .float16
        case .BF16: return .bfloat16
        case .I64: return .int64
        case .I32: return .int32
        case .I16: return .int16
        case .I8: return .int8
        case .U64: return .uint64
        case .U32: return .uint32
        case .U16: return .uint16
        case .U8: return .uint8
        case .BOOL: return .bool
        case .F8_E4M3, .F8_E5M2: return nil
        }
    }
}

/// One entry of a safetensors header: where a tensor's bytes lie and what they are.
public struct SafetensorsTensorInfo: Sendable, Equatable {
    public var name: String
    public var dtype: SafetensorsDType
    public var shape: [Int]
    /// Byte range inside the data part (after the header).
    public var dataOffsets: Range<Int>
}

/// The header of a safetensors file: its tensors (in data order) and its `__metadata__`.
public struct SafetensorsHeader: Sendable, Equatable {
    /// The tensors, ordered by where their data starts.
    public var tensors: [SafetensorsTensorInfo]
    /// The free-form string map stored under `__metadata__` (empty if absent).
    public var metadata: [String: String]
    /// The length of the JSON header in bytes (after the 8-byte length prefix).
    public var headerByteCount: Int
}

/// Model weights in the safetensors format (Hugging Face), interchangeable with
/// the official `safetensors` Python library and PyTorch.
///
/// A file is an 8-byte little-endian header length N, N bytes of JSON
/// (`{"__metadata__": {...}, "name": {"dtype": "F32", "shape": [2, 3],
/// "data_offsets": [0, 24]}, ...}`, padded with spaces to a multiple of 8),
/// then the tensors' bytes, little-endian, C order, contiguous.
/// Saving writes Float32 tensors sorted by name, byte for byte as
/// `safetensors.numpy.save` does. Loading converts F32, F64, F16, BF16 and
/// integer/bool tensors to Float32, and validates everything first: header
/// length against the file and a 100 MB cap, the JSON, every dtype, shape and
/// offset (inside the data, contiguous, not overlapping, matching dtype × shape).
/// Spec: https://github.com/huggingface/safetensors
///
/// ```swift
/// try Safetensors.save(["weight": w, "bias": b], metadata: ["format": "pt"], to: "model.safetensors")
/// let loaded = try Safetensors.load(path: "model.safetensors")   // ["bias": ..., "weight": ...]
/// // Python: safetensors.torch.load_file("model.safetensors") gives the same tensors.
/// ```
public enum Safetensors {
    /// The largest header accepted, as in the reference implementation (100 MB).
    public static let maximumHeaderByteCount = 100_000_000

    // MARK: Saving

    /// Writes `tensors` (and optional string `metadata`) to a safetensors file.
    /// - Throws: `DataError` if a name is `__metadata__` or the file cannot be written.
    public static func save(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        try writeWholeFile(encode(tensors, metadata: metadata), to: path)
    }

    /// The bytes of a safetensors file holding `tensors` as F32, sorted by name.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        let names = tensors.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        if names.contains("__metadata__") {
            throw DataError.invalidArgument(parameter: "tensors", "the name \"__metadata__\" is reserved for metadata")
        }
        var parts: [String] = []
        if !metadata.isEmpty {
            let keys = metadata.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            let entries = keys.map { JSONValue.quoted($0) + ":" + JSONValue.quoted(metadata[$0]!) }
            parts.append("\"__metadata__\":{" + entries.joined(separator: ",") + "}")
        }
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            let end = offset + tensor.count * 4
            parts.append(JSONValue.quoted(name) + ":{\"dtype\":\"F32\",\"shape\":["
                + tensor.shape.map(String.init).joined(separator: ",") + "],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + parts.joined(separator: ",") + "}").utf8)
        header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
        bytes += header
        for name in names {
            tensors[name]!.withUnsafeBufferPointer { buffer in
                for value in buffer { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
            }
        }
        return bytes
    }

    // MARK: Loading

    /// Loads every tensor of a safetensors file as Float32.
    public static func load(path: String) throws -> [String: Tensor] {
        try loadWithMetadata(path: path).tensors
    }

    /// Loads every tensor of a safetensors file as Float32, and its `__metadata__`.
    public static func loadWithMetadata(path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try decode(try readWholeFile(path), source: path)
    }

    /// Parses the bytes of a safetensors file; `source` names it in errors.
    /// - Throws: `DataError.malformedFile` / `.malformedTensor` naming the file (and tensor).
    public static func decode(_ bytes: [UInt8], source: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard bytes.count >= 8 else {
            throw DataError.malformedFile(file: source, format: "safetensors",
                "file is \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = try checkedHeaderLength(prefix: Array(bytes[0..<8]), fileSize: bytes.count, source: source)
        let header = try parseHeader(bytes[8..<(8 + headerLength)], dataByteCount: bytes.count - 8 - headerLength, source: source)
        let dataStart = 8 + headerLength
        var tensors: [String: Tensor] = [:]
        try bytes.withUnsafeBytes { raw in
            for info in header.tensors {
                guard let scalar = info.dtype.scalar else {
                    throw DataError.malformedTensor(file: source, tensor: info.name,
                        "dtype \(info.dtype.rawValue) cannot be converted to Float32")
                }
                let values = scalar.convert(raw, offset: dataStart + info.dataOffsets.lowerBound,
                                            count: info.dataOffsets.count / info.dtype.byteCount, bigEndian: false)
                tensors[info.name] = try Tensor(shape: info.shape, scalars: values)
            }
        }
        return (tensors, header.metadata)
    }

    /// The bytes of a file, read whole, with errors naming it (for `decode` and `tensorSHA256(fileBytes:source:)`).
    public static func readFile(_ path: String) throws -> [UInt8] { try readWholeFile(path) }

    /// The SHA-256 of each tensor's bytes as they lie in a safetensors file (its `data_offsets` range of the
    /// data part), by name; in Python `hashlib.sha256(data[8 + n + begin : 8 + n + end]).hexdigest()`.
    /// - Throws: `DataError` as `decode` does for a malformed file.
    public static func tensorSHA256(fileBytes bytes: [UInt8], source: String) throws -> [String: String] {
        guard bytes.count >= 8 else {
            throw DataError.malformedFile(file: source, format: "safetensors", "file is \(bytes.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = try checkedHeaderLength(prefix: Array(bytes[0..<8]), fileSize: bytes.count, source: source)
        let header = try parseHeader(bytes[8..<(8 + headerLength)], dataByteCount: bytes.count - 8 - headerLength, source: source)
        let dataStart = 8 + headerLength
        var digests: [String: String] = [:]
        bytes.withUnsafeBytes { raw in
            for info in header.tensors {
                var digest = SHA256()
                digest.update(UnsafeRawBufferPointer(rebasing: raw[(dataStart + info.dataOffsets.lowerBound)..<(dataStart + info.dataOffsets.upperBound)]))
                digests[info.name] = digest.finalizeHex()
            }
        }
        return digests
    }

    /// The SHA-256 of each tensor's bytes as `encode` lays them out (Float32, little-endian, C order), by name:
    /// what `tensorSHA256(fileBytes:source:)` finds in the file `save` writes.
    public static func tensorSHA256(_ tensors: [String: Tensor]) -> [String: String] {
        tensors.mapValues { tensor in
            var digest = SHA256()
            tensor.withUnsafeBufferPointer { buffer in
                let words = buffer.map { $0.bitPattern.littleEndian }
                words.withUnsafeBytes { digest.update($0) }
            }
            return digest.finalizeHex()
        }
    }

    /// Reads and validates only the header of a safetensors file (the data is not read).
    public static func readHeader(path: String) throws -> SafetensorsHeader {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.io(file: path, "no such file")
        }
        // Reading a directory through FileHandle traps on Linux; say what it is instead.
        guard !isDirectory.boolValue else { throw DataError.io(file: path, "is a directory, not a file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError.io(file: path, "cannot be read") }
        defer { try? handle.close() }
        let fileSize = Int((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)??.int64Value ?? 0)
        func read(_ count: Int) throws -> [UInt8] {
            do {
                return [UInt8](try handle.read(upToCount: count) ?? Data())
            } catch {
                throw DataError.io(file: path, "cannot be read: \(error.localizedDescription)")
            }
        }
        let prefix = try read(8)
        guard prefix.count == 8 else {
            throw DataError.malformedFile(file: path, format: "safetensors",
                "file is \(prefix.count) bytes, shorter than the 8-byte header length")
        }
        let headerLength = try checkedHeaderLength(prefix: prefix, fileSize: fileSize, source: path)
        let headerBytes = try read(headerLength)
        guard headerBytes.count == headerLength else {
            throw DataError.malformedFile(file: path, format: "safetensors", "file ends inside the header")
        }
        return try parseHeader(headerBytes[...], dataByteCount: fileSize - 8 - headerLength, source: path)
    }

    private static func checkedHeaderLength(prefix: [UInt8], fileSize: Int, source: String) throws -> Int {
        var length: UInt64 = 0
        for (index, byte) in prefix.enumerated() { length |= UInt64(byte) << (8 * UInt64(index)) }
        guard length <= UInt64(maximumHeaderByteCount) else {
            throw DataError.malformedFile(file: source, format: "safetensors",
                "header length \(length) is larger than the 100 MB limit (\(maximumHeaderByteCount) bytes)")
        }
        guard Int(length) <= fileSize - 8 else {
            throw DataError.malformedFile(file: source, format: "safetensors",
                "header length \(length) is longer than the rest of the file (\(fileSize - 8) bytes)")
        }
        guard length >= 2 else {
            throw DataError.malformedFile(file: source, format: "safetensors", "header length \(length) is too short for a JSON object")
        }
        return Int(length)
    }

    /// Parses and validates the JSON header; `dataByteCount` is the size of the data part.
    static func parseHeader(_ headerBytes: ArraySlice<UInt8>, dataByteCount: Int, source: String) throws -> SafetensorsHeader {
        func fail(_ detail: String) -> DataError { .malformedFile(file: source, format: "safetensors", detail) }
        let json: JSONValue
        do {
            json = try JSONValue.parse(headerBytes)
        } catch let error as JSONValue.ParseError {
            if let name = error.duplicateKey { throw fail("the name \"\(name)\" appears twice in the header") }
            throw fail("header is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case let .object(members) = json else { throw fail("header is not a JSON object") }
        var metadata: [String: String] = [:]
        var tensors: [SafetensorsTensorInfo] = []
        // By name, so that a header with several faults reports the same one every time.
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            if name == "__metadata__" {
                guard case let .object(pairs) = value else { throw fail("__metadata__ is not an object of strings") }
                for (key, entry) in pairs.sorted(by: { $0.key < $1.key }) {
                    guard case let .string(text) = entry else { throw fail("__metadata__ value for \"\(key)\" is not a string") }
                    metadata[key] = text
                }
                continue
            }
            func bad(_ detail: String) -> DataError { .malformedTensor(file: source, tensor: name, detail) }
            guard case let .object(fields) = value else { throw bad("entry is not a JSON object") }
            var dtypeText: String?, shapeValues: [JSONValue]?, offsetValues: [JSONValue]?
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                switch (key, field) {
                case let ("dtype", .string(text)): dtypeText = text
                case let ("shape", .array(values)): shapeValues = values
                case let ("data_offsets", .array(values)): offsetValues = values
                default: throw bad("unexpected or ill-typed field \"\(key)\"")
                }
            }
            guard let dtypeText else { throw bad("missing \"dtype\"") }
            guard let dtype = SafetensorsDType(rawValue: dtypeText) else { throw bad("unknown dtype \"\(dtypeText)\"") }
            guard let shapeValues else { throw bad("missing \"shape\"") }
            guard let offsetValues, offsetValues.count == 2 else { throw bad("\"data_offsets\" must be [begin, end]") }
            let shape = try shapeValues.map { value -> Int in
                guard let dimension = integer(value) else { throw bad("shape \(describe(shapeValues)) has an entry that is not a non-negative integer") }
                return dimension
            }
            guard let begin = integer(offsetValues[0]), let end = integer(offsetValues[1]) else {
                throw bad("data_offsets \(describe(offsetValues)) must be non-negative integers")
            }
            guard begin <= end else { throw bad("data_offsets [\(begin), \(end)] end before they begin") }
            guard end <= dataByteCount else {
                throw bad("data_offsets [\(begin), \(end)] run past the end of the data (\(dataByteCount) bytes)")
            }
            guard let count = checkedElementCount(shape) else { throw bad("shape \(shape) has an element count that overflows") }
            let (byteCount, overflow) = count.multipliedReportingOverflow(by: dtype.byteCount)
            guard !overflow, byteCount == end - begin else {
                throw bad("shape \(shape) of \(dtype.rawValue) needs \(overflow ? "more than Int.max" : String(byteCount)) bytes but data_offsets [\(begin), \(end)] hold \(end - begin)")
            }
            tensors.append(SafetensorsTensorInfo(name: name, dtype: dtype, shape: shape, dataOffsets: begin..<end))
        }
        tensors.sort { ($0.dataOffsets.lowerBound, $0.dataOffsets.upperBound) < ($1.dataOffsets.lowerBound, $1.dataOffsets.upperBound) }
        var position = 0
        var previous: String?
        for info in tensors {
            if info.dataOffsets.lowerBound < position {
                throw DataError.malformedTensor(file: source, tensor: info.name,
                    "data_offsets [\(info.dataOffsets.lowerBound), \(info.dataOffsets.upperBound)] overlap tensor \"\(previous ?? "")\"")
            }
            if info.dataOffsets.lowerBound > position {
                throw DataError.malformedTensor(file: source, tensor: info.name,
                    "data_offsets [\(info.dataOffsets.lowerBound), \(info.dataOffsets.upperBound)] leave a gap of \(info.dataOffsets.lowerBound - position) bytes before them")
            }
            position = info.dataOffsets.upperBound
            previous = info.name
        }
        guard position == dataByteCount else {
            throw fail("the tensors cover \(position) bytes of data but the file has \(dataByteCount) after the header")
        }
        return SafetensorsHeader(tensors: tensors, metadata: metadata, headerByteCount: headerBytes.count)
    }

    /// A whole number from 0 to 2⁵³ (beyond it a `Double` is not exact, and no file is that large).
    private static func integer(_ value: JSONValue) -> Int? {
        guard case let .number(number) = value, number >= 0, number == number.rounded(), number <= 9_007_199_254_740_992 else { return nil }
        return Int(number)
    }

    private static func describe(_ values: [JSONValue]) -> String {
        "[" + values.map { value -> String in
            switch value {
            case let .number(number): return integer(value).map(String.init) ?? "\(number)"
            case let .string(text): return JSONValue.quoted(text)
            default: return "…"
            }
        }.joined(separator: ", ") + "]"
    }
}
