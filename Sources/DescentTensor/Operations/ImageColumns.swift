/// im2col and col2im: the rearrangement that turns a convolution into one
/// matrix product (Chellapilla, Puri & Simard, 2006; Caffe's `im2col`).
///
/// For images `batchRange` of an NCHW buffer, the column matrix has one row per
/// (channel, kernel row, kernel column) and one column per (image, output row,
/// output column):
///
///     columns[(c·kh + i)·kw + j, (b·OH + y)·OW + x] = input[b, c, y·s − p + i, x·s − p + j]
///
/// with zeros where the index falls in the padding. `col2im` is its adjoint:
/// it adds every column entry back to the input position it was read from.
enum ImageColumns {
    /// Fills `columns` ([patchSize, images·outputPositions], row-major) from `input`.
    static func im2col(_ input: UnsafePointer<Float>, geometry g: SpatialGeometry, batchRange: Range<Int>,
                       into columns: UnsafeMutablePointer<Float>) {
        let images = batchRange.count
        let width = images * g.outputPositions
        let source = SendablePointer(input), target = SendablePointer(columns)
        Parallel.forEachChunk(count: g.patchSize, threshold: Swift.max(2, (1 << 16) / Swift.max(width, 1))) { rows in
            for row in rows {
                let channel = row / (g.kernelHeight * g.kernelWidth)
                let kernelRow = (row / g.kernelWidth) % g.kernelHeight
                let kernelColumn = row % g.kernelWidth
                var out = target.pointer + row * width
                let valid = validOutputs(kernelOffset: kernelColumn, inputSize: g.width, outputSize: g.outputWidth, geometry: g)
                let firstColumn = valid.lowerBound * g.stride - g.padding + kernelColumn
                for image in batchRange {
                    let plane = source.pointer + (image * g.channels + channel) * g.inputPositions
                    for outputRow in 0..<g.outputHeight {
                        let inputRow = outputRow * g.stride - g.padding + kernelRow
                        if inputRow < 0 || inputRow >= g.height || valid.isEmpty {
                            out.update(repeating: 0, count: g.outputWidth)
                            out += g.outputWidth
                            continue
                        }
                        // Zeros left of the image, the image's columns, zeros right of it.
                        out.update(repeating: 0, count: valid.lowerBound)
                        let line = plane + inputRow * g.width + firstColumn
                        if g.stride == 1 {
                            (out + valid.lowerBound).update(from: line, count: valid.count)
                        } else {
                            for offset in 0..<valid.count { out[valid.lowerBound + offset] = line[offset * g.stride] }
                        }
                        (out + valid.upperBound).update(repeating: 0, count: g.outputWidth - valid.upperBound)
                        out += g.outputWidth
                    }
                }
            }
        }
    }

    /// Adds `columns` ([patchSize, images·outputPositions]) back into `input` (the adjoint of `im2col`).
    /// Parallel over channels: rows of different channels write disjoint planes.
    static func col2im(_ columns: UnsafePointer<Float>, geometry g: SpatialGeometry, batchRange: Range<Int>,
                       addingInto input: UnsafeMutablePointer<Float>) {
        let width = batchRange.count * g.outputPositions
        let source = SendablePointer(columns), target = SendablePointer(input)
        let rowsPerChannel = g.kernelHeight * g.kernelWidth
        Parallel.forEachChunk(count: g.channels, threshold: Swift.max(2, (1 << 16) / Swift.max(width * rowsPerChannel, 1))) { channels in
            for channel in channels {
                for kernelRow in 0..<g.kernelHeight {
                    for kernelColumn in 0..<g.kernelWidth {
                        let row = (channel * g.kernelHeight + kernelRow) * g.kernelWidth + kernelColumn
                        var column = UnsafePointer(source.pointer) + row * width
                        let valid = validOutputs(kernelOffset: kernelColumn, inputSize: g.width, outputSize: g.outputWidth, geometry: g)
                        let firstColumn = valid.lowerBound * g.stride - g.padding + kernelColumn
                        for image in batchRange {
                            let plane = target.pointer + (image * g.channels + channel) * g.inputPositions
                            for outputRow in 0..<g.outputHeight {
                                let inputRow = outputRow * g.stride - g.padding + kernelRow
                                if inputRow >= 0 && inputRow < g.height {
                                    let line = plane + inputRow * g.width + firstColumn
                                    let entries = column + valid.lowerBound
                                    for offset in 0..<valid.count { line[offset * g.stride] += entries[offset] }
                                }
                                column += g.outputWidth
                            }
                        }
                    }
                }
            }
        }
    }

    /// The output positions x whose input position x·stride − padding + kernelOffset lies in 0..<inputSize.
    static func validOutputs(kernelOffset: Int, inputSize: Int, outputSize: Int, geometry g: SpatialGeometry) -> Range<Int> {
        // x ≥ ⌈(padding − kernelOffset) / stride⌉ and x ≤ ⌊(inputSize − 1 + padding − kernelOffset) / stride⌋.
        let low = g.padding - kernelOffset, high = inputSize - 1 + g.padding - kernelOffset
        guard high >= 0 else { return 0..<0 }
        let first = low <= 0 ? 0 : (low + g.stride - 1) / g.stride
        let last = Swift.min(outputSize - 1, high / g.stride)
        return first <= last ? first..<(last + 1) : 0..<0
    }

    /// How many images one im2col buffer holds, keeping it near `budget` floats.
    static func imagesPerChunk(_ g: SpatialGeometry, budget: Int = 1 << 22) -> Int {
        Swift.max(1, Swift.min(g.batch, budget / Swift.max(g.patchSize * g.outputPositions, 1)))
    }
}
