import Foundation
import EdgePackFormat
import EdgePackHost
import EdgePackRuntime

/// Options of `edgepack convert`.
public struct ConvertOptions {
    public var load = LoadOptions()
    /// Model name stored in the file (default: the ONNX file's base name).
    public var name: String? = nil
    public var description = ""
    /// Preprocessing to store. When all three are nil, the `edgepack.*` entries of the ONNX
    /// metadata_props are used (if any); when one is set, those entries are ignored.
    public var audio: AudioFrontEndSpec? = nil
    public var pointCloud: PointCloudSpec? = nil
    public var image: ImageSpec? = nil
    /// Binary layers whose result only feeds a sign write the sign bits (FuseBitpackedOutputs).
    public var bitpackedOutputs = true
    /// Approximate weights sign(w)·mean|w| per output channel where a Sign-fed layer's weights
    /// keep other magnitudes (BinaryWeights.rebinarized); off by default.
    public var rebinarize = false
    public init() {}
}

/// ONNX → .epk: load, fold constants (weight quantizers become weights), infer shapes, rewrite
/// exporter patterns, choose binary or float kernels per layer, write the model.
public enum Converter {
    /// Appended to the file's producer when the model was converted with --rebinarize.
    public static let rebinarizeMark = "--rebinarize"
    public struct Result {
        public var model: [UInt8]
        public var report: ConversionReport
    }

    public static func convert(path: String, options: ConvertOptions = ConvertOptions(),
                               progress: ((String) -> Void)? = nil) throws -> Result {
        progress?("reading \(path)")
        var g = try ONNXLoader.load(path: path, options: options.load)
        var o = options
        // Names stored in the model are UTF-8: a path's other bytes become U+FFFD there.
        let file = String(decoding: PathText.bytes(URL(fileURLWithPath: path).lastPathComponent), as: UTF8.self)
        if o.name == nil { o.name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent }
        return try convert(graph: &g, source: file, options: o, progress: progress)
    }

    public static func convert(graph g: inout Graph, source: String, options: ConvertOptions,
                               progress: ((String) -> Void)? = nil) throws -> Result {
        var report = ConversionReport()
        report.model = options.name ?? g.name
        report.opset = g.opset
        report.onnxNodes = g.nodes.count
        report.warnings = g.warnings
        progress?("folding constants (\(g.nodes.count) nodes)")
        report.straightThroughWeights = try WeightStraightThrough.run(&g).map { ($0.value, $0.relativeChange) }
        report.folding = try ConstantFolding.run(&g)
        try ShapeInference.run(&g)
        SameShapeReshape.run(&g)
        var notes = StraightThroughSign.run(&g)
        TwoPassSignInput.run(&g, notes: &notes, rebinarize: options.rebinarize)
        ScaledSignInput.run(&g, notes: &notes)
        SignThroughLayout.run(&g, notes: &notes)
        DeadNodeElimination.run(&g)
        try ShapeInference.run(&g)
        try MeanOverTrailingAxes.run(&g)
        notes.merge(try StridedSliceToConv.run(&g))
        try FoldPadsIntoConv.run(&g)
        notes.merge(try PadsAsDepthwiseConv.run(&g))
        DeadNodeElimination.run(&g)
        try ShapeInference.run(&g)
        progress?("mapping \(g.nodes.count) nodes to kernels")

        let b = ModelBuilder(name: report.model, producer: "edgepack convert")
        b.metadata.source = source
        b.metadata.description = options.description
        let given = PreprocessingConfig(audio: options.audio, pointCloud: options.pointCloud, image: options.image)
        let prep = try PreprocessingConfig.choose(given: given, metadata: g.metadata)
        report.preprocessing = prep.config.summary
        report.preprocessingSource = prep.source
        report.warnings += prep.warnings
        b.audio = prep.config.audio
        b.pointCloud = prep.config.pointCloud
        b.image = prep.config.image
        let e = Emitter(graph: g, builder: b, notes: notes)
        e.rebinarize = options.rebinarize
        var lastTenth = -1
        try e.run { done, total in
            let tenth = done * 10 / max(total, 1)
            if total >= 200, tenth != lastTenth { lastTenth = tenth; progress?("\(done)/\(total) nodes") }
        }
        report.layers = e.records
        // verify reads it: the outputs of such a model deviate from the ONNX by design.
        if !report.rebinarized.isEmpty { b.metadata.producer += " " + Converter.rebinarizeMark }
        if options.bitpackedOutputs {
            (report.bitpackedOutputs, report.unfusedAtZero) = FuseBitpackedOutputs.run(b)
        }
        report.zeroMasks = ZeroMasks.run(b)
        let model = b.serialize()
        try checkReadable(model)
        return Result(model: model, report: report)
    }

    /// Loads `model` as the runtime will (at a mapping's alignment), so that a file the runtime
    /// refuses is never written: ONNX names and the options' strings reach it unchanged.
    static func checkReadable(_ model: [UInt8]) throws(LowerError) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(model.count, 1), alignment: bufferAlignment)
        defer { copy.deallocate() }
        copy.copyBytes(from: model)
        do { _ = try ModelFile(bytes: UnsafeRawBufferPointer(rebasing: copy[0..<model.count])) } catch {
            throw .refusedByRuntime(detail: error.message)
        }
    }
}
