import Foundation

/// A CSV file's bytes a few megabytes at a time, each block cut after its last line break outside quotes,
/// so every block holds whole records: what `CSVChunkReader` (numbers) and `RawTableReader` (text cells)
/// tokenize, so that their memory does not grow with the file.
///
/// A quoted field may hold line breaks: an even number of `"` before a `\n` means the `\n` ends a record.
/// A record longer than a block is read whole. Each block is checked to be UTF-8 (the error names the
/// line, counted from `line`, which the reader that tokenizes a block moves past it); a NumPy file is
/// recognised by its first bytes.
///
/// ```swift
/// let blocks = try CSVRecordBlocks(path: "big.csv", blockSize: 4 << 20)
/// while let bytes = try blocks.next() {
///     // tokenize `bytes` with CSVTokenizer(…, firstLine: blocks.line), then set blocks.line = tokenizer.line
/// }
/// ```
final class CSVRecordBlocks {
    let path: String
    /// The line the next block starts on (1-based): the reader sets it after tokenizing a block.
    var line = 1
    private let handle: FileHandle
    private let blockSize: Int
    private var pending: [UInt8] = []
    private var atEnd = false
    private var isFirstBlock = true
    /// Whether a block that is not UTF-8 is read as Windows-1252 (`Windows1252`) rather than refused: raw tables.
    let readsWindows1252: Bool
    /// Whether some block was read as Windows-1252.
    private(set) var readWindows1252 = false

    /// Opens `path`.
    /// - Throws: `DataError.io` naming the file: no such file, a directory, unreadable.
    init(path: String, blockSize: Int, readsWindows1252: Bool = false) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw DataError.io(file: path, "no such file") }
        guard !isDirectory.boolValue else { throw DataError.io(file: path, "is a directory, not a file") }
        try CSVTable.refuseDevice(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DataError.io(file: path, "cannot be read") }
        self.path = path
        self.handle = handle
        self.blockSize = Swift.max(64, blockSize)
        self.readsWindows1252 = readsWindows1252
    }

    deinit { try? handle.close() }

    /// Puts bytes back in front of what is still to come (the part of a block after the header).
    func putBack(_ bytes: ArraySlice<UInt8>) {
        pending = Array(bytes) + pending
    }

    /// The bytes up to the last record boundary available (reading more as needed), or nil at the end.
    func next() throws -> [UInt8]? {
        while true {
            if !atEnd && pending.count < blockSize {
                try read()
                if isFirstBlock, !pending.isEmpty {
                    isFirstBlock = false
                    if pending.starts(with: [0x93] + Array("NUMPY".utf8)) { try CSVTable.checkText(pending, file: path) }
                }
            }
            if pending.isEmpty { return nil }
            if atEnd {
                let bytes = pending
                pending = []
                return try checkUTF8(bytes)
            }
            if let cut = Self.lastRecordBoundary(pending) {
                let bytes = Array(pending[..<cut])
                pending.removeFirst(cut)
                return try checkUTF8(bytes)
            }
            // No complete record yet: read another block (a record may be longer than one block).
            if pending.count >= blockSize { try read() }
        }
    }

    private func read() throws {
        let block: Data
        do {
            block = try handle.read(upToCount: blockSize) ?? Data()
        } catch {
            throw DataError.io(file: path, "cannot be read: \(error.localizedDescription)")
        }
        if block.isEmpty { atEnd = true } else { pending += block }
    }

    /// One past the last `\n` outside quotes, or nil if there is none.
    static func lastRecordBoundary(_ bytes: [UInt8]) -> Int? {
        var inQuotes = false
        var last: Int?
        bytes.withUnsafeBufferPointer { buffer in
            for index in 0..<buffer.count {
                let byte = buffer[index]
                if byte == 0x22 { inQuotes.toggle() } else if byte == 0x0A && !inQuotes { last = index + 1 }
            }
        }
        return last
    }

    /// The block as UTF-8: itself, or read as Windows-1252 when it is not UTF-8 and `readsWindows1252`.
    private func checkUTF8(_ bytes: [UInt8]) throws -> [UInt8] {
        if let (found, column, byte) = CSVTable.firstNonUTF8(bytes) {
            if readsWindows1252 {
                readWindows1252 = true
                return Windows1252.utf8(from: bytes)
            }
            throw DataError.invalidCSV(file: path, "line \(line + found - 1) is not UTF-8 (byte 0x\(String(byte, radix: 16, uppercase: true)) at "
                                       + "byte \(column) of the line, e.g. Latin-1); save the file as UTF-8")
        }
        return bytes
    }
}
