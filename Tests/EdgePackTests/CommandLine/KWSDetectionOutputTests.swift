import EdgePackApp
import EdgePackAudio
import EdgePackHost
import Foundation
import Testing

// `kws --exec` and `kws --socket` pass each detection on to other programs, on the host CLI and
// on the aarch64 program under qemu; the detections expected come from the in-process spotter,
// not from either option. `--reconnect` and the stop on SIGTERM are checked here too.

@Suite("kws passes detections on to other programs", .serialized)
struct KWSDetectionOutputTests {
    static let dir = temporaryDirectory()
    static let wav = audioFixtures.appendingPathComponent("stream.wav").path
    static let model: String = {
        let url = dir.appendingPathComponent("kws.epk")
        try! Data(SyntheticModels.randomKWS(seed: 11)).write(to: url)
        return url.path
    }()
    /// Three detections on the 1.8 s test stream (threshold 0.2, refractory 0.2 s).
    static let detector = ["--threshold", "0.2", "--refractory", "0.2"]
    static var kws: [String] { ["kws", "--model", model] + detector }

    static func expected() throws -> [Detection] {
        var o = KWSOptions()
        o.modelPath = model; o.source = .wav(wav); o.threshold = 0.2; o.refractorySeconds = 0.2
        return try runKeywordSpotter(o, keepDetections: true) { _ in }.detections
    }

    @Test(arguments: Program.available)
    func execRunsACommandPerDetectionWithoutWaitingForIt(program: Program) throws {
        let detections = try Self.expected()
        #expect(detections.count == 3)
        let out = Self.dir.appendingPathComponent("exec-\(program).txt").path
        try? FileManager.default.removeItem(atPath: out)
        let start = Date()
        let (baseStatus, _, _) = try program.run(Self.kws + ["--wav", Self.wav])
        let baseline = Date().timeIntervalSince(start)
        #expect(baseStatus == 0)
        // Each command sleeps 2 s before writing: run one after another they would add 6 s.
        let line = "sleep 2; printf '%s|%s|%s|%s|%s\\n' \"$EDGEPACK_KEYWORD\" \"$EDGEPACK_SCORE\" \"$EDGEPACK_TIME\" \"$EDGEPACK_CLASS\" \"$EDGEPACK_JSON\" >> '\(out)'"
        let started = Date()
        let (status, stdout, err) = try program.run(Self.kws + ["--wav", Self.wav, "--json", "--exec", line])
        let extra = Date().timeIntervalSince(started) - baseline
        #expect(status == 0, "\(err)")
        #expect(extra < 4.5, "the commands held up the stream: \(extra) s more than without --exec")
        // Read as soon as kws has exited: it waits for its commands, each of which wrote a line.
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init).sorted()
        let want = detections.map { d in
            [d.label, String(format: "%.4f", d.score), String(format: "%.3f", d.detectedAtSeconds), String(d.classIndex),
             detectionText(d, json: true)].joined(separator: "|")
        }.sorted()
        #expect(written == want)
        // The command's standard output is kept off ours, which carries only the detections.
        #expect(Array(stdout.split(separator: "\n").dropLast()).map(String.init) == detections.map { detectionText($0, json: true) })
    }

    @Test(arguments: Program.available)
    func failingCommandIsReportedAndTheStreamGoesOn(program: Program) throws {
        let (status, stdout, err) = try program.run(Self.kws + ["--wav", Self.wav, "--json", "--exec", "echo from-the-command; exit 3"])
        #expect(status == 0, "\(err)")
        #expect(err.components(separatedBy: "--exec: the command exited with status 3").count == 4, "\(err)")
        #expect(err.contains("from-the-command"))
        #expect(!stdout.contains("from-the-command"))
        #expect(stdout.split(separator: "\n").count == 4)
    }

    /// A connected client of a Unix stream socket.
    final class Reader {
        let fd: Int32
        init?(path: String) {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, b) in path.utf8.enumerated() { raw[i] = b }
            }
            let ok = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            if ok != 0 { Foundation.close(fd); return nil }
        }
        /// Everything until the server closes the connection.
        func readAll() -> String {
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
                if n <= 0 { break }
                data += buffer[0..<n]
            }
            Foundation.close(fd)
            return String(decoding: data, as: UTF8.self)
        }
        func close() { Foundation.close(fd) }
    }

    /// The WAV arrives through a FIFO, so the readers are connected before the first sample.
    @Test(arguments: Program.available)
    func socketServesEveryReader(program: Program) throws {
        let detections = try Self.expected()
        let fifo = Self.dir.appendingPathComponent("in-\(program).wav").path
        let path = Self.dir.appendingPathComponent("kws-\(program).sock").path
        try? FileManager.default.removeItem(atPath: fifo)
        #expect(mkfifo(fifo, 0o600) == 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program.command[0])
        p.arguments = Array(program.command.dropFirst()) + Self.kws + ["--wav", fifo, "--socket", path]
        let stdout = Pipe(), stderr = Pipe()
        p.standardOutput = stdout; p.standardError = stderr
        try p.run()
        var readers: [Reader] = []
        let deadline = Date().addingTimeInterval(60)
        while readers.count < 3 && Date() < deadline {
            if let r = Reader(path: path) { readers.append(r) } else { usleep(50_000) }
        }
        #expect(readers.count == 3, "could not connect to \(path)")
        readers[2].close()                        // a reader that has gone before the first detection
        let writer = FileHandle(forWritingAtPath: fifo)!
        writer.write(try Data(contentsOf: URL(fileURLWithPath: Self.wav)))
        try writer.close()
        let got = readers[0..<2].map { $0.readAll() }
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(err)")
        for text in got {
            let lines = text.split(separator: "\n").map(String.init)
            #expect(Array(lines.dropLast()) == detections.map { detectionText($0, json: true) })
            #expect(lines.last?.hasPrefix("{\"summary\":{\"audio_seconds\":1.800") == true, "\(text)")
        }
        #expect(out.split(separator: "\n").count == detections.count + 1)
        #expect(!FileManager.default.fileExists(atPath: path), "the socket file is removed at exit")
    }

    @Test(arguments: Program.available)
    func socketPathInUseOrNotASocketIsRefused(program: Program) throws {
        let file = Self.dir.appendingPathComponent("plain-file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        let (status, _, err) = try program.run(Self.kws + ["--wav", Self.wav, "--socket", file])
        #expect(status == 1 && err.contains("--socket \(file): the file exists and is not a socket"), "\(err)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x")
        // A socket file left behind by a process that has gone is taken over.
        let stale = Self.dir.appendingPathComponent("stale-\(program).sock").path
        let (made, _, madeErr) = try shell(["python3", "-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", stale])
        #expect(made == 0, "\(madeErr)")
        let (reused, out, reusedErr) = try program.run(Self.kws + ["--wav", Self.wav, "--socket", stale])
        #expect(reused == 0 && out.contains("processed 1.80 s"), "\(reusedErr)")
    }

    /// A missing device is waited for with a line per attempt; SIGTERM ends the wait with the
    /// summary and status 0, as systemd expects of a service it stops.
    @Test(arguments: Program.available)
    func missingDeviceIsRetriedUntilStopped(program: Program) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program.command[0])
        p.arguments = Array(program.command.dropFirst()) + Self.kws + ["--alsa", "no_such_capture_device", "--reconnect"]
        let errFile = Self.dir.appendingPathComponent("retry-\(program).err")
        FileManager.default.createFile(atPath: errFile.path, contents: nil)
        let stdout = Pipe()
        p.standardOutput = stdout
        p.standardError = try FileHandle(forWritingTo: errFile)
        try p.run()
        let deadline = Date().addingTimeInterval(60)
        var err = ""
        while !err.contains("retrying in 2 s") && Date() < deadline && p.isRunning {
            usleep(100_000)
            err = (try? String(contentsOf: errFile, encoding: .utf8)) ?? ""
        }
        let signalled = Date()
        p.terminate()
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        err = try String(contentsOf: errFile, encoding: .utf8)
        #expect(Date().timeIntervalSince(signalled) < 1.5, "SIGTERM took \(Date().timeIntervalSince(signalled)) s")
        #expect(p.terminationStatus == 0, "\(err)")
        #expect(err.contains("cannot open ALSA capture device 'no_such_capture_device': "), "\(err)")
        #expect(err.contains("; retrying in 1 s") && err.contains("; retrying in 2 s"), "\(err)")
        #expect(err.contains("stopped by signal 15"), "\(err)")
        #expect(out.hasPrefix("processed 0.00 s of audio, 0 windows, 0 detections"), "\(out)")
    }

    /// A microphone that appears after the start: libasound's `file` plugin cannot open its input
    /// file until the test writes it, 2.5 s in; then the detections are those of the WAV.
    @Test(arguments: Program.available)
    func lateDeviceIsWaitedFor(program: Program) throws {
        let home = Self.dir.appendingPathComponent("late-\(program)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        let input = home.appendingPathComponent("mic.raw")
        try "pcm.latemic { type file slave.pcm \"null\" file \"/dev/null\" infile \"\(input.path)\" format \"raw\" }\n"
            .write(to: home.appendingPathComponent(".asoundrc"), atomically: true, encoding: .utf8)
        let audio = try Data(contentsOf: URL(fileURLWithPath: Self.wav)).withUnsafeBytes { try WAVReader.decode($0) }
        var raw = Data()
        for s in audio.samples + [Float](repeating: 0, count: 16384) {
            withUnsafeBytes(of: Int16(max(-32768, min(32767, (s * 32768).rounded()))).littleEndian) { raw.append(contentsOf: $0) }
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program.command[0])
        p.arguments = Array(program.command.dropFirst()) + Self.kws + ["--alsa", "latemic", "--reconnect", "--json", "--seconds", "1.8"]
        p.environment = ProcessInfo.processInfo.environment.merging(["HOME": home.path]) { $1 }
        let stdout = Pipe(), stderr = Pipe()
        p.standardOutput = stdout; p.standardError = stderr
        try p.run()
        usleep(2_500_000)
        try raw.write(to: input)
        let out = String(decoding: stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(err)")
        #expect(err.contains("cannot open ALSA capture device 'latemic': ") && err.contains("; retrying in 1 s"), "\(err)")
        #expect(err.contains("capturing from ALSA device 'latemic'"), "\(err)")
        #expect(Array(out.split(separator: "\n").dropLast()).map(String.init) == (try Self.expected()).map { detectionText($0, json: true) })
    }

    @Test(arguments: Program.available)
    func reconnectNeedsALSAAndListingNeedsNoModel(program: Program) throws {
        let (status, _, err) = try program.run(Self.kws + ["--wav", Self.wav, "--reconnect"])
        #expect(status == 64 && err.contains("--reconnect needs --alsa"), "\(err)")
        let (listed, out, listErr) = try program.run(["kws", "--list-devices"])
        let cards = (try? String(contentsOfFile: "/proc/asound/cards", encoding: .utf8)) ?? ""
        if cards.contains("]:") {
            #expect(listed == 0 && out.split(separator: "\n").allSatisfy { $0.hasPrefix("plughw:CARD=") }, "\(listErr)")
        } else {
            #expect(listed == 1 && listErr.contains("no ALSA capture device found"), "\(listErr)")
        }
    }
}
