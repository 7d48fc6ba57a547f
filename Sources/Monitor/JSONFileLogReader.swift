#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// Reads a container's json-file log: the live file `F` and its rotated predecessors `F.1`, `F.2` …
/// (oldest last), entries in the order they were written.
public struct JSONFileLogReader: Sendable {
    /// The live log file.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The log's files, oldest first: `F.n` … `F.1`, `F` (those that exist).
    public func files() -> [String] {
        var rotated: [String] = []
        var index = 1
        while FileManager.default.fileExists(atPath: "\(path).\(index)") {
            rotated.append("\(path).\(index)")
            index += 1
        }
        var files = Array(rotated.reversed())
        if FileManager.default.fileExists(atPath: path) { files.append(path) }
        return files
    }

    /// Every entry, oldest first.
    public func entries() throws(StackError) -> [LogEntry] {
        var entries: [LogEntry] = []
        for file in files() {
            guard let data = FileManager.default.contents(atPath: file) else { continue }
            entries += Self.parse(data[...]).entries
        }
        return entries
    }

    /// The last `count` entries.
    public func tail(_ count: Int) throws(StackError) -> [LogEntry] {
        Array(try entries().suffix(max(0, count)))
    }

    /// Entries written at or after `date`.
    public func since(_ date: Date) throws(StackError) -> [LogEntry] {
        try entries().filter { $0.time >= date }
    }

    /// The entries already there (the last `tail` of them, those since `since`), then each new one as it is
    /// written, across rotations, polling every `interval`. Ends once `ended()` holds (check it
    /// against the container's exit record) and the file is drained; cancelling the consumer stops it.
    public func follow(
        tail: Int? = nil, since: Date? = nil, interval: Duration = .milliseconds(50),
        ended: @escaping @Sendable () -> Bool
    ) -> AsyncThrowingStream<LogEntry, any Error> {
        let path = self.path
        let reader = self
        return AsyncThrowingStream { continuation in
            let task = Task.detached {
                do {
                    try await LogFollower(path: path, interval: interval).run(
                        reader: reader, tail: tail, since: since, ended: ended, yield: { continuation.yield($0) })
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Complete lines of `data` decoded, and how many bytes they used (a torn last line is left).
    static func parse(_ data: Data.SubSequence) -> (entries: [LogEntry], used: Int) {
        var entries: [LogEntry] = []
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 10) {
            if let entry = LogEntry.decode(line: data[start..<newline]) { entries.append(entry) }
            start = newline + 1
        }
        return (entries, start - data.startIndex)
    }
}
