import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

// Paths are bytes: files whose names are not UTF-8 are opened and written under exactly the
// bytes given (before: an existing file reported missing, an output written under U+FFFD), on
// host and device, and messages show such bytes as \xff, never raw.

@Suite("Paths that are not UTF-8", .serialized)
struct BytePathTests {
    static let trained = repoRoot.appendingPathComponent("Datasets/trained")

    /// A fresh folder for one program: the tests compare its exact listing.
    static func folder(_ label: String) -> [UInt8] {
        let url = temporaryDirectory().appendingPathComponent(label)
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return Array(url.path.utf8)
    }

    /// A bash word for these bytes ($'...' with every byte outside printable ASCII as \xNN), so
    /// the program gets them unchanged: Process would send a String's UTF-8.
    static func word(_ bytes: [UInt8]) -> String {
        var s = "$'"
        for b in bytes {
            if b >= 0x20 && b < 0x7F && b != 0x27 && b != 0x5C { s.unicodeScalars.append(Unicode.Scalar(b)) } else { s += String(format: "\\x%02x", b) }
        }
        return s + "'"
    }

    /// Runs `program` in `dir` with the arguments as bytes.
    static func run(_ program: Program, in dir: [UInt8], _ args: [[UInt8]]) throws -> (Int32, String, String) {
        let script = "cd " + word(dir) + " && exec " + program.command.map { word(Array($0.utf8)) }.joined(separator: " ")
            + " " + args.map(word).joined(separator: " ")
        return try shell(["bash", "-c", script])
    }

    static func write(_ bytes: [UInt8], to path: [UInt8]) throws {
        let fd = (path + [0]).withUnsafeBufferPointer { p in
            p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        }
        try #require(fd >= 0)
        defer { close(fd) }
        try #require(bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) } == bytes.count)
    }

    static func read(_ path: [UInt8]) -> [UInt8]? {
        let fd = (path + [0]).withUnsafeBufferPointer { p in p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_RDONLY) } }
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { return out }
            out += chunk[0..<n]
        }
    }

    /// The names in a folder as the system has them.
    static func listing(_ dir: [UInt8]) -> Set<[UInt8]> {
        guard let d = (dir + [0]).withUnsafeBufferPointer({ p in p.withMemoryRebound(to: CChar.self) { opendir($0.baseAddress!) } }) else { return [] }
        defer { closedir(d) }
        var names = Set<[UInt8]>()
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if name != Array(".".utf8) && name != Array("..".utf8) { names.insert(name) }
        }
        return names
    }

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func join(_ dir: [UInt8], _ name: [UInt8]) -> [UInt8] { dir + [0x2F] + name }

    /// Written with ASCII names, the reference the byte-named run must equal.
    @Test(arguments: Program.available)
    func runReadsAndWritesExactlyTheNamesGiven(program: Program) throws {
        let dir = Self.folder("run-\(program)")
        let model = [0x6D, 0xFF] + Self.bytes(".epk"), input = [0x69, 0x6E, 0xFE] + Self.bytes(".npy")
        let output = [0x6F, 0xFD, 0x1B] + Self.bytes(".npy")
        try Self.write(Self.read(Array(Self.trained.appendingPathComponent("digits_resnet20.epk").path.utf8))!, to: Self.join(dir, model))
        var rng = SplitMix64(seed: 21)
        let npy = NPY.encode(NPYArray(shape: [1, 3, 32, 32], data: rng.floats(3072, 0, 1)))
        try Self.write(npy, to: Self.join(dir, input))
        try Self.write(npy, to: Self.join(dir, Self.bytes("in.npy")))
        try Self.write(Self.read(Self.join(dir, model))!, to: Self.join(dir, Self.bytes("m.epk")))

        let (status, _, err) = try Self.run(program, in: dir, [Self.bytes("run"), model, Self.bytes("-i"), input, Self.bytes("-o"), output])
        #expect(status == 0, "\(program): \(err)")
        let (ref, _, refErr) = try Self.run(program, in: dir, ["run", "m.epk", "-i", "in.npy", "-o", "out.npy"].map(Self.bytes))
        #expect(ref == 0, "\(refErr)")
        #expect(Self.listing(dir) == [model, input, output, Self.bytes("in.npy"), Self.bytes("m.epk"), Self.bytes("out.npy")])
        let written = Self.read(Self.join(dir, output))
        #expect(written != nil && written == Self.read(Self.join(dir, Self.bytes("out.npy"))))

        // An output that is the model, named by the same bytes: refused, the model untouched.
        let before = Self.read(Self.join(dir, model))
        let (refused, _, refusedErr) = try Self.run(program, in: dir, [Self.bytes("run"), model, Self.bytes("-i"), input, Self.bytes("-o"), model])
        #expect(refused == 64 && refusedErr.contains("refusing to write m\\xff.epk: it is the input m\\xff.epk"), "\(refusedErr)")
        #expect(Self.read(Self.join(dir, model)) == before)

        // A missing input: named with \xNN, no raw byte (it would decode as U+FFFD) and no escape.
        let (missing, _, missingErr) = try Self.run(program, in: dir, [Self.bytes("run"), model, Self.bytes("-i"), [0x6E, 0xFC, 0x1B], Self.bytes("-o"), Self.bytes("x.npy")])
        #expect(missing == 1 && missingErr.contains("cannot read 'n\\xfc\\x1b': No such file or directory"), "\(missingErr)")
        #expect(!missingErr.contains("\u{FFFD}") && !missingErr.contains("\u{1B}"))
    }

    @Test(arguments: Program.available)
    func kwsReadsAWAVNamedByBytes(program: Program) throws {
        let dir = Self.folder("kws-\(program)")
        let wav = [0x77, 0xFF, 0x80] + Self.bytes(".wav")
        try Self.write(Self.read(Array(audioFixtures.appendingPathComponent("stream.wav").path.utf8))!, to: Self.join(dir, wav))
        let model = Self.bytes(Self.trained.appendingPathComponent("kws_bifsmn.epk").path)
        let common = [Self.bytes("--json"), Self.bytes("--threshold"), Self.bytes("0.3"), Self.bytes("--seconds"), Self.bytes("3")]
        let (status, out, err) = try Self.run(program, in: dir, [Self.bytes("kws"), Self.bytes("--model"), model, Self.bytes("--wav"), wav] + common)
        #expect(status == 0, "\(program): \(err)")
        let reference = Array(audioFixtures.appendingPathComponent("stream.wav").path.utf8)
        let (_, want, _) = try Self.run(program, in: dir, [Self.bytes("kws"), Self.bytes("--model"), model, Self.bytes("--wav"), reference] + common)
        let detections = { (s: String) in s.split(separator: "\n").filter { !$0.contains("summary") } }
        #expect(!detections(out).isEmpty && detections(out) == detections(want) && out.contains("\"audio_seconds\":1.800"), "\(out)")
    }

    @Test(arguments: Program.available)
    func pointCloudCommandsUseByteNames(program: Program) throws {
        let dir = Self.folder("pcd-\(program)")
        let pcd = [0x70, 0xE0] + Self.bytes(".pcd"), npy = [0x6F, 0xE1] + Self.bytes(".npy"), frames: [UInt8] = [0x64, 0xEE]
        let samples = repoRoot.appendingPathComponent("Datasets/samples/pcd")
        let torus = Self.read(Array(samples.appendingPathComponent("frame_02_torus.pcd").path.utf8))!
        try Self.write(torus, to: Self.join(dir, pcd))
        let (pcdStatus, _, pcdErr) = try Self.run(program, in: dir, [Self.bytes("pcd"), pcd, Self.bytes("--npy"), npy])
        #expect(pcdStatus == 0, "\(program): \(pcdErr)")
        let points = try #require(Self.read(Self.join(dir, npy)))
        let parsed = try points.withUnsafeBytes { try NPY.parse($0) }
        #expect(parsed.shape == [1024, 3])

        let model = Self.bytes(Self.trained.appendingPathComponent("pointcloud_bipointnet.epk").path)
        let (one, oneOut, oneErr) = try Self.run(program, in: dir, [Self.bytes("pointcloud"), Self.bytes("--model"), model, Self.bytes("--pcd"), pcd, Self.bytes("--top"), Self.bytes("1")])
        #expect(one == 0 && oneOut.hasPrefix("p\\xe0.pcd:  torus"), "\(program): \(oneOut) \(oneErr)")

        #expect(mkdir(Self.join(dir, frames).map { CChar(bitPattern: $0) } + [0], 0o755) == 0)
        try Self.write(torus, to: Self.join(Self.join(dir, frames), [0x66, 0xEF] + Self.bytes(".pcd")))
        let (all, allOut, allErr) = try Self.run(program, in: dir, [Self.bytes("pointcloud"), Self.bytes("--model"), model, Self.bytes("--dir"), frames, Self.bytes("--top"), Self.bytes("1"), Self.bytes("--json")])
        #expect(all == 0 && allOut.hasPrefix("{\"frame\":\"f\\\\xef.pcd\",\"top\":[{\"class\":"), "\(program): \(allOut) \(allErr)")
        #expect(allOut.contains("\"label\":\"torus\""))
    }

    /// convert (host only): an ONNX in a folder named by bytes, a preprocessing file and an output
    /// named by bytes give exactly the committed model.
    @Test func convertReadsAndWritesByteNames() throws {
        let dir = Self.folder("convert")
        let sub = Self.join(dir, [0x64, 0xF3])
        #expect(mkdir(sub.map { CChar(bitPattern: $0) } + [0], 0o755) == 0)
        let onnx = Self.join([0x64, 0xF3], Self.bytes("digits_resnet20.onnx"))
        try Self.write(Self.read(Self.bytes(Self.trained.appendingPathComponent("digits_resnet20.onnx").path))!, to: Self.join(dir, onnx))
        let conf = [0x70, 0xF2] + Self.bytes(".conf"), output = [0x63, 0xF1] + Self.bytes(".epk")
        let confSource = repoRoot.appendingPathComponent("Datasets/preprocessing/digits_resnet20.conf").path
        try Self.write(Self.read(Self.bytes(confSource))!, to: Self.join(dir, conf))
        let (status, _, err) = try Self.run(.host, in: dir, [Self.bytes("convert"), onnx, Self.bytes("-o"), output, Self.bytes("--preprocessing"), conf])
        #expect(status == 0, "\(err)")
        #expect(err.contains("convert: wrote c\\xf1.epk") && err.contains("preprocessing from p\\xf2.conf"), "\(err)")
        #expect(Self.read(Self.join(dir, output)) == Self.read(Self.bytes(Self.trained.appendingPathComponent("digits_resnet20.epk").path)))
        #expect(Self.listing(dir) == [[0x64, 0xF3], conf, output])
    }

    /// Decoding and escaping against Python's UTF-8 decoder (backslashreplace writes each byte it
    /// cannot decode as \xNN): random byte strings, biased towards UTF-8 lead and continuation bytes.
    @Test func escapingAgreesWithPython() throws {
        var rng = SplitMix64(seed: testSeed("byte paths"))
        let pool: [UInt8] = [0x41, 0x2F, 0x80, 0x8F, 0xBF, 0xBC, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F, 0x90]
        var samples: [[UInt8]] = [[0xF4, 0x8F, 0xBC, 0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], Self.bytes("plain ä € 𝄞")]
        for _ in 0..<3000 {
            samples.append((0..<Int(rng.next() % 12)).map { _ in rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : pool[Int(rng.next() % UInt64(pool.count))] })
        }
        let hex = { (b: [UInt8]) in b.map { String(format: "%02x", $0) }.joined() }
        let script = "import sys\nfor l in sys.stdin.read().split('\\n'):\n    print(bytes.fromhex(l).decode('utf-8', 'backslashreplace').encode('utf-8').hex())"
        let (status, out, err) = try shell(["python3", "-c", script], stdin: Data(samples.map(hex).joined(separator: "\n").utf8))
        try #require(status == 0, "\(err)")
        let want = out.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        try #require(want.count == samples.count)
        for (bytes, python) in zip(samples, want) {
            let text = bytes.withUnsafeBufferPointer { PathText.decode($0) }
            #expect(PathText.bytes(text) == bytes, "round trip of \(hex(bytes))")
            // Python decodes U+10FF00...U+10FFFF, which stand for bytes here, so those are escaped too.
            var expected = ""
            let decoded = String(decoding: (0..<python.count / 2).map { k in
                UInt8(python.dropFirst(2 * k).prefix(2), radix: 16)! }, as: UTF8.self)
            for s in decoded.unicodeScalars {
                if s.value >= 0x10FF00 { for b in String(s).utf8 { expected += String(format: "\\x%02x", b) } } else { expected.unicodeScalars.append(s) }
            }
            #expect(PathText.escaped(text, controls: false) == expected, "\(hex(bytes))")
        }
        #expect(PathText.escaped("a\u{1B}[31m\n", controls: true) == "a\\x1b[31m\\x0a")
    }
}
