import CEdgePackSys
import EdgePackFormat
import EdgePackPointCloud
import EdgePackRuntime

public enum PointCloudSource {
    case file(String)
    case stream(String)           // "-" for stdin, or a FIFO path
    case directory(String, follow: Bool)
}

public struct PointCloudOptions {
    public var modelPath = ""
    public var source = PointCloudSource.file("")
    public var top = 3
    public var json = false
    /// Threads the model runs on.
    public var threads = 1
    /// With --follow: stop after this many idle polls (tests); nil waits forever.
    public var maxIdlePolls: Int?
    public init() {}
}

public struct PointCloudSummary {
    public var frames = 0
    public var failed = 0
    public var seconds = 0.0
}

/// Classifies frames one by one; a bad frame is reported and skipped.
public final class PointCloudClassifier {
    let classifier: ModelClassifier
    let spec: PointCloudSpec
    let layout: PointLayout
    let options: PointCloudOptions
    public private(set) var summary = PointCloudSummary()

    public init(_ o: PointCloudOptions) throws(AppError) {
        classifier = try ModelClassifier(path: o.modelPath, threads: o.threads)
        guard let spec = classifier.model.pointCloud else {
            throw AppError("\(o.modelPath): the model has no point-cloud metadata (convert it with --points)")
        }
        self.spec = spec
        options = o
        let shape = classifier.interpreter.inputShape(0)
        guard classifier.inputCount == spec.numPoints * 3 else {
            throw AppError("\(o.modelPath): input \(shapeText(shape)) does not hold \(spec.numPoints) points × 3")
        }
        // PointNet exports take [1, 3, N] (channels first); [1, N, 3] is the other common layout.
        layout = shape.last == 3 && shape.count >= 2 && shape[shape.count - 2] == spec.numPoints ? .pointsByCoordinates : .coordinatesByPoints
    }

    public func frameText(name: String, probabilities p: [Float]) -> String {
        let best = topK(p, options.top)
        if options.json {
            // The name is a path: its bytes that are not UTF-8 as the text \xff.
            var s = "{\"frame\":" + jsonString(PathText.escaped(name, controls: false)) + ",\"top\":["
            for (k, c) in best.enumerated() {
                s += (k > 0 ? "," : "") + "{\"class\":\(c),\"label\":" + jsonString(label(c)) + ",\"score\":" + formatFixed(p[c], decimals: 4) + "}"
            }
            return s + "]}"
        }
        var s = terminalSafe(name) + ":"
        for c in best { s += "  " + terminalSafe(label(c)) + " " + formatFixed(p[c], decimals: 3) }
        return s
    }

    func label(_ c: Int) -> String { c < spec.labels.count ? spec.labels[c] : "class" + String(c) }

    /// Standard output failed while printing a frame: the command stops with this error.
    public private(set) var writeError: AppError?

    /// Reads one PCD frame from `bytes` and prints its classes (or the error, to stderr).
    public func process(_ bytes: UnsafeRawBufferPointer, name: String, offset: Int? = nil) {
        guard writeError == nil, let line = classify(bytes, name: name, offset: offset) else { return }
        do throws(AppError) { try StandardOutput.line(line) } catch { writeError = error }
    }

    /// The result line for one frame, nil when the frame was skipped (reason on stderr, with the
    /// frame's `offset` in a stream when given).
    public func classify(_ bytes: UnsafeRawBufferPointer, name: String, offset: Int? = nil) -> String? {
        do { return try classifyFrame(bytes, name: name) } catch {
            let place = offset.map { " at stream offset " + String($0) } ?? ""
            Console.err("frame " + terminalSafe(name) + place + ": " + error.message + " (skipped)")
            summary.failed += 1
            return nil
        }
    }

    /// The result line for one frame; a frame that cannot be read or prepared is an error.
    public func classifyFrame(_ bytes: UnsafeRawBufferPointer, name: String) throws(AppError) -> String {
        let start = ep_monotonic_ns()
        let cloud: PCDCloud
        do { cloud = try PCDReader.read(bytes) } catch { throw AppError(error.description) }
        let options = PointCloudPrepOptions(numPoints: spec.numPoints, center: spec.center, unitSphere: spec.unitSphere,
                                            farthestPointSampling: spec.farthestPointSampling, seed: spec.seed)
        let xyz: [Float]
        do { xyz = try PointCloudPreprocess.prepare(cloud: cloud, options: options, layout: layout) } catch {
            throw AppError(error.description)
        }
        let p = classifier.classify { buf in for i in 0..<buf.count { buf[i] = xyz[i] } }
        summary.frames += 1
        summary.seconds += Double(ep_monotonic_ns() - start) / 1e9
        return frameText(name: name, probabilities: p)
    }

    public func summaryText() -> String {
        let fps = summary.seconds > 0 ? Double(summary.frames) / summary.seconds : 0
        if options.json {
            return "{\"summary\":{\"frames\":\(summary.frames),\"failed\":\(summary.failed),\"frames_per_second\":" + formatFixed(fps, decimals: 1) + "}}"
        }
        return "\(summary.frames) frames classified, \(summary.failed) skipped, " + formatFixed(fps, decimals: 1) + " frames/s"
    }
}

/// `pointcloud`: one file, a stream of concatenated PCD files, or a directory of frames. A single
/// file that cannot be classified is an error; from a stream or a directory, bad frames are
/// reported and skipped, and the status says that some were.
public func pointCloudCommand(_ o: PointCloudOptions) throws(AppError) -> ExitStatus {
    let c = try PointCloudClassifier(o)
    switch o.source {
    case .file(let path):
        let f: MappedFile
        do { f = try MappedFile(path: path) } catch { throw AppError(error) }
        let line: String
        do { line = try c.classifyFrame(f.bytes, name: path) } catch { throw AppError(terminalSafe(path) + ": " + error.message) }
        try StandardOutput.line(line)
    case .stream(let path):
        let fd = try openStreamSource(path)
        var splitter = PCDStreamSplitter()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var index = 0
        var done = false
        while !done {
            let n = chunk.withUnsafeMutableBytes { ep_read(fd, $0.baseAddress, $0.count) }
            if n < 0 { throw AppError(IOError(path: path, code: Int32(-n), action: "read")) }
            if n == 0 { splitter.finish(); done = true }
            else { chunk.withUnsafeBytes { splitter.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) } }
            while let event = splitter.next() {
                switch event {
                case .frame(let start, let end, let offset):
                    let name = "frame " + String(index)
                    splitter.withBuffer { c.process(UnsafeRawBufferPointer(rebasing: $0[start..<end]), name: name, offset: offset) }
                    if let e = c.writeError { throw e }
                    index += 1
                case .error(let e, let offset):
                    Console.err("stream offset \(offset): " + e.description + " (skipped)")
                    c.summaryFailed()
                }
            }
        }
        if fd > 0 { _ = ep_close(fd) }
    case .directory(let dir, let follow):
        let watcher: FolderWatcher
        do { watcher = try FolderWatcher(path: dir, suffix: ".pcd", follow: follow) } catch { throw AppError(error) }
        var idle = 0
        while true {
            let batch: [String]?
            do { batch = try watcher.next() } catch { throw AppError(error) }
            guard let names = batch else { break }
            for name in names {
                do {
                    // Read, not mapped: a writer truncating the file meanwhile must not raise SIGBUS.
                    let f = try MappedFile(path: dir + "/" + name, readLimit: PCDStreamSplitter.defaultMaxFrameBytes, copy: true)
                    if PCDStreamSplitter.isCutShort(f.bytes), watcher.retry(name) { continue }   // read again once written
                    c.process(f.bytes, name: name)
                } catch {
                    Console.err(error.description + " (skipped)")
                    c.summaryFailed()
                }
                if let e = c.writeError { throw e }
            }
            if !follow { continue }
            idle = names.isEmpty ? idle + 1 : 0
            if let limit = o.maxIdlePolls, idle >= limit { break }
        }
    }
    try StandardOutput.line(c.summaryText())
    return c.summary.failed > 0 ? .skipped : .success
}

extension PointCloudClassifier {
    func summaryFailed() { summary.failed += 1 }
}
