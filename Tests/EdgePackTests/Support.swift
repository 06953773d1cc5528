import EdgePackFormat
import EdgePackHost
import EdgePackRuntime
import Foundation
import Testing

/// A fresh seed per run (or EDGEPACK_TEST_SEED to replay one), printed so failures reproduce.
func testSeed(_ label: String) -> UInt64 {
    let seed = ProcessInfo.processInfo.environment["EDGEPACK_TEST_SEED"].flatMap { UInt64($0) }
        ?? UInt64(Date().timeIntervalSince1970 * 1000) ^ UInt64(abs(label.hashValue) & 0xFFFF)
    print("[\(label)] seed \(seed) (replay with EDGEPACK_TEST_SEED=\(seed))")
    return seed
}

/// Loads serialized model bytes and runs them once on `inputs`; returns output 0. With threads > 1
/// every layer is split across them, however small.
func runModel(_ bytes: [UInt8], inputs: [[Float]], mode: ExecutionMode = .binary, threads: Int = 1) throws -> [Float] {
    try bytes.withUnsafeBytes { raw in
        let model = try ModelFile(bytes: raw)
        let interp = try Interpreter(model: model, mode: mode, threads: threads, minimumParallelWork: threads > 1 ? 0 : nil)
        for (i, x) in inputs.enumerated() { try interp.setInput(i, x) }
        interp.invoke()
        return interp.output(0)
    }
}

/// Repository root (tests run from anywhere).
let repoRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
}()

/// Runs a program; returns (status, stdout, stderr).
@discardableResult
func shell(_ args: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> (Int32, String, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out; p.standardError = err
    let input = Pipe()
    if stdin != nil { p.standardInput = input }
    try p.run()
    if let stdin { input.fileHandleForWriting.write(stdin); try? input.fileHandleForWriting.close() }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

func which(_ tool: String) -> Bool {
    (try? shell(["which", tool]))?.0 == 0
}

func temporaryDirectory() -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("edgepack-tests-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// max |a - b| / max(1, |b|) over all elements.
func maxRelativeError(_ a: [Float], _ b: [Double]) -> Double {
    var worst = 0.0
    for i in 0..<min(a.count, b.count) { worst = max(worst, abs(Double(a[i]) - b[i]) / max(1, abs(b[i]))) }
    return a.count == b.count ? worst : .infinity
}
