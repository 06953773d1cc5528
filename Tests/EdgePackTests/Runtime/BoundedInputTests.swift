import CEdgePackSys
import EdgePackApp
import EdgePackRuntime
import Foundation
import Testing

// Inputs that have no size, or claim sizes they do not have: devices are refused at once (before,
// /dev/zero as a model, WAV, PCD or NPY was read forever), pipes are read up to a limit, and an
// .npy header cannot make the reader allocate beyond its limits.

@Suite struct BoundedInputTests {
    static func code(_ body: () throws -> Void) -> Int32? {
        do { try body(); return nil } catch let e as IOError { return e.code } catch { return nil }
    }

    @Test func devicesAreRefusedAtOnce() throws {
        let start = Date()
        for device in ["/dev/zero", "/dev/urandom", "/dev/null"] {
            #expect(Self.code { _ = try MappedFile(path: device) } == EP_ERR_DEVICE, "\(device)")
            #expect(Self.code { _ = try MappedFile(path: device, copy: true) } == EP_ERR_DEVICE, "\(device)")
        }
        #expect(Self.code { _ = try MappedFile(path: "/tmp") } == EP_ERR_DIRECTORY)
        #expect(Date().timeIntervalSince(start) < 1)
        let message = IOError(path: "/dev/zero", code: EP_ERR_DEVICE, action: "read").description
        #expect(message == "cannot read '/dev/zero': a device, not a file (it has no size and may never end)")
    }

    /// Every command's file arguments go through MappedFile: models, WAVs, PCDs and NPYs alike.
    @Test func commandsRefuseDevzero() {
        #expect(throws: AppError.self) { _ = try LoadedModel(path: "/dev/zero") }
        #expect(throws: AppError.self) { _ = try loadNPY(path: "/dev/zero") }
        var o = PointCloudOptions()
        o.modelPath = "/dev/zero"
        #expect(throws: AppError.self) { try pointCloudCommand(o) }
    }

    /// A FIFO is read to its end, up to the limit: beyond it the read stops with a clear error.
    @Test func pipesAreReadUpToALimit() throws {
        let dir = temporaryDirectory()
        let fifo = dir.appendingPathComponent("in.fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        func feed(_ bytes: Int) throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "head -c \(bytes) /dev/zero > '\(fifo)'"]
            try p.run()
            return p
        }
        let small = try feed(1000)
        let f = try MappedFile(path: fifo, readLimit: 1 << 20)
        #expect(f.bytes.count == 1000 && f.bytes.allSatisfy { $0 == 0 })
        small.waitUntilExit()
        let exact = try feed(1 << 20)
        let g = try MappedFile(path: fifo, readLimit: 1 << 20)
        #expect(g.bytes.count == 1 << 20)
        exact.waitUntilExit()
        let big = try feed(3 << 20)
        let error = Self.code { _ = try MappedFile(path: fifo, readLimit: 1 << 20) }
        #expect(error == EP_ERR_TOO_LARGE)
        big.terminate()
        #expect(IOError(path: fifo, code: EP_ERR_TOO_LARGE, action: "read", limit: 1 << 20).description
                .hasSuffix("more than the 1048576-byte limit for input read as a stream"))
    }

    @Test func copiedFilesMatchMappedOnes() throws {
        let path = temporaryDirectory().appendingPathComponent("f.bin").path
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let mapped = try MappedFile(path: path), copied = try MappedFile(path: path, copy: true)
        withExtendedLifetime((mapped, copied)) {
            #expect(Array(mapped.bytes) == bytes)
            #expect(Array(copied.bytes) == bytes)
        }
        #expect(Self.code { _ = try MappedFile(path: path, readLimit: 99_999, copy: true) } == EP_ERR_TOO_LARGE)
        let empty = temporaryDirectory().appendingPathComponent("empty").path
        FileManager.default.createFile(atPath: empty, contents: Data())
        let none = try MappedFile(path: empty)
        #expect(none.bytes.count == 0)
    }

    static func npy(version: UInt8, headerLength: Int, header: String = "", data: [UInt8] = []) -> [UInt8] {
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let n = headerLength
        out += version == 1 ? [UInt8(n & 255), UInt8(n >> 8)] : [UInt8(n & 255), UInt8((n >> 8) & 255), UInt8((n >> 16) & 255), UInt8(n >> 24)]
        return out + Array(header.utf8) + data
    }

    static func message(_ b: [UInt8], maxElements: Int = NPY.defaultMaxElements) -> String? {
        do { _ = try b.withUnsafeBytes { raw throws(NPYError) in try NPY.parse(raw, maxElements: maxElements) }; return nil }
        catch let e as NPYError { return e.description } catch { return "\(error)" }
    }

    @Test func npyHeadersWithHostileSizes() {
        #expect(Self.message(Self.npy(version: 2, headerLength: 0xFFFF_FFFF))
                == "malformed .npy: header length 4294967295 exceeds the 65536-byte limit")
        #expect(Self.message(Self.npy(version: 3, headerLength: 70_000, header: String(repeating: " ", count: 70_000)))?
                .contains("exceeds the 65536-byte limit") == true)
        let huge = "{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627775, 1099511627775), }\n"
        #expect(Self.message(Self.npy(version: 1, headerLength: huge.utf8.count, header: huge))?.contains("overflows") == true)
        let big = "{'descr': '|u1', 'fortran_order': False, 'shape': (1000000000000,), }\n"
        #expect(Self.message(Self.npy(version: 1, headerLength: big.utf8.count, header: big))?.contains("needs 1000000000000") == true)
        // A consistent file larger than the caller's limit is refused before converting it.
        let small = "{'descr': '|u1', 'fortran_order': False, 'shape': (20,), }\n"
        let file = Self.npy(version: 1, headerLength: small.utf8.count, header: small, data: [UInt8](repeating: 1, count: 20))
        #expect(Self.message(file) == nil)
        #expect(Self.message(file, maxElements: 19) == "malformed .npy: the array holds 20 elements, more than the 19 allowed")
    }
}
