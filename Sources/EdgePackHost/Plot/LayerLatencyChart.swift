import Foundation

/// One layer's median latency with the binary kernels and with the float kernels.
public struct LayerLatency: Equatable {
    public var name: String
    public var op: String
    public var binaryMs: Double
    public var floatMs: Double
    public init(name: String, op: String, binaryMs: Double, floatMs: Double) {
        self.name = name; self.op = op; self.binaryMs = binaryMs; self.floatMs = floatMs
    }
}

/// `bench --plot`: per-layer latency as a horizontal bar chart in SVG, a pair of bars per layer
/// (binary above float) on one linear millisecond axis, written without a plotting library.
public enum LayerLatencyChart {
    static let width = 900.0
    static let labelWidth = 300.0      // layer names on the left
    static let valueWidth = 70.0       // room for the value after the longest bar
    static let barHeight = 11.0
    static let rowGap = 9.0
    static let top = 64.0
    static let binaryColor = "#1f5fa8", floatColor = "#e8963a"

    /// Layers that take less than this share of the float kernels' total are drawn as one summed
    /// row when there are more than `readableRows`: a 60-layer network stays a readable chart.
    static let minorShare = 0.01
    static let readableRows = 24

    /// The rows drawn: every layer, or the major ones in order and one row summing the others.
    public static func rows(_ layers: [LayerLatency]) -> [LayerLatency] {
        guard layers.count > readableRows else { return layers }
        let total = layers.reduce(0) { $0 + max($1.binaryMs, $1.floatMs) }
        let major = layers.filter { max($0.binaryMs, $0.floatMs) >= minorShare * total }
        let minor = layers.filter { max($0.binaryMs, $0.floatMs) < minorShare * total }
        guard !minor.isEmpty else { return layers }
        return major + [LayerLatency(name: "\(minor.count) layers under 1 % each", op: "(summed)",
                                     binaryMs: minor.reduce(0) { $0 + $1.binaryMs }, floatMs: minor.reduce(0) { $0 + $1.floatMs })]
    }

    public static func svg(title: String, layers all: [LayerLatency]) -> String {
        let layers = rows(all)
        let plotWidth = width - labelWidth - valueWidth - 10
        let axisMax = niceCeiling(layers.reduce(0) { max($0, $1.binaryMs, $1.floatMs) })
        let rowHeight = 2 * barHeight + rowGap
        let height = top + Double(layers.count) * rowHeight + 40
        let x = { (ms: Double) -> Double in labelWidth + plotWidth * ms / axisMax }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
        s += "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">\n"
        s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">\(escaped(title))</text>\n"
        // Legend.
        for (k, (label, color)) in [("binary kernels", binaryColor), ("float kernels", floatColor)].enumerated() {
            let lx = 10 + Double(k) * 130
            s += "<rect x=\"\(n(lx))\" y=\"32\" width=\"12\" height=\"12\" fill=\"\(color)\"/>"
            s += "<text x=\"\(n(lx + 17))\" y=\"42\">\(label)</text>\n"
        }
        // Grid lines and tick labels at fifths of the axis.
        let bottom = top + Double(layers.count) * rowHeight
        for t in 0...5 {
            let ms = axisMax * Double(t) / 5
            s += "<line x1=\"\(n(x(ms)))\" y1=\"\(n(top - 6))\" x2=\"\(n(x(ms)))\" y2=\"\(n(bottom))\" stroke=\"#dddddd\"/>"
            s += "<text x=\"\(n(x(ms)))\" y=\"\(n(bottom + 15))\" text-anchor=\"middle\" fill=\"#555555\">\(msText(ms))</text>\n"
        }
        s += "<text x=\"\(n(labelWidth + plotWidth / 2))\" y=\"\(n(bottom + 32))\" text-anchor=\"middle\" fill=\"#555555\">milliseconds per inference (median)</text>\n"
        for (k, layer) in layers.enumerated() {
            let y = top + Double(k) * rowHeight
            let label = layer.op + "  " + layer.name
            s += "<text x=\"\(n(labelWidth - 8))\" y=\"\(n(y + barHeight + 3))\" text-anchor=\"end\">\(escaped(clipped(label, 46)))</text>\n"
            for (row, (ms, color, kind)) in [(layer.binaryMs, binaryColor, "binary"), (layer.floatMs, floatColor, "float")].enumerated() {
                let by = y + Double(row) * barHeight
                let w = max(0, x(ms) - labelWidth)
                s += "<rect class=\"\(kind)\" x=\"\(n(labelWidth))\" y=\"\(n(by))\" width=\"\(n(w))\" height=\"\(n(barHeight - 1))\" fill=\"\(color)\">"
                s += "<title>\(escaped(layer.name)) \(kind): \(msText(ms)) ms</title></rect>"
                s += "<text x=\"\(n(labelWidth + w + 4))\" y=\"\(n(by + barHeight - 2))\" font-size=\"9\" fill=\"#333333\">\(msText(ms))</text>\n"
            }
        }
        return s + "</svg>\n"
    }

    /// 1, 2 or 5 times a power of ten, at or above `v`: axis ends on a round number.
    static func niceCeiling(_ v: Double) -> Double {
        guard v > 0 else { return 1 }
        let p = pow(10, floor(log10(v)))
        for m in [1.0, 2, 5, 10] where m * p >= v * (1 - 1e-12) { return m * p }
        return 10 * p
    }

    static func msText(_ ms: Double) -> String {
        ms == 0 ? "0" : ms >= 10 ? String(format: "%.1f", ms) : ms >= 0.1 ? String(format: "%.2f", ms) : String(format: "%.3f", ms)
    }

    static func n(_ v: Double) -> String { String(format: "%.1f", v) }

    static func clipped(_ s: String, _ count: Int) -> String { s.count <= count ? s : String(s.prefix(count - 1)) + "…" }

    static func escaped(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default:
                // Control characters are not allowed in XML 1.0.
                if let a = c.asciiValue, a < 0x20, c != "\t" { out += " " } else { out.append(c) }
            }
        }
        return out
    }
}
