import EdgePackFormat
import Foundation
import Testing
@testable import EdgePackConvert

/// Preprocessing read from the ONNX metadata_props the training scripts write (edgepack.* keys).
@Suite struct ONNXMetadataTests {
    // MARK: the bundled models

    /// Converted WITHOUT --preprocessing, each trained model carries exactly the preprocessing of
    /// its Datasets/preprocessing/*.conf. The .conf files are written by hand, independently of
    /// the JSON the training scripts put in the ONNX file, so they are the reference. The
    /// point-cloud .conf sets `seed = 1`, which the ONNX metadata lacks: a missing field keeps the
    /// schema default (PointCloudPrep.seed = 1), as in a .conf.
    @Test(arguments: ["kws_bifsmn", "pointcloud_bipointnet", "digits_resnet20"])
    func bundledModelCarriesItsConfPreprocessing(name: String) throws {
        let conf = try PreprocessingConfig.parse(
            String(contentsOf: repoRoot.appendingPathComponent("Datasets/preprocessing/\(name).conf"), encoding: .utf8))
        #expect(!conf.isEmpty)
        let result = try Converter.convert(path: repoRoot.appendingPathComponent("Datasets/trained/\(name).onnx").path)
        #expect(result.report.preprocessingSource == .onnxMetadata)
        #expect(!result.report.warnings.contains { $0.contains("metadata_props") }, "\(result.report.warnings)")
        try result.model.withUnsafeBytes { raw in
            let f = try ModelFile(bytes: raw)
            #expect(f.audio == conf.audio)
            #expect(f.pointCloud == conf.pointCloud)
            #expect(f.image == conf.image)
        }
    }

    // MARK: small models built in code

    static func model(_ metadata: [(String, String)]) throws -> Data {
        var m = ONNXBuild.model(nodes: [ONNXBuild.node("Relu", ["x"], ["y"])], inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"])
        m.metadataProps = metadata.map { k, v in
            var e = Onnx_StringStringEntryProto()
            e.key = k
            e.value = v
            return e
        }
        return try ONNXBuild.bytes(m)
    }

    static func convert(_ metadata: [(String, String)], options: ConvertOptions = ConvertOptions()) throws -> (ModelFileSpecs, ConversionReport) {
        var g = try ONNXLoader.load(data: try model(metadata))
        let r = try Converter.convert(graph: &g, source: "tiny.onnx", options: options)
        let specs = try r.model.withUnsafeBytes { raw in
            let f = try ModelFile(bytes: raw)
            return ModelFileSpecs(audio: f.audio, pointCloud: f.pointCloud, image: f.image)
        }
        return (specs, r.report)
    }

    struct ModelFileSpecs {
        var audio: AudioFrontEndSpec?
        var pointCloud: PointCloudSpec?
        var image: ImageSpec?
    }

    /// An error's case and the key, field or index it names (not the free-text detail).
    static func identity(_ e: MetadataError) -> String {
        switch e {
        case .duplicateKey(let k): "duplicateKey \(k)"
        case .invalidJSON(let k, _): "invalidJSON \(k)"
        case .badField(let k, let f, _): "badField \(k) \(f)"
        case .badValue(let k, _): "badValue \(k)"
        case .labelOutOfRange(let k, let i, let n): "labelOutOfRange \(k) \(i) \(n)"
        }
    }

    /// The conversion fails with this metadata error (checked by case and by the text users see).
    static func expectError(_ metadata: [(String, String)], _ expected: MetadataError, mentions: [String],
                            sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try convert(metadata)
            Issue.record("converted without error; expected \(expected)", sourceLocation: sourceLocation)
        } catch let e as MetadataError {
            #expect(Self.identity(e) == Self.identity(expected), "\(e)", sourceLocation: sourceLocation)
            for m in mentions { #expect(e.description.contains(m), "'\(m)' not in: \(e)", sourceLocation: sourceLocation) }
        } catch {
            Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func partialObjectsKeepTheSchemaDefaults() throws {
        let (s, r) = try Self.convert([("edgepack.audio", #"{"n_mels": 40, "window": "hamming", "f_max": 7600.5}"#),
                                       ("edgepack.labels", " yes , no ")])
        var want = AudioFrontEndSpec()   // schema defaults (Schema/edgepack.fbs)
        want.nMels = 40; want.window = .hamming; want.fMax = 7600.5; want.labels = ["yes", "no"]
        #expect(s.audio == want && s.pointCloud == nil && s.image == nil)
        #expect(r.preprocessingSource == .onnxMetadata && r.preprocessing == "audio, 2 labels")
    }

    /// Every field, set to a value other than its default, lands in the spec field of that name
    /// (the expected specs are assigned field by field here, not read through the parser).
    @Test func everyFieldMapsToItsSpecField() throws {
        let (s, _) = try Self.convert([
            ("edgepack.audio", #"{"amin": 1e-8, "center": false, "clip_samples": 8000, "db_multiplier": 20.0, "f_max": 4000.0, "f_min": 20.0, "#
                + #""hop_length": 160, "mel_scale": "slaney", "n_fft": 512, "n_mels": 40, "normalized": false, "pad_reflect": false, "#
                + #""power": 1.0, "sample_rate": 8000, "to_db": false, "top_db": 80.0, "win_length": 400, "window": "rectangular", "#
                + #""detector_threshold": 0.65, "detector_average": 10, "detector_refractory": 1.5}"#),
            ("edgepack.point_cloud", #"{"num_points": 256, "center": false, "unit_sphere": false, "farthest_point_sampling": true, "seed": 18446744073709551615}"#),
            ("edgepack.image", #"{"channels": 1, "height": 28, "width": 27, "mean": [0.1307], "std": [0.3081]}"#),
            ("edgepack.labels", "p,q,r"), ("edgepack.silence_label", "2"), ("edgepack.unknown_label", "0")])
        var a = AudioFrontEndSpec()
        a.amin = 1e-8; a.center = false; a.clipSamples = 8000; a.dbMultiplier = 20; a.fMax = 4000; a.fMin = 20
        a.hopLength = 160; a.melScale = .slaney; a.nFFT = 512; a.nMels = 40; a.normalized = false; a.padReflect = false
        a.power = 1; a.sampleRate = 8000; a.toDB = false; a.topDB = 80; a.winLength = 400; a.window = .rectangular
        a.detectorThreshold = 0.65; a.detectorAverage = 10; a.detectorRefractory = 1.5
        a.labels = ["p", "q", "r"]; a.silenceLabel = 2; a.unknownLabel = 0
        var p = PointCloudSpec()
        p.numPoints = 256; p.center = false; p.unitSphere = false; p.farthestPointSampling = true; p.seed = .max; p.labels = ["p", "q", "r"]
        var m = ImageSpec()
        m.channels = 1; m.height = 28; m.width = 27; m.mean = [0.1307]; m.std = [0.3081]; m.labels = ["p", "q", "r"]
        #expect(s.audio == a)
        #expect(s.pointCloud == p)
        #expect(s.image == m)
    }

    @Test func malformedJSONNamesTheKey() {
        Self.expectError([("edgepack.audio", #"{"n_mels": 32,"#)], .invalidJSON(key: "edgepack.audio", detail: ""),
                         mentions: ["'edgepack.audio'", "not valid JSON"])
        // Python's json.dumps writes NaN for a float nan unless allow_nan=False.
        Self.expectError([("edgepack.audio", #"{"top_db": NaN}"#)], .invalidJSON(key: "edgepack.audio", detail: ""),
                         mentions: ["NaN and Infinity are not JSON"])
        Self.expectError([("edgepack.image", "[3, 32, 32]")], .invalidJSON(key: "edgepack.image", detail: ""),
                         mentions: ["'edgepack.image'", "expected a JSON object"])
        Self.expectError([("edgepack.point_cloud", "")], .invalidJSON(key: "edgepack.point_cloud", detail: ""),
                         mentions: ["'edgepack.point_cloud'"])
    }

    @Test func wrongTypesNameKeyAndField() {
        Self.expectError([("edgepack.audio", #"{"n_mels": "32"}"#)], .badField(key: "edgepack.audio", field: "n_mels", problem: ""),
                         mentions: ["'edgepack.audio', field 'n_mels'", "expected an integer", "the string \"32\""])
        Self.expectError([("edgepack.audio", #"{"n_fft": 2048.5}"#)], .badField(key: "edgepack.audio", field: "n_fft", problem: ""),
                         mentions: ["field 'n_fft'", "2048.5"])
        Self.expectError([("edgepack.audio", #"{"sample_rate": 99999999999}"#)],
                         .badField(key: "edgepack.audio", field: "sample_rate", problem: ""), mentions: ["32-bit"])
        Self.expectError([("edgepack.audio", #"{"center": 1}"#)], .badField(key: "edgepack.audio", field: "center", problem: ""),
                         mentions: ["expected true or false"])
        Self.expectError([("edgepack.audio", #"{"f_max": 1e300}"#)], .badField(key: "edgepack.audio", field: "f_max", problem: ""),
                         mentions: ["32-bit float"])
        Self.expectError([("edgepack.audio", #"{"power": null}"#)], .badField(key: "edgepack.audio", field: "power", problem: ""),
                         mentions: ["found null"])
        Self.expectError([("edgepack.audio", #"{"window": "blackman"}"#)], .badField(key: "edgepack.audio", field: "window", problem: ""),
                         mentions: ["hann, hamming or rectangular"])
        Self.expectError([("edgepack.point_cloud", #"{"num_points": true}"#)],
                         .badField(key: "edgepack.point_cloud", field: "num_points", problem: ""), mentions: ["found true"])
        Self.expectError([("edgepack.image", #"{"mean": [0.5, "x", 0.5]}"#)], .badField(key: "edgepack.image", field: "mean", problem: ""),
                         mentions: ["expected an array of numbers"])
        Self.expectError([("edgepack.image", #"{"mean": [0.5, 1e39]}"#)], .badField(key: "edgepack.image", field: "mean", problem: ""),
                         mentions: ["out of range for a 32-bit float"])
        Self.expectError([("edgepack.image", #"{"std": 0.3}"#)], .badField(key: "edgepack.image", field: "std", problem: ""),
                         mentions: ["the number 0.3"])
    }

    @Test func labelIndicesOutOfRange() {
        let audio = ("edgepack.audio", "{}"), labels = ("edgepack.labels", "yes,no,silence")
        Self.expectError([audio, labels, ("edgepack.silence_label", "3")],
                         .labelOutOfRange(key: "edgepack.silence_label", index: 3, labelCount: 3), mentions: ["index 3", "3 labels"])
        Self.expectError([audio, labels, ("edgepack.unknown_label", "-2")],
                         .labelOutOfRange(key: "edgepack.unknown_label", index: -2, labelCount: 3), mentions: ["index -2"])
        // An index inside the JSON object, checked against the labels too.
        Self.expectError([("edgepack.audio", #"{"silence_label": 0}"#)],
                         .labelOutOfRange(key: "edgepack.audio", index: 0, labelCount: 0), mentions: ["0 labels"])
        Self.expectError([audio, labels, ("edgepack.silence_label", "ten")], .badValue(key: "edgepack.silence_label", problem: ""),
                         mentions: ["'ten' is not an integer"])
    }

    @Test func otherMalformedEntries() {
        Self.expectError([("edgepack.audio", "{}"), ("edgepack.labels", "yes,,no")], .badValue(key: "edgepack.labels", problem: ""),
                         mentions: ["label 1 of 3 is empty"])
        Self.expectError([("edgepack.audio", "{}"), ("edgepack.audio", "{}")], .duplicateKey(key: "edgepack.audio"),
                         mentions: ["more than once"])
        Self.expectError([("edgepack.audio", #"{"labels": ["a", "b"]}"#), ("edgepack.labels", "a,c")],
                         .badValue(key: "edgepack.labels", problem: ""), mentions: ["differs from the labels inside 'edgepack.audio'"])
    }

    @Test func unknownKeysAndFieldsAreWarnings() throws {
        let (s, r) = try Self.convert([("edgepack.point_cloud", #"{"num_points": 512, "jitter": 0.1}"#), ("edgepack.colour", "red"),
                                       ("edgepack.task", "keyword-spotting"), ("edgepack.input", "points"),
                                       ("edgepack.silence_label", "0"), ("producer.notes", "not ours")])
        #expect(s.pointCloud?.numPoints == 512)
        let w = r.warnings.joined(separator: "\n")
        #expect(w.contains("unknown key 'edgepack.colour'"))
        #expect(w.contains("'edgepack.point_cloud': unknown field 'jitter'"))
        #expect(w.contains("'edgepack.task' is 'keyword-spotting' but there is no 'edgepack.audio'"))
        #expect(w.contains("'edgepack.silence_label' ignored"))
        #expect(!w.contains("producer.notes") && !w.contains("unknown key 'edgepack.input'"))
    }

    // MARK: which preprocessing wins

    @Test func givenPreprocessingWinsAndDifferencesAreWarned() throws {
        var o = ConvertOptions()
        o.audio = try PreprocessingConfig.parse("[audio]\nn_mels = 40\nlabels = a, b\n").audio
        let (s, r) = try Self.convert([("edgepack.audio", #"{"n_mels": 32}"#), ("edgepack.labels", "a,b")], options: o)
        #expect(s.audio?.nMels == 40 && r.preprocessingSource == .options)
        #expect(r.warnings.contains { $0.contains("differs from the ONNX metadata_props") && $0.contains("nMels: 40 vs 32") })

        // The same preprocessing in both: no warning.
        let (_, same) = try Self.convert([("edgepack.audio", #"{"n_mels": 40}"#), ("edgepack.labels", "a,b")], options: o)
        #expect(!same.warnings.contains { $0.contains("differs") })

        // Broken metadata does not stop a conversion whose preprocessing is given.
        let (s2, r2) = try Self.convert([("edgepack.audio", "{oops")], options: o)
        #expect(s2.audio?.nMels == 40 && r2.warnings.contains { $0.contains("ONNX metadata_props ignored") && $0.contains("not valid JSON") })
    }

    @Test func noPreprocessingAnywhere() throws {
        let (s, r) = try Self.convert([("edgepack.input", "informational only")])
        #expect(s.audio == nil && s.pointCloud == nil && s.image == nil)
        #expect(r.preprocessingSource == PreprocessingSource.none)
    }

    /// The CLI names where the preprocessing came from.
    @Test func convertCommandSaysWhereThePreprocessingCameFrom() throws {
        let cli = repoRoot.appendingPathComponent(".build/debug/edgepack").path
        guard FileManager.default.isExecutableFile(atPath: cli) else {
            Issue.record("\(cli) missing: swift build builds it")
            return
        }
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let onnx = dir.appendingPathComponent("m.onnx").path, conf = dir.appendingPathComponent("m.conf").path
        try Self.model([("edgepack.image", #"{"height": 2, "width": 2, "channels": 1}"#), ("edgepack.labels", "a,b")])
            .write(to: URL(fileURLWithPath: onnx))
        try "[image]\nheight = 2\nwidth = 2\nchannels = 3\n".write(toFile: conf, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("m.epk").path

        let (status, _, err) = try shell([cli, "convert", onnx, "-o", out])
        #expect(status == 0, "\(err)")
        #expect(err.contains("convert: preprocessing from the ONNX metadata_props (image, 2 labels)"), "\(err)")

        let (status2, _, err2) = try shell([cli, "convert", onnx, "-o", out, "--preprocessing", conf])
        #expect(status2 == 0, "\(err2)")
        #expect(err2.contains("convert: preprocessing from \(conf) (image, 0 labels)"), "\(err2)")
        #expect(err2.contains("warning: the given preprocessing differs"), "\(err2)")

        try Self.model([("edgepack.image", #"{"height": "2"}"#)]).write(to: URL(fileURLWithPath: onnx))
        let (status3, _, err3) = try shell([cli, "convert", onnx, "-o", out])
        #expect(status3 != 0)
        #expect(err3.contains("'edgepack.image', field 'height'"), "\(err3)")
    }
}
