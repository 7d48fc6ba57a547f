#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// The polling loop behind `JSONFileLogReader.follow`: reads the live file from an open fd, and
/// when the path names a new file (rotation) finishes the old one and moves to the new one.
struct LogFollower: Sendable {
    let path: String
    let interval: Duration

    func run(
        reader: JSONFileLogReader, tail: Int?, since: Date?, ended: @Sendable () -> Bool,
        yield: (LogEntry) -> Void
    ) async throws {
        // What is there now: the rotated files whole, the live one through an fd we keep reading.
        var initial: [LogEntry] = []
        for file in reader.files() where file != path {
            if let data = FileManager.default.contents(atPath: file) { initial += JSONFileLogReader.parse(data[...]).entries }
        }
        var live = LiveFile(path: path)
        initial += live.read()
        if let since { initial = initial.filter { $0.time >= since } }
        if let tail { initial = Array(initial.suffix(max(0, tail))) }
        for entry in initial { yield(entry) }

        while true {
            try Task.checkCancellation()
            let finished = ended() // before the last read: whatever it wrote before ending is in the file
            var entries = live.read()
            if live.rotated() {
                entries += live.read() // the rest of the old file, then the new one from its start
                live = LiveFile(path: path)
                entries += live.read()
            }
            for entry in entries where since.map({ entry.time >= $0 }) ?? true { yield(entry) }
            if finished && entries.isEmpty { return }
            if entries.isEmpty { try await Task.sleep(for: interval) }
        }
    }
}

/// An fd on the live log file and the bytes of a line not yet complete.
struct LiveFile: ~Copyable {
    let path: String
    private var fd: Int32
    private var pending = Data()

    init(path: String) {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The complete entries written since the last read.
    mutating func read() -> [LogEntry] {
        if fd < 0 {
            fd = open(path, O_RDONLY | O_CLOEXEC) // the file may not exist yet
            if fd < 0 { return [] }
        }
        var status = stat()
        if fstat(fd, &status) == 0, status.st_size < lseek(fd, 0, SEEK_CUR) {
            lseek(fd, 0, SEEK_SET) // truncated in place (a log of one file rotates that way)
            pending.removeAll()
        }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending.append(contentsOf: buffer[0..<count])
        }
        let (entries, used) = JSONFileLogReader.parse(pending[...])
        pending.removeFirst(used)
        return entries
    }

    /// Whether the path now names another file than the one open (the monitor rotated the log).
    func rotated() -> Bool {
        guard fd >= 0 else { return false }
        var open = stat()
        var named = stat()
        guard fstat(fd, &open) == 0, stat(path, &named) == 0 else { return false }
        return open.st_ino != named.st_ino || open.st_dev != named.st_dev
    }
}
