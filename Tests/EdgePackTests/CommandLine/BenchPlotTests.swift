import EdgePackFormat
import EdgePackHost
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

// `bench --plot`: the SVG is read back with Foundation's XML parser (well-formed, names escaped)
// and each bar's width is checked against the latency it stands for.

/// The bars (class, width) and texts of an SVG document.
final class SVGBars: NSObject, XMLParserDelegate {
    var bars: [(kind: String, width: Double)] = []
    var texts: [String] = []
    private var text: String?
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        if name == "rect", let kind = attributes["class"], let w = attributes["width"].flatMap(Double.init) { bars.append((kind, w)) }
        if name == "text" { text = "" }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) { text? += string }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "text", let t = text { texts.append(t); text = nil }
    }
    static func read(_ data: Data) -> SVGBars? {
        let reader = SVGBars()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        return parser.parse() ? reader : nil
    }
}

@Suite("bench --plot draws per-layer latency")
struct BenchPlotTests {
    @Test func barsAreProportionalAndNamesEscaped() throws {
        let layers = [LayerLatency(name: "conv <1> & \"stem\"", op: "BinaryConv2D", binaryMs: 0.25, floatMs: 1.5),
                      LayerLatency(name: "fc", op: "Dense", binaryMs: 0.05, floatMs: 0.05),
                      LayerLatency(name: "head", op: "Softmax", binaryMs: 0, floatMs: 0.001)]
        let svg = LayerLatencyChart.svg(title: "m & n", layers: layers)
        let parsed = try #require(SVGBars.read(Data(svg.utf8)), "not well-formed XML")
        #expect(parsed.bars.map(\.kind) == ["binary", "float", "binary", "float", "binary", "float"])
        let values = layers.flatMap { [$0.binaryMs, $0.floatMs] }
        // The axis ends at 2 ms (the round number above 1.5), 520 px wide.
        let scale = parsed.bars[1].width / 1.5
        #expect(abs(scale * 2 - 520) < 0.1, "\(scale)")
        for (bar, ms) in zip(parsed.bars, values) { #expect(abs(bar.width - ms * scale) < 0.06, "\(bar) for \(ms) ms") }
        #expect(parsed.texts.contains("m & n"))
        #expect(parsed.texts.contains { $0.contains("conv <1> & \"stem\"") })
        #expect(parsed.texts.contains("2.00") && parsed.texts.contains("0.40"))
    }

    /// Past 24 layers, those under 1 % of the total are summed into one row; the sums are kept.
    @Test func manyLayersSumTheMinorOnes() throws {
        var layers = (0..<30).map { LayerLatency(name: "small\($0)", op: "Relu", binaryMs: 0.001, floatMs: 0.002) }
        layers.insert(LayerLatency(name: "big", op: "BinaryConv2D", binaryMs: 1, floatMs: 8), at: 5)
        let rows = LayerLatencyChart.rows(layers)
        #expect(rows.map(\.name) == ["big", "30 layers under 1 % each"])
        #expect(abs(rows[1].binaryMs - 0.030) < 1e-12 && abs(rows[1].floatMs - 0.060) < 1e-12)
        let few = Array(layers.prefix(10))
        #expect(LayerLatencyChart.rows(few) == few)
    }

    @Test func cliWritesTheChartOfEveryLayer() throws {
        let dir = temporaryDirectory()
        let model = dir.appendingPathComponent("conv64.epk")
        let bytes = SyntheticModels.build("conv64", seed: 3)!
        try Data(bytes).write(to: model)
        let layerCount = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }.operators.count
        let svg = dir.appendingPathComponent("layers.svg")
        let (status, out, err) = try Program.host.run(["bench", model.path, "--iterations", "3", "--plot", svg.path])
        #expect(status == 0, "\(err)")
        #expect(out.contains("speedup (whole model)"))
        let parsed = try #require(SVGBars.read(try Data(contentsOf: svg)))
        #expect(layerCount <= 24, "conv64 is drawn layer by layer")
        #expect(parsed.bars.filter { $0.kind == "binary" }.count == layerCount)
        #expect(parsed.bars.filter { $0.kind == "float" }.count == layerCount)
        let (usage, _, usageErr) = try Program.host.run(["bench", model.path, "--only", "binary", "--plot", svg.path])
        #expect(usage == 64 && usageErr.contains("--plot compares both modes"), "\(usageErr)")
        let (same, _, sameErr) = try Program.host.run(["bench", model.path, "--plot", model.path])
        #expect(same == 64 && sameErr.contains("refusing to write"), "\(sameErr)")
    }
}
