/// How an ``SVGLineChart`` keeps its marks legible: merged markers, label rows that do not
/// overlap, thinned long series, and stable element ids.
extension SVGLineChart {
    /// Markers drawn at the same pixel become one, labelled "rollback ×3" or "best epoch, early stop",
    /// so labels do not pile up; `x` of the result is the pixel position.
    static func merged(_ markers: [ChartMarker], position: (Double) -> Double) -> [ChartMarker] {
        var groups: [(x: Double, labels: [(label: String, count: Int)])] = []
        for marker in markers {
            let x = position(marker.x)
            let index = groups.firstIndex { Swift.abs($0.x - x) < 1 } ?? {
                groups.append((x, []))
                return groups.count - 1
            }()
            if let label = groups[index].labels.firstIndex(where: { $0.label == marker.label }) {
                groups[index].labels[label].count += 1
            } else {
                groups[index].labels.append((marker.label, 1))
            }
        }
        return groups.map { group in
            ChartMarker(x: group.x, label: group.labels.map { $0.count > 1 ? "\($0.label) ×\($0.count)" : $0.label }.joined(separator: ", "))
        }
    }

    /// Where each marker's label goes: the first of up to four rows where it fits to the right of its
    /// line (or else to the left) without overlapping a label already placed; markers sorted by x.
    static func placeLabels(_ markers: [ChartMarker], plot: (x: Double, width: Double)) -> [(row: Int, left: Bool)] {
        var taken: [[ClosedRange<Double>]] = Array(repeating: [], count: 4)
        return markers.enumerated().map { index, marker in
            let width = textWidth(marker.label) * 11 / 12
            let right = (marker.x + 4)...(marker.x + 4 + width), left = (marker.x - 4 - width)...(marker.x - 4)
            for row in 0..<taken.count {
                for (span, isLeft) in [(right, false), (left, true)] {
                    guard span.lowerBound >= plot.x - 2, span.upperBound <= plot.x + plot.width + 2,
                          !taken[row].contains(where: { $0.overlaps(span) }) else { continue }
                    taken[row].append((span.lowerBound - 3)...(span.upperBound + 3))
                    return (row, isLeft)
                }
            }
            return (index % taken.count, marker.x > plot.x + plot.width * 0.7)
        }
    }

    /// A short stable hexadecimal fingerprint of `text` (FNV-1a, 32 bits), for element ids.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return String(hash, radix: 16)
    }

    /// About how wide `text` is at 12 px (for laying out the legend).
    static func textWidth(_ text: String) -> Double { Double(text.count) * 6.8 }

    /// Keeps, for each pixel column, the first, lowest, highest and last point (in order), when
    /// there are more than two points per column; gaps (nil) are kept.
    static func thin<Point>(_ points: [(Double, Double, Point)?], columns: Int) -> [(Double, Double, Point)?] {
        guard points.count > 2 * Swift.max(columns, 1) else { return points }
        var result: [(Double, Double, Point)?] = []
        var bucket: [(Double, Double, Point)] = []
        var bucketColumn = Int.min
        func flush() {
            guard !bucket.isEmpty else { return }
            var lowest = 0, highest = 0
            for index in bucket.indices {
                if bucket[index].1 < bucket[lowest].1 { lowest = index }
                if bucket[index].1 > bucket[highest].1 { highest = index }
            }
            for index in Set([0, lowest, highest, bucket.count - 1]).sorted() { result.append(bucket[index]) }
            bucket.removeAll(keepingCapacity: true)
        }
        for point in points {
            guard let point else { flush(); result.append(nil); bucketColumn = Int.min; continue }
            let column = Int(point.0.rounded(.down))
            if column != bucketColumn { flush(); bucketColumn = column }
            bucket.append(point)
        }
        flush()
        return result
    }
}
