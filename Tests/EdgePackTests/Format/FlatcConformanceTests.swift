import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// Conformance with the reference FlatBuffers compiler: files our writer produces decode with
// `flatc --json --raw-binary` to the values we wrote, and a model that flatc builds from JSON
// loads and runs in the runtime.

let schemaPath = repoRoot.appendingPathComponent("Schema/edgepack.fbs").path

@Suite("flatc decodes our files and builds files we load", .enabled(if: which("flatc"), "flatc (Debian flatbuffers-compiler) is not installed"))
struct FlatcConformanceTests {
    @Test func flatcDecodesWriterOutput() throws {
        let dir = temporaryDirectory()
        let bytes = SyntheticModels.allOps(seed: 4)
        let file = dir.appendingPathComponent("allops.epk")
        try Data(bytes).write(to: file)
        let (status, _, err) = try shell(["flatc", "--json", "--raw-binary", "--strict-json", "--defaults-json", "-o", dir.path, schemaPath, "--", file.path])
        #expect(status == 0, "flatc failed: \(err)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("allops.json"))) as! [String: Any]
        try bytes.withUnsafeBytes { raw in
            let m = try ModelFile(bytes: raw)
            let meta = json["metadata"] as! [String: Any]
            #expect(meta["name"] as? String == m.metadata.name)
            #expect(meta["producer"] as? String == m.metadata.producer)
            #expect(json["checksum"] as? Int == Int(m.checksum))
            let graph = json["graph"] as! [String: Any]
            let tensors = graph["tensors"] as! [[String: Any]]
            #expect(tensors.count == m.tensors.count)
            for (t, j) in zip(m.tensors, tensors) {
                #expect(j["name"] as? String == t.name)
                #expect(j["shape"] as? [Int] == t.shape)
                #expect(j["dtype"] as? String == ["FLOAT32", "INT32", "INT8", "BIT"][Int(t.dtype.rawValue)])
                #expect(j["buffer"] as? Int == t.buffer)
                if t.dtype == .bit {
                    let p = j["packing"] as! [String: Any]
                    #expect(p["axis"] as? Int == t.shape.count - 1 && p["word_bits"] as? Int == 64)
                    #expect(p["bit_order"] as? String == "LSB_FIRST" && p["one_is_negative"] as? Bool == true)
                }
            }
            let ops = graph["operators"] as! [[String: Any]]
            #expect(ops.map { $0["opcode"] as? String } == m.operators.map { op in
                ["CONV2D", "CONV1D", "GEMM", "BINARY_CONV2D", "BINARY_CONV1D", "BINARY_GEMM", "SIGN_PACK", "CHANNEL_AFFINE",
                 "PRELU", "RELU", "CLIP", "ADD", "POOL2D", "POOL1D", "REDUCE_MAX", "RESHAPE", "TRANSPOSE", "SOFTMAX",
                 "SUB", "MUL", "SIGN", "MATMUL", "LOG_SOFTMAX", "CONCAT"][Int(op.code)] })
            for (op, j) in zip(m.operators, ops) {
                #expect(j["inputs"] as? [Int] == op.inputs)
                #expect(j["outputs"] as? [Int] == op.outputs)
                #expect(j["name"] as? String == op.name)
                if let opcode = op.opcode, let table = OperatorSetTests.documentedOptions[opcode], op.options != nil {
                    #expect(j["options_type"] as? String == table, "\(opcode.name)")
                }
                if op.optionsType == BinaryConvOptions.tableType, let table = op.options {
                    let decoded = try BinaryConvOptions(decoding: table)
                    let p = decoded.conv, cin = decoded.inputChannels
                    #expect(j["options_type"] as? String == "BinaryConvOptions")
                    let o = j["options"] as! [String: Any], c = o["conv"] as! [String: Any]
                    #expect(o["input_channels"] as? Int == cin)
                    #expect(c["stride_h"] as? Int == p.strideH && c["pad_left"] as? Int == p.padLeft && c["groups"] as? Int == p.groups)
                    #expect(c["activation"] as? String == ["NONE", "RELU", "CLIP", "PRELU"][Int(p.activation.kind.rawValue)])
                }
                if op.optionsType == TransposeOptions.tableType, let table = op.options {
                    #expect((j["options"] as! [String: Any])["perm"] as? [Int] == (try TransposeOptions(decoding: table)).perm)
                }
            }
            let buffers = json["buffers"] as! [[String: Any]]
            #expect(buffers.map { $0["offset"] as? Int } == m.buffers.map { $0.offset })
            #expect(buffers.map { $0["size"] as? Int } == m.buffers.map { $0.size })
        }
    }

    /// y = relu(x · Wᵀ + b) built by flatc from JSON, W and b in a data section placed after the
    /// FlatBuffer; `extra` adds root fields (e.g. an audio table).
    func flatcBuiltModel(extra: String = "", gemmOptions: String = #"{ "activation": "RELU" }"#) throws -> [UInt8] {
        let dir = temporaryDirectory()
        let w: [Float] = [1, -2, 0.5, 3, 0, -1], b: [Float] = [0.25, -4]
        var data = Data()
        for v in w + b { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        let json = """
        { "format_version": 2, "metadata": { "name": "from-flatc", "producer": "flatc" },
          "graph": {
            "tensors": [
              { "name": "x", "shape": [1, 3] },
              { "name": "w", "shape": [2, 3], "buffer": 0 },
              { "name": "b", "shape": [2], "buffer": 1 },
              { "name": "y", "shape": [1, 2] } ],
            "operators": [ { "opcode": "GEMM", "inputs": [0, 1, 2], "outputs": [3],
                             "options_type": "GemmOptions", "options": \(gemmOptions), "name": "fc" } ],
            "inputs": [0], "outputs": [3] },
          "buffers": [ { "offset": 4096, "size": 24 }, { "offset": 4160, "size": 8 } ],
          \(extra)
          "checksum": \(checksumMarker) }
        """
        let jsonURL = dir.appendingPathComponent("m.json")
        try json.write(to: jsonURL, atomically: true, encoding: .utf8)
        let (status, _, err) = try shell(["flatc", "-b", "-o", dir.path, schemaPath, jsonURL.path])
        #expect(status == 0, "flatc failed: \(err)")
        var file = try Data(contentsOf: dir.appendingPathComponent("m.epk"))
        #expect(file.count < 4096)
        file.append(Data(count: 4096 - file.count))
        file.append(data[0..<24])
        file.append(Data(count: 4160 - file.count))
        file.append(data[24..<32])
        return try withZlibChecksum([UInt8](file))
    }

    /// flatc writes this placeholder; the test replaces it by zlib's CRC-32 of the whole file
    /// with those four bytes zeroed (the format's rule), computed by Python, not by EdgePack.
    let checksumMarker: UInt32 = 0xA5C3_5A3C

    func withZlibChecksum(_ bytes: [UInt8]) throws -> [UInt8] {
        let m = withUnsafeBytes(of: checksumMarker.littleEndian) { Array($0) }
        let hits = (0...(bytes.count - 4)).filter { Array(bytes[$0..<($0 + 4)]) == m }
        try #require(hits.count == 1, "checksum placeholder found \(hits.count) times")
        var file = bytes
        for k in 0..<4 { file[hits[0] + k] = 0 }
        let dir = temporaryDirectory(), url = dir.appendingPathComponent("zeroed.bin")
        try Data(file).write(to: url)
        let (status, out, err) = try shell(["python3", "-c", "import sys, zlib; print(zlib.crc32(open(sys.argv[1], 'rb').read()))", url.path])
        try #require(status == 0, "python3 failed: \(err)")
        let crc = try #require(UInt32(out.trimmingCharacters(in: .whitespacesAndNewlines)))
        withUnsafeBytes(of: crc.littleEndian) { for k in 0..<4 { file[hits[0] + k] = $0[k] } }
        return file
    }

    /// The writer's checksum is zlib's CRC-32 of the file with the checksum zeroed.
    @Test func writerChecksumIsZlibCRCOfTheWholeFile() throws {
        let bytes = SyntheticModels.allOps(seed: 9)
        let m = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }
        let stored = withUnsafeBytes(of: m.checksum.littleEndian) { Array($0) }
        let at = try #require((0...(bytes.count - 4)).first { Array(bytes[$0..<($0 + 4)]) == stored })
        var zeroed = bytes
        for k in 0..<4 { zeroed[at + k] = 0 }
        let url = temporaryDirectory().appendingPathComponent("z.bin")
        try Data(zeroed).write(to: url)
        let (_, out, _) = try shell(["python3", "-c", "import sys, zlib; print(zlib.crc32(open(sys.argv[1], 'rb').read()))", url.path])
        #expect(UInt32(out.trimmingCharacters(in: .whitespacesAndNewlines)) == m.checksum)
    }

    @Test func flatcBuiltModelLoadsAndRuns() throws {
        let out = try runModel(try flatcBuiltModel(), inputs: [[2, 1, -1]])
        // [1*2 - 2*1 + 0.5*-1 + 0.25, 3*2 + 0 + 1 - 4] = [-0.25, 3] -> relu
        #expect(out == [0, 3])
    }

    /// The detector operating point written by flatc (an independent writer) is read back, and
    /// an out-of-range one is rejected with its field named.
    @Test func detectorOperatingPointFromFlatc() throws {
        let audio = #""audio": { "labels": ["a", "b"], "detector_threshold": 0.65, "detector_average": 10, "detector_refractory": 1.5 },"#
        let bytes = try flatcBuiltModel(extra: audio)
        let a = try bytes.withUnsafeBytes { try ModelFile(bytes: $0).audio }
        #expect(a?.detectorThreshold == 0.65 && a?.detectorAverage == 10 && a?.detectorRefractory == 1.5)
        #expect(a?.labels == ["a", "b"])
        let bad = try flatcBuiltModel(extra: #""audio": { "detector_threshold": 1.5 },"#)
        #expect {
            _ = try bad.withUnsafeBytes { try ModelFile(bytes: $0) }
        } throws: { ($0 as? ModelError)?.message.contains("detector_threshold") == true }
        let negative = try flatcBuiltModel(extra: #""audio": { "detector_average": -3 },"#)
        #expect {
            _ = try negative.withUnsafeBytes { try ModelFile(bytes: $0) }
        } throws: { ($0 as? ModelError)?.message.contains("detector_average") == true }
    }

    /// Values that are well-formed FlatBuffers but would change or break what runs, written by
    /// flatc (an independent writer, with a valid checksum): each is refused with its field named.
    @Test func implausibleValuesAreRefused() throws {
        let cases: [(String, String)] = [
            (#""audio": { "win_length": 4, "n_fft": 512 },"#, "win_length"),
            (#""audio": { "db_multiplier": nan },"#, "db_multiplier"),
            (#""audio": { "db_multiplier": inf },"#, "db_multiplier"),
            (#""audio": { "amin": -1 },"#, "amin"),
            (#""audio": { "labels": ["a", "b"], "silence_label": 2 },"#, "silence_label"),
            (#""audio": { "labels": ["a", "b"], "unknown_label": -2 },"#, "unknown_label"),
            (#""audio": { "labels": ["a", "b\u001b[31m"] },"#, "control character"),
            (#""image": { "channels": 3, "mean": [0.5, 0.5], "std": [1, 1, 1] },"#, "mean and std"),
            (#""image": { "channels": 1, "std": [0] },"#, "std"),
        ]
        for (extra, field) in cases {
            let bytes = try flatcBuiltModel(extra: extra)
            #expect(throws: ModelError.self, "\(extra)") { _ = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) } }
            do { _ = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) } } catch let e as ModelError {
                #expect(e.message.contains(field), "\(extra): \(e.message)")
            }
        }
    }

    /// Operator options are checked by the operator when the interpreter is built.
    @Test func implausibleOptionsAreRefusedByTheOperator() throws {
        let json = #"{ "activation": "CLIP", "clip_min": 1, "clip_max": -1 }"#
        let bytes = try flatcBuiltModel(gemmOptions: json)
        _ = try bytes.withUnsafeBytes { try ModelFile(bytes: $0) }   // the format accepts it; the operator must not
        do {
            try bytes.withUnsafeBytes { _ = try Interpreter(model: try ModelFile(bytes: $0)) }
            Issue.record("an empty clip range was accepted")
        } catch let e as RuntimeError {
            #expect(e.message.contains("Gemm 'fc'") && e.message.contains("clip range"))
        }
    }
}
