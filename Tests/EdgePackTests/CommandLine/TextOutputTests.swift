import EdgePackApp
import EdgePackFormat
import EdgePackHost
import EdgePackPointCloud
import Foundation
import Testing

// JSON output is valid UTF-8 JSON whatever the model's strings hold (checked with Foundation's
// parser, not ours), and text printed to a terminal carries no control characters from a file:
// the verifier refuses C0/C1 controls in a model's strings, and characters it lets through that
// can still rearrange a terminal line (bidi overrides) are escaped when printed.

@Suite("JSON and terminal text", .serialized)
struct TextOutputTests {
    static let labels = ["wörter", "naïve \"quoted\" \\ back", "日本語", "rtl\u{202e}override", "😀 zwei", "\u{2028}sep"]
    static let name = "modèle \u{202e}evil"

    /// A tiny point-cloud classifier ([1, 12] = 4 points × 3 in, one class per label out) whose
    /// name, producer, tensor and operator names and labels are the strings above.
    static let model: String = {
        let b = ModelBuilder(name: name, producer: "tööl 1.0 \u{202e}title")
        b.metadata.description = "beschreibung\nzwei"
        var spec = PointCloudSpec(); spec.numPoints = 4; spec.labels = labels
        b.pointCloud = spec
        let x = b.addInput("eingänge", shape: [1, 12])
        var rng = SplitMix64(seed: 9)
        let w = b.addConstant("gewichte", shape: [labels.count, 12], floats: rng.floats(labels.count * 12))
        let y = b.addActivation("ausgänge", shape: [1, labels.count])
        b.addOperator(.gemm, inputs: [x, w], outputs: [y], options: .gemm(FusedActivation()), name: "kopf\u{202e}")
        b.markOutput(y)
        let url = temporaryDirectory().appendingPathComponent("strings.epk")
        try! Data(b.serialize()).write(to: url)
        return url.path
    }()

    func parse(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }

    @Test func jsonStringsRoundTripThroughFoundation() throws {
        var rng = SplitMix64(seed: testSeed("json-strings"))
        var samples = Self.labels + ["", "\u{0}", "\u{1f}\u{20}\u{7e}", "\u{80}\u{9f}\u{a0}", "\u{2028}\u{2029}", "\u{10ffff}"]
        for _ in 0..<200 {
            var s = ""
            for _ in 0..<Int(rng.next() % 12) {
                let pick = [UInt32(rng.next() % 0x80), 0x80 + UInt32(rng.next() % 0x780), 0x800 + UInt32(rng.next() % 0xD000),
                            0x10000 + UInt32(rng.next() % 0x100000)][Int(rng.next() % 4)]
                if let u = Unicode.Scalar(pick) { s.unicodeScalars.append(u) }
            }
            samples.append(s)
        }
        for s in samples {
            let json = "[" + jsonString(s) + "]"
            #expect(!json.unicodeScalars.contains { $0.value < 0x20 }, "raw control character in \(json.debugDescription)")
            let back = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String])
            #expect(back == [s], "\(s.debugDescription) -> \(json.debugDescription)")
        }
        #expect(jsonString("wörter") == "\"wörter\"")
        #expect(jsonString("a\u{1}b\u{7f}") == "\"a\\u0001b\\u007f\"")
    }

    @Test func terminalTextHasNoControlCharacters() {
        #expect(terminalSafe("ok wörter 日本") == "ok wörter 日本")
        #expect(terminalSafe("a\u{1b}[31mb\u{9b}c\u{202e}d\n") == "a\\x1b[31mb\\x9bc\\u{202e}d\\x0a")
    }

    @Test(arguments: Program.available)
    func jsonOutputIsUTF8WithTheModelsStrings(program: Program) throws {
        let (status, out, err) = try program.run(["inspect", Self.model, "--json"])
        #expect(status == 0, "\(program): \(err)")
        let info = try parse(Substring(out.trimmingCharacters(in: .newlines)))
        #expect(info["name"] as? String == Self.name)
        #expect((info["producer"] as? String)?.hasPrefix("tööl 1.0") == true)
        #expect(info["description"] as? String == "beschreibung\nzwei")
        #expect((info["inputs"] as? [[String: Any]])?.first?["name"] as? String == "eingänge")
        #expect((info["operators"] as? [[String: Any]])?.first?["name"] as? String == "kopf\u{202e}")

        let pcd = temporaryDirectory().appendingPathComponent("frame.pcd")
        var rng = SplitMix64(seed: 2)
        try Data(PCDWriter.encodeXYZ(rng.floats(30), encoding: .ascii)).write(to: pcd)
        let (pcStatus, pcOut, pcErr) = try program.run(["pointcloud", "--model", Self.model, "--pcd", pcd.path,
                                                        "--top", String(Self.labels.count), "--json"])
        #expect(pcStatus == 0, "\(program): \(pcErr)")
        let frame = try parse(try #require(pcOut.split(separator: "\n").first))
        let top = try #require(frame["top"] as? [[String: Any]])
        #expect(Set(top.compactMap { $0["label"] as? String }) == Set(Self.labels))
        for entry in top {
            let c = try #require(entry["class"] as? Int)
            #expect(entry["label"] as? String == Self.labels[c])
        }
    }

    @Test(arguments: Program.available)
    func inspectTextEscapesModelStrings(program: Program) throws {
        let (status, out, err) = try program.run(["inspect", Self.model])
        #expect(status == 0, "\(program): \(err)")
        #expect(!out.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\n") || (0x7f...0x9f).contains($0.value) || $0.value == 0x202e },
                "raw control characters in \(out.debugDescription)")
        #expect(out.contains("model: modèle \\u{202e}evil"))
        #expect(out.contains("producer: tööl 1.0 \\u{202e}title"))
        #expect(out.contains("kopf\\u{202e}") && out.contains("eingänge"))
        let (_, text, _) = try program.run(["pointcloud", "--model", Self.model, "--pcd", "/dev/null"])
        #expect(!text.contains("\u{1b}"))
    }

    /// Control characters in a model's strings are refused when the file is loaded, by both programs.
    @Test(arguments: Program.available)
    func controlCharactersInModelStringsAreRefused(program: Program) throws {
        let b = ModelBuilder(name: "bell\u{7}esc\u{1b}[31m")
        let x = b.addInput("x", shape: [1, 4]); let y = b.addActivation("y", shape: [1, 4])
        b.addOperator(.relu, inputs: [x], outputs: [y], name: "r"); b.markOutput(y)
        let url = temporaryDirectory().appendingPathComponent("control.epk")
        try Data(b.serialize()).write(to: url)
        let (status, out, err) = try program.run(["inspect", url.path])
        #expect(status == 1, "\(program): \(err)")
        #expect(err.contains("model.metadata.name: control character 0x07 at byte 4"), "\(program): \(err)")
        #expect(!out.contains("\u{1b}") && !err.contains("\u{1b}"))
    }
}
