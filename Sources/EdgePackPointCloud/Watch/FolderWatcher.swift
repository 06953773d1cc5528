import CEdgePackSys
import EdgePackRuntime

// Hands out the files of a folder once each, when they are complete, for `pointcloud --dir`.
// With inotify (Linux) a file is complete when its writer closes it (IN_CLOSE_WRITE) or when it
// is renamed into the folder (IN_MOVED_TO); waiting costs nothing however many files the folder
// holds. Without inotify the folder is listed again only when its modification time changes,
// and a file is complete when its size and modification time stay the same for one poll; an idle
// poll is then one stat of the folder. Files already there at the start (and, without inotify,
// files found cut short: see `retry`) are watched the polling way until they settle: one stat
// each per poll.
// State is kept only for names still in the folder, so memory follows the folder, not its history.

public final class FolderWatcher {
    public let path: String
    public let suffix: String
    public let follow: Bool
    /// Milliseconds between polls, and how long a new file must stay unchanged to count as complete.
    public let pollMilliseconds: Int
    /// How long a file found cut short may stay unchanged before it is taken as complete (and bad).
    public let retryNanoseconds: Int64
    public private(set) var usesInotify = false
    /// How many times the folder was listed (an idle poll lists nothing).
    public private(set) var listings = 0

    struct FileState: Equatable {
        var size: Int64
        var mtime: Int64
    }

    /// A name still in the folder: handed out already, waiting to settle, or found cut short and
    /// waiting for its writer.
    enum Entry {
        case done(FileState)
        case settling(FileState)
        case retrying(FileState)
    }

    var entries: [String: Entry] = [:]
    /// The names of `entries` that are not done: the only files looked at in an idle poll.
    var waiting: [String: Bool] = [:]
    /// Names ready to hand out, in order.
    var ready: [String] = []
    var watchFD: Int32 = -1
    var folderMtime: Int64 = -1
    var started = false

    /// Fails only when the folder cannot be listed. `inotify: false` forces polling.
    public init(path: String, suffix: String, follow: Bool, pollMilliseconds: Int = 200,
                retryMilliseconds: Int = 5000, inotify: Bool = true) throws(IOError) {
        self.path = path
        self.suffix = suffix
        self.follow = follow
        self.pollMilliseconds = max(10, pollMilliseconds)
        retryNanoseconds = Int64(max(0, retryMilliseconds)) * 1_000_000
        if follow && inotify {
            // Watch first, list second: a file written in between is then seen at least once.
            let fd = PathText.withPath(path) { ep_watch_open($0) }
            if fd >= 0 { watchFD = fd; usesInotify = true }
        }
        try relist()
    }

    deinit { if watchFD >= 0 { _ = ep_close(watchFD) } }

    /// Names ready to be read, in order. Without `follow`, every file once and then nil; with it,
    /// waits up to one poll interval and returns what completed meanwhile (possibly nothing).
    public func next() throws(IOError) -> [String]? {
        if !follow {
            if started { return nil }
            started = true
            return take()
        }
        if !started {
            started = true                 // files already there: complete unless modified just now
        } else if usesInotify {
            try waitForEvents()
        } else {
            ep_sleep_ms(UInt32(pollMilliseconds))
            var state = FileState(size: 0, mtime: 0)
            let code = PathText.withPath(path) { ep_file_state($0, &state.size, &state.mtime) }
            if code != 0 { throw IOError(path: path, code: code, action: "watch") }
            // A change within the clock's granularity of the last listing may not move the
            // time, so a folder changed in the last two seconds is listed again.
            if state.mtime != folderMtime || ep_realtime_ns() - state.mtime < 2_000_000_000 { try relist() }
        }
        settle(now: ep_realtime_ns())
        return take()
    }

    /// Called when a file handed out was found cut short: true when its writer may not be done
    /// (it changed since it was handed out, or within the retry time), so it is handed out again
    /// once it changes and settles, or once it has stayed unchanged for the retry time; false when
    /// it is complete and simply bad.
    public func retry(_ name: String) -> Bool {
        guard follow, case .done(let before)? = entries[name], let now = state(of: name) else { return false }
        guard now != before || ep_realtime_ns() - now.mtime < retryNanoseconds else { return false }
        set(name, .retrying(now))
        return true
    }

    func take() -> [String] {
        let out = ready
        ready = []
        return out
    }

    func set(_ name: String, _ entry: Entry?) {
        entries[name] = entry
        switch entry {
        case .done?, nil: waiting[name] = nil
        default: waiting[name] = true
        }
    }

    func handOut(_ name: String, _ state: FileState) {
        set(name, .done(state))
        ready.append(name)
    }

    func state(of name: String) -> FileState? {
        var s = FileState(size: 0, mtime: 0)
        let full = path + "/" + name
        let code = PathText.withPath(full) { ep_file_state($0, &s.size, &s.mtime) }
        return code == 0 ? s : nil
    }

    func wanted(_ name: String) -> Bool { name.hasSuffix(suffix) && !name.hasPrefix(".") }

    /// Reads the folder: new names start settling (or, without follow, are ready at once);
    /// names gone from the folder are forgotten.
    func relist() throws(IOError) {
        var error: Int32 = 0
        var state = FileState(size: 0, mtime: 0)
        if PathText.withPath(path, { ep_file_state($0, &state.size, &state.mtime) }) == 0 { folderMtime = state.mtime }
        guard let list = PathText.withPath(path, { ep_list_dir($0, &error) }) else {
            throw IOError(path: path, code: error, action: "list")
        }
        let names = PathText.decode(cString: list).split(separator: "\n")
        ep_free(list)
        listings += 1
        var present: [String: Bool] = [:]
        for n in names where wanted(String(n)) {
            let name = String(n)
            present[name] = true
            if entries[name] != nil { continue }
            if !follow {
                handOut(name, FileState(size: 0, mtime: 0))
            } else if let s = self.state(of: name) {
                set(name, .settling(FileState(size: -1, mtime: s.mtime)))   // size -1: first look
            }
        }
        for name in Array(entries.keys) where present[name] == nil { set(name, nil) }
    }

    /// Hands out settling files that did not change since the last look (or, at the first look,
    /// were last modified a poll interval ago or more), and retried files that stayed unchanged
    /// for the retry time; a retried file that changed settles again.
    func settle(now: Int64) {
        guard !waiting.isEmpty else { return }
        let quiet = Int64(pollMilliseconds) * 1_000_000
        for name in waiting.keys.sorted() {
            guard let current = state(of: name) else { set(name, nil); continue }
            switch entries[name] {
            case .settling(let before)?:
                if current == before || (before.size < 0 && now - current.mtime >= quiet) {
                    handOut(name, current)
                } else {
                    set(name, .settling(current))
                }
            case .retrying(let before)?:
                // With inotify the writer's close hands it out; a pause is no sign of completion.
                if current != before { set(name, usesInotify ? .retrying(current) : .settling(current)) }
                else if now - current.mtime >= retryNanoseconds { handOut(name, current) }
            default:
                break
            }
        }
    }

    func waitForEvents() throws(IOError) {
        var error: Int32 = 0
        guard let text = ep_watch_wait(watchFD, Int32(pollMilliseconds), &error) else {
            if error != 0 { throw IOError(path: path, code: error, action: "watch") }
            return
        }
        let lines = PathText.decode(cString: text).split(separator: "\n")
        ep_free(text)
        for line in lines {
            guard let kind = line.first else { continue }
            let name = String(line.dropFirst())
            switch kind {
            case "W", "M":
                guard wanted(name) else { continue }
                if case .done? = entries[name] { continue }    // each name once
                if let s = state(of: name) { handOut(name, s) }
            case "D":
                set(name, nil)
            case "O":
                try relist()
            default: // "X": the folder itself was removed or moved away
                throw IOError(path: path, code: 2, action: "watch")
            }
        }
    }
}
