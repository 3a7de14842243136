/// Colours for chart series that stay distinguishable with the common forms of colour blindness.
///
/// The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2002; recommended by Wong,
/// "Points of view: Color blindness", Nature Methods 8, 2011), in an order that puts the
/// strongest contrasts first and leaves out black (invisible in dark mode) and yellow (faint on
/// white) until the other six are used. Series `i` gets `colors[i % colors.count]`:
/// the first is blue `#0072B2`, the second vermillion `#D55E00`.
public enum ChartPalette {
    public static let colors: [String] = [
        "#0072B2",  // blue
        "#D55E00",  // vermillion
        "#009E73",  // bluish green
        "#CC79A7",  // reddish purple
        "#E69F00",  // orange
        "#56B4E9",  // sky blue
        "#F0E442",  // yellow
    ]

    /// The colour of series number `index` (0-based).
    public static func color(_ index: Int) -> String {
        colors[((index % colors.count) + colors.count) % colors.count]
    }
}
