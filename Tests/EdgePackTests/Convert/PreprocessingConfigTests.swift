import Foundation
import Testing
import EdgePackFormat
@testable import EdgePackConvert

@Suite struct PreprocessingConfigTests {
    @Test func parsesSectionsAndKeepsDefaults() throws {
        let c = try PreprocessingConfig.parse("""
            # BiFSMN front end
            [audio]
            n_mels = 32
            hop_length = 512      # torchaudio default for n_fft 2048 is 512 too
            mel_scale = htk
            labels = yes, no, up, down, left, right, on, off, stop, go, _silence_, _unknown_
            silence_label = 10
            unknown_label = 11
            """)
        let a = try #require(c.audio)
        #expect(a.nMels == 32 && a.nFFT == 2048 && a.labels.count == 12 && a.labels[10] == "_silence_" && a.silenceLabel == 10)
        #expect(c.pointCloud == nil && c.image == nil)
    }

    @Test func errorsNameTheLine() {
        #expect { try PreprocessingConfig.parse("[audio]\nn_mels = many\n") } throws: { "\($0)".contains("line 2") && "\($0)".contains("'many'") }
        #expect { try PreprocessingConfig.parse("[video]\n") } throws: { "\($0)".contains("line 1") && "\($0)".contains("[video]") }
        #expect { try PreprocessingConfig.parse("[image]\nsize = 3\n") } throws: { "\($0)".contains("unknown key 'size'") }
        #expect { try PreprocessingConfig.parse("num_points = 3\n") } throws: { "\($0)".contains("outside a section") }
        // The model stores int32: a larger value is an error, not a trap when the file is written.
        #expect { try PreprocessingConfig.parse("[audio]\n\nsample_rate = 99999999999\n") } throws: { "\($0)".contains("line 3") && "\($0)".contains("32-bit") }
        #expect { try PreprocessingConfig.parse("[image]\nmean = 0.5, inf\n") } throws: { "\($0)".contains("'inf' is not a number") }
    }

    @Test func metadataIsStoredInTheModel() throws {
        var o = ConvertOptions()
        o.pointCloud = try PreprocessingConfig.parse("[point_cloud]\nnum_points = 512\nlabels = a, b\n").pointCloud
        o.name = "tiny"
        let m = ONNXBuild.model(nodes: [ONNXBuild.node("Relu", ["x"], ["y"])], inputs: [ONNXBuild.value("x", [1, 4])], outputs: ["y"])
        var g = try ONNXLoader.load(data: try ONNXBuild.bytes(m))
        let r = try Converter.convert(graph: &g, source: "tiny.onnx", options: o)
        try r.model.withUnsafeBytes { raw in
            let f = try ModelFile(bytes: raw)
            #expect(f.metadata.name == "tiny" && f.metadata.source == "tiny.onnx")
            #expect(f.pointCloud?.numPoints == 512 && f.pointCloud?.labels == ["a", "b"])
        }
    }
}
