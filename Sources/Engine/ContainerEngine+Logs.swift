#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Monitor
import StackCore
import Store

/// What `logs` asks for.
public struct LogOptions: Sendable {
    public var follow: Bool
    public var stdout: Bool
    public var stderr: Bool
    public var timestamps: Bool
    /// The last N lines only; nil for all.
    public var tail: Int?
    /// Unix time (with fraction), RFC 3339, or a duration back from now (`10m`).
    public var since: String?
    public var until: String?

    public init(
        follow: Bool = false, stdout: Bool = true, stderr: Bool = true, timestamps: Bool = false, tail: Int? = nil,
        since: String? = nil, until: String? = nil
    ) {
        self.follow = follow
        self.stdout = stdout
        self.stderr = stderr
        self.timestamps = timestamps
        self.tail = tail
        self.since = since
        self.until = until
    }

    /// Docker's `--since`/`--until` forms as a date.
    static func date(_ text: String?, flag: String) throws(StackError) -> Date? {
        guard let text, !text.isEmpty else { return nil }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        if let date = RFC3339.parse(text) { return date }
        if let nanoseconds = GoDuration.parse(text) {
            return Date(timeIntervalSinceNow: -Double(nanoseconds) / 1e9)
        }
        throw StackError(.invalidArgument, "\(flag): cannot parse \"\(text)\" as a timestamp or a duration")
    }
}

extension ContainerEngine {
    /// `GET /containers/{id}/logs`: the json-file log as a stream — Docker's stdcopy frames, or
    /// raw bytes for a container with a terminal (returned first). With `follow` it goes on until
    /// the container has stopped and its log is drained.
    public func logs(_ reference: String, options: LogOptions) throws(StackError)
        -> (tty: Bool, stream: AsyncThrowingStream<[UInt8], any Error>)
    {
        let record = try record(reference)
        let stored = try StoredConfig.decode(record.config, container: record.id)
        let tty = stored.request.tty
        let since = try LogOptions.date(options.since, flag: "--since")
        let until = try LogOptions.date(options.until, flag: "--until")
        let reader = JSONFileLogReader(path: paths.log(record.id))
        let exitFile = paths.exitFile(record.id)
        let id = record.id
        let running = record.state == .running || record.state == .paused || record.state == .restarting
        let follow = options.follow && running
        let entries: AsyncThrowingStream<LogEntry, any Error>
        if follow {
            let store = self.store
            entries = reader.follow(tail: options.tail, since: since) {
                // Ended once the monitor recorded the exit, or the engine saw it (or it is gone).
                if FileSystem.exists(exitFile) { return true }
                guard let now = try? store.containers.get(id) else { return true }
                return !(now.state == .running || now.state == .paused || now.state == .restarting)
            }
        } else {
            var all = (try? reader.entries()) ?? []
            if let since { all = all.filter { $0.time >= since } }
            if let tail = options.tail { all = Array(all.suffix(max(0, tail))) }
            let fixed = all
            entries = AsyncThrowingStream { continuation in
                for entry in fixed { continuation.yield(entry) }
                continuation.finish()
            }
        }
        let wanted = options
        let stream = AsyncThrowingStream<[UInt8], any Error> { continuation in
            let task = Task {
                do {
                    for try await entry in entries {
                        if let until, entry.time > until { break }
                        let isStdout = entry.stream == .stdout
                        if isStdout ? !wanted.stdout : !wanted.stderr { continue }
                        var bytes = Array(entry.text.utf8)
                        if wanted.timestamps { bytes = Array((entry.timestamp + " ").utf8) + bytes }
                        continuation.yield(tty ? bytes : StreamFrame.frame(stream: isStdout ? 1 : 2, bytes))
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return (tty, stream)
    }
}
