import EdgePackApp
import EdgePackHost
import EdgePackPointCloud
import EdgePackRuntime
import Foundation
import Testing

// Exit statuses a supervisor can trust, on host and device: a failed input is 1, skipped frames
// 2, results lost to a failing standard output 74, and an output that is an input is refused (64)
// without touching the file.

@Suite("Exit statuses and output paths", .serialized)
struct ExitStatusTests {
    static let dir = temporaryDirectory()
    static let pointModel: String = {
        let url = dir.appendingPathComponent("pn.epk")
        try! Data(SyntheticModels.randomPointNet(seed: 5)).write(to: url)
        return url.path
    }()
    static let kwsModel: String = {
        let url = dir.appendingPathComponent("kws.epk")
        try! Data(SyntheticModels.randomKWS(seed: 11)).write(to: url)
        return url.path
    }()
    static let goodPCD: String = {
        let url = dir.appendingPathComponent("good.pcd")
        var rng = SplitMix64(seed: 3)
        try! Data(PCDWriter.encodeXYZ(rng.floats(100 * 3, -1, 1), encoding: .binary)).write(to: url)
        return url.path
    }()
    static let badPCD: String = {
        let url = dir.appendingPathComponent("bad.pcd")
        try! Data("VERSION 0.7\nFIELDS x y\nbroken\n".utf8).write(to: url)
        return url.path
    }()
    static let pointsNPY: String = {
        let url = dir.appendingPathComponent("points.npy")
        var rng = SplitMix64(seed: 4)
        try! Data(NPY.encode(NPYArray(shape: [1, 3, 64], data: rng.floats(192, -1, 1)))).write(to: url)
        return url.path
    }()

    @Test(arguments: Program.available)
    func failedInputIsStatusOne(program: Program) throws {
        let (status, _, err) = try program.run(["pointcloud", "--model", Self.pointModel, "--pcd", Self.badPCD])
        #expect(status == 1, "\(program): \(err)")
        #expect(err.contains("bad.pcd"))
        let (missing, _, _) = try program.run(["pointcloud", "--model", Self.pointModel, "--pcd", Self.dir.appendingPathComponent("none.pcd").path])
        #expect(missing == 1)
        let (good, out, _) = try program.run(["pointcloud", "--model", Self.pointModel, "--pcd", Self.goodPCD])
        #expect(good == 0 && out.contains("good.pcd:"))
    }

    /// A device as `--stream` or `--raw` source would be read forever (before: no output, no end).
    @Test(arguments: Program.available)
    func devicesAreRefusedAsStreamSources(program: Program) throws {
        let kwsModel = repoRoot.appendingPathComponent("Datasets/trained/kws_bifsmn.epk").path
        for args in [["pointcloud", "--model", Self.pointModel, "--stream", "/dev/zero"],
                     ["kws", "--model", kwsModel, "--raw", "/dev/zero"]] {
            let (status, _, err) = try program.run(args)
            #expect(status == 1 && err.contains("'/dev/zero': a device, not a file"), "\(program) \(args): \(status) \(err)")
        }
    }

    @Test(arguments: Program.available)
    func skippedFramesAreStatusTwo(program: Program) throws {
        let frames = Self.dir.appendingPathComponent("frames-\(program)")
        try FileManager.default.createDirectory(at: frames, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.goodPCD, toPath: frames.appendingPathComponent("a.pcd").path)
        try FileManager.default.copyItem(atPath: Self.badPCD, toPath: frames.appendingPathComponent("b.pcd").path)
        let (status, out, err) = try program.run(["pointcloud", "--model", Self.pointModel, "--dir", frames.path, "--json"])
        #expect(status == 2, "\(program): \(err)")
        #expect(out.contains("\"frames\":1,\"failed\":1"))
        try FileManager.default.removeItem(at: frames.appendingPathComponent("b.pcd"))
        let (clean, _, _) = try program.run(["pointcloud", "--model", Self.pointModel, "--dir", frames.path])
        #expect(clean == 0)
    }

    @Test(arguments: Program.available)
    func standardOutputFailureIsStatus74(program: Program) throws {
        let wav = audioFixtures.appendingPathComponent("stream.wav").path
        let (status, err) = try program.runToFullDisk(["kws", "--model", Self.kwsModel, "--wav", wav, "--threshold", "0.2",
                                                       "--json", "--seconds", "1.8"])
        #expect(status == 74, "\(program): \(err)")
        #expect(err.contains("cannot write standard output: No space left on device"), "\(program): \(err)")
        let (inspect, inspectErr) = try program.runToFullDisk(["inspect", Self.kwsModel])
        #expect(inspect == 74, "\(program): \(inspectErr)")
        let (pc, _) = try program.runToFullDisk(["pointcloud", "--model", Self.pointModel, "--pcd", Self.goodPCD])
        #expect(pc == 74)
    }

    @Test(arguments: Program.available)
    func outputThatIsAnInputIsRefused(program: Program) throws {
        let model = Self.dir.appendingPathComponent("copy-\(program).epk")
        try? FileManager.default.removeItem(at: model)
        try FileManager.default.copyItem(atPath: Self.pointModel, toPath: model.path)
        let before = try Data(contentsOf: model)
        let link = Self.dir.appendingPathComponent("hardlink-\(program).npy")
        try? FileManager.default.removeItem(at: link)
        try FileManager.default.linkItem(atPath: Self.pointsNPY, toPath: link.path)
        let npyBefore = try Data(contentsOf: URL(fileURLWithPath: Self.pointsNPY))
        try FileManager.default.createDirectory(at: Self.dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for output in [model.path, Self.dir.appendingPathComponent("./sub/../copy-\(program).epk").path, Self.pointsNPY, link.path] {
            let (status, _, err) = try program.run(["run", model.path, "-i", Self.pointsNPY, "-o", output])
            #expect(status == 64, "\(program) -o \(output): \(err)")
            #expect(err.contains("refusing to write"), "\(program): \(err)")
        }
        #expect(try Data(contentsOf: model) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: Self.pointsNPY)) == npyBefore)
        let out = Self.dir.appendingPathComponent("out-\(program).npy").path
        let (ok, _, okErr) = try program.run(["run", model.path, "-i", Self.pointsNPY, "-o", out])
        #expect(ok == 0, "\(okErr)")

        let pcd = Self.dir.appendingPathComponent("f-\(program).pcd")
        try? FileManager.default.removeItem(at: pcd)
        try FileManager.default.copyItem(atPath: Self.goodPCD, toPath: pcd.path)
        let pcdBefore = try Data(contentsOf: pcd)
        let (pcdStatus, _, pcdErr) = try program.run(["pcd", pcd.path, "--npy", pcd.path])
        #expect(pcdStatus == 64 && pcdErr.contains("refusing to write"), "\(pcdErr)")
        #expect(try Data(contentsOf: pcd) == pcdBefore)
    }

    /// Neither path exists yet: they are compared once their directories are resolved.
    @Test func pathsThatDoNotExistAreComparedResolved() throws {
        let d = temporaryDirectory()
        try FileManager.default.createDirectory(at: d.appendingPathComponent("sub"), withIntermediateDirectories: true)
        do {
            try refuseOverwritingInputs(output: d.path + "/sub/../new.npy", inputs: [d.path + "/new.npy"])
            Issue.record("the same path through sub/.. was not refused")
        } catch { #expect(error.status == .usage) }
        try refuseOverwritingInputs(output: d.path + "/sub/new.npy", inputs: [d.path + "/new.npy"])
        try FileManager.default.createSymbolicLink(atPath: d.path + "/alias", withDestinationPath: d.path + "/sub")
        do {
            try refuseOverwritingInputs(output: d.path + "/alias/x.npy", inputs: [d.path + "/sub/x.npy"])
            Issue.record("a path through a symbolic link was not refused")
        } catch { #expect(error.status == .usage) }
    }

    @Test func convertRefusesToOverwriteItsInput() throws {
        let onnx = Self.dir.appendingPathComponent("m.onnx")
        try Data([1, 2, 3]).write(to: onnx)
        let (status, _, err) = try Program.host.run(["convert", onnx.path, "-o", onnx.path])
        #expect(status == 64 && err.contains("refusing to write"), "\(err)")
        #expect(try Data(contentsOf: onnx) == Data([1, 2, 3]))
    }

    /// Files convert cannot read or write: one line naming the file and the reason, no Foundation
    /// error dump, no endless read of a device; 1 for inputs, 74 for the output.
    @Test func convertNamesUnreadableInputsAndUnwritableOutput() throws {
        let onnx = repoRoot.appendingPathComponent("Datasets/trained/kws_bifsmn.onnx").path
        let notText = Self.dir.appendingPathComponent("latin1.conf")
        try Data([0x78, 0xFF, 0xFE, 0x3D, 0x31, 0x0A]).write(to: notText)
        let out = Self.dir.appendingPathComponent("out.epk").path
        let cases: [([String], Int32, String)] = [
            (["convert", "/dev/zero", "-o", out], 1, "cannot read /dev/zero: a device, not a file"),
            (["convert", Self.dir.path, "-o", out], 1, "a directory, not a file"),
            (["convert", onnx, "-o", "/nonexistent-dir/m.epk"], 74, "cannot write '/nonexistent-dir/m.epk': No such file or directory"),
            (["convert", onnx, "-o", out, "--preprocessing", "/nonexistent.conf"], 1, "cannot read '/nonexistent.conf': No such file or directory"),
            (["convert", onnx, "-o", out, "--preprocessing", notText.path], 1, "not UTF-8 text"),
        ]
        for (args, want, message) in cases {
            let (status, _, err) = try Program.host.run(args)
            #expect(status == want && err.contains(message), "\(args): \(status) \(err)")
            #expect(!err.contains("NSCocoaErrorDomain") && !err.contains("permission"), "\(args): \(err)")
        }
    }
}
