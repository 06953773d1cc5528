import Foundation
import Testing
@testable import EdgePackPointCloud
@testable import EdgePackHost

// `pointcloud --dir --follow`: each file is handed out once, complete, even when its writer pauses
// half way; a file read while being written is retried; an idle folder of 20,000 entries costs no
// more than an empty one. Both ways of watching are tested: inotify, and the polling fallback.

@Suite("Folder watcher", .serialized)
struct FolderWatcherTests {
    static let frame = PCDWriter.encodeXYZ((0..<300).map { Float($0) / 7 }, encoding: .binary)

    /// Writes `bytes` in two halves with a pause between, closing the file in between when
    /// `reopen` (as a writer that appends in sessions does). Returns when it has started.
    static func slowWrite(_ path: String, _ bytes: [UInt8], pause: Double, reopen: Bool = false) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        let half = bytes.count / 2
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        DispatchQueue.global().async {
            var h = FileHandle(forWritingAtPath: path)!
            h.write(Data(bytes[..<half]))
            if reopen { try? h.close() }
            Thread.sleep(forTimeInterval: pause)
            if reopen { h = FileHandle(forWritingAtPath: path)!; h.seekToEndOfFile() }
            h.write(Data(bytes[half...]))
            try? h.close()
            done.signal()
        }
        return done
    }

    struct Read { var name: String; var bytes: [UInt8]; var retries: Int }

    /// Polls like the command does until `count` files were read whole (or `seconds` passed).
    static func collect(_ w: FolderWatcher, count: Int, seconds: Double) throws -> [Read] {
        var out: [Read] = []
        var retries: [String: Int] = [:]
        let deadline = Date().addingTimeInterval(seconds)
        while out.count < count && Date() < deadline {
            for name in try w.next() ?? [] {
                let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: w.path + "/" + name)))
                if bytes.withUnsafeBytes({ PCDStreamSplitter.isCutShort($0) }), w.retry(name) {
                    retries[name, default: 0] += 1
                    continue
                }
                out.append(Read(name: name, bytes: bytes, retries: retries[name] ?? 0))
            }
        }
        return out
    }

    /// A writer that pauses half way, or closes and reopens the file there: either way the file
    /// is read whole exactly once; a read of half of it (the reopening writer's first close) is retried.
    @Test("A file written in two goes is handed out once, complete", arguments: [true, false], [false, true])
    func pausedWriter(inotify: Bool, reopen: Bool) throws {
        let dir = TestDirectory()
        let w = try FolderWatcher(path: dir.path, suffix: ".pcd", follow: true, pollMilliseconds: 50,
                                  retryMilliseconds: 2000, inotify: inotify)
        #expect(w.usesInotify == inotify)
        _ = try w.next()
        let done = Self.slowWrite(dir.file("a.pcd"), Self.frame, pause: 0.6, reopen: reopen)
        let got = try Self.collect(w, count: 1, seconds: 10)
        done.wait()
        #expect(got.count == 1)
        #expect(got.first?.bytes == Self.frame)
        if reopen { #expect((got.first?.retries ?? 0) >= 1) }
        print("writer in two goes (inotify \(inotify), reopen \(reopen)): read whole after \(got.first?.retries ?? -1) retries")
        // Never again, and nothing else.
        for _ in 0..<5 { #expect(try w.next() == []) }
    }

    @Test("A file that stays cut short is reported after the retry time", arguments: [true, false])
    func abandonedFile(inotify: Bool) throws {
        let dir = TestDirectory()
        let w = try FolderWatcher(path: dir.path, suffix: ".pcd", follow: true, pollMilliseconds: 50,
                                  retryMilliseconds: 300, inotify: inotify)
        _ = try w.next()
        try Data(Self.frame.prefix(Self.frame.count - 10)).write(to: URL(fileURLWithPath: dir.file("c.pcd")))
        let start = Date()
        let got = try Self.collect(w, count: 1, seconds: 10)
        #expect(got.count == 1 && got.first?.bytes.count == Self.frame.count - 10)
        #expect(Date().timeIntervalSince(start) < 3)
    }

    @Test("Without --follow: every .pcd file once, in order, then the end")
    func oneShot() throws {
        let dir = TestDirectory()
        for n in ["b.pcd", "a.pcd", "c.txt", ".hidden.pcd"] { try writeBytes(Self.frame, dir.file(n)) }
        let w = try FolderWatcher(path: dir.path, suffix: ".pcd", follow: false)
        #expect(try w.next() == ["a.pcd", "b.pcd"])
        #expect(try w.next() == nil)
        #expect(!w.retry("a.pcd"))
    }

    @Test("Files already there are handed out; deleted files are forgotten", arguments: [true, false])
    func existingAndDeleted(inotify: Bool) throws {
        let dir = TestDirectory()
        for k in 0..<5 { try writeBytes(Self.frame, dir.file("f\(k).pcd")) }
        Thread.sleep(forTimeInterval: 0.1)
        let w = try FolderWatcher(path: dir.path, suffix: ".pcd", follow: true, pollMilliseconds: 50, inotify: inotify)
        #expect(try w.next() == (0..<5).map { "f\($0).pcd" })
        for k in 0..<5 { try FileManager.default.removeItem(atPath: dir.file("f\(k).pcd")) }
        for _ in 0..<3 { _ = try w.next() }
        Thread.sleep(forTimeInterval: 2.1)              // past the polling fallback's two-second relist window
        _ = try w.next()
        #expect(w.entries.isEmpty && w.waiting.isEmpty)
    }

    static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Before: every 200 ms poll listed and sorted the folder (1.8 s of CPU per 20 s with 20,000 entries).
    @Test("An idle folder of 20,000 entries costs what an empty one does", arguments: [true, false])
    func idleCost(inotify: Bool) throws {
        var perPoll: [Double] = []
        for entries in [0, 20_000] {
            let dir = TestDirectory()
            for k in 0..<entries { _ = FileManager.default.createFile(atPath: dir.file(String(format: "%05d.pcd", k)), contents: nil) }
            let old = Date().addingTimeInterval(-60)
            for k in 0..<entries { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.file(String(format: "%05d.pcd", k))) }
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: dir.path)
            let w = try FolderWatcher(path: dir.path, suffix: ".pcd", follow: true, pollMilliseconds: 10, inotify: inotify)
            #expect(try w.next()?.count == entries)
            let listings = w.listings
            let start = Self.threadCPUSeconds()
            for _ in 0..<50 { #expect(try w.next() == []) }
            perPoll.append((Self.threadCPUSeconds() - start) / 50)
            #expect(w.listings == listings)              // idle: the folder is not listed again
        }
        print(String(format: "idle poll CPU, inotify %@: empty folder %.1f µs, 20,000 entries %.1f µs",
                     "\(inotify)", perPoll[0] * 1e6, perPoll[1] * 1e6))
        #expect(perPoll[1] < perPoll[0] * 3 + 200e-6)
    }
}
