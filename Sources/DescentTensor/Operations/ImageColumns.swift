import CDescentElementwise

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
    /// Fills `columns` ([patchSize, images·outputPositions], row-major) from `input`: the images
    /// are copied into zero-padded planes once, then every row is a gather at precomputed offsets
    /// (`descent_im2col_padded`), rows split across cores when there is enough work.
    static func im2col(_ input: UnsafePointer<Float>, geometry g: SpatialGeometry, batchRange: Range<Int>,
                       into columns: UnsafeMutablePointer<Float>) {
        let images = batchRange.count
        let width = images * g.outputPositions
        var geometry = g.cGeometry
        let plane = descent_padded_plane(&geometry)
        ScratchBuffers.with(counts: [images * g.channels * plane]) { buffers in
            let padded = SendablePointer(buffers[0]), target = SendablePointer(columns)
            descent_pad_images(input, &geometry, batchRange.lowerBound, batchRange.upperBound, padded.pointer)
            let offsets = kernelOffsets(&geometry, g)
            offsets.withUnsafeBufferPointer { offsets in
                let table = SendablePointer(offsets.baseAddress!)
                Parallel.forEachChunk(count: g.patchSize, threshold: Swift.max(2, (1 << 16) / Swift.max(width, 1))) { rows in
                    var geometry = g.cGeometry
                    descent_im2col_padded(padded.pointer, &geometry, images, rows.lowerBound, rows.upperBound,
                                          table.pointer, target.pointer)
                }
            }
        }
    }

    /// Adds `columns` ([patchSize, images·outputPositions]) back into `input` (the adjoint of `im2col`):
    /// each channel's rows are added into a zero-padded plane, whose interior is then added to the input.
    /// Parallel over channels: rows of different channels write disjoint planes.
    static func col2im(_ columns: UnsafePointer<Float>, geometry g: SpatialGeometry, batchRange: Range<Int>,
                       addingInto input: UnsafeMutablePointer<Float>) {
        let images = batchRange.count
        let width = images * g.outputPositions
        var geometry = g.cGeometry
        let plane = descent_padded_plane(&geometry)
        let rowsPerChannel = g.kernelHeight * g.kernelWidth
        ScratchBuffers.with(counts: [images * g.channels * plane]) { buffers in
            let padded = SendablePointer(buffers[0]), source = SendablePointer(columns), target = SendablePointer(input)
            let offsets = kernelOffsets(&geometry, g)
            offsets.withUnsafeBufferPointer { offsets in
                let table = SendablePointer(offsets.baseAddress!)
                Parallel.forEachChunk(count: g.channels, threshold: Swift.max(2, (1 << 16) / Swift.max(width * rowsPerChannel, 1))) { channels in
                    var geometry = g.cGeometry
                    descent_col2im_padded(source.pointer, &geometry, images, channels.lowerBound, channels.upperBound,
                                          table.pointer, padded.pointer)
                    descent_unpad_add(padded.pointer, &geometry, batchRange.lowerBound, batchRange.upperBound,
                                      channels.lowerBound, channels.upperBound, target.pointer)
                }
            }
        }
    }

    private static func kernelOffsets(_ geometry: inout descent_spatial_geometry, _ g: SpatialGeometry) -> [Int32] {
        var offsets = [Int32](repeating: 0, count: g.kernelHeight * g.kernelWidth * g.outputPositions)
        offsets.withUnsafeMutableBufferPointer { descent_kernel_offsets(&geometry, $0.baseAddress!) }
        return offsets
    }

    /// How many images one im2col buffer holds, keeping it near `budget` floats.
    static func imagesPerChunk(_ g: SpatialGeometry, budget: Int = 1 << 22) -> Int {
        Swift.max(1, Swift.min(g.batch, budget / Swift.max(g.patchSize * g.outputPositions, 1)))
    }
}
