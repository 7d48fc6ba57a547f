import APIClient
import Foundation

/// One container's log (`GET /containers/{id}/logs`) as whole lines, for `stack logs` and the
/// foreground `stack up`. Docker's multiplexed frames are taken apart for containers without a
/// terminal; a terminal's raw bytes are cut at newlines.
enum ContainerLogLines {
    /// Stream `id`'s log with `query` and call `emit(fd, line)` for every whole line (1 stdout,
    /// 2 stderr; a last line without a newline gets one).
    static func stream(
        _ client: APIClient, id: String, tty: Bool, query: [(String, String)], emit: (Int32, [UInt8]) -> Void
    ) async throws {
        var cursor: String? = nil
        try await stream(client, id: id, tty: tty, query: query, cutTimestamps: false, keepTimestamps: true, cursor: &cursor, emit: emit)
    }

    /// The same; with `cutTimestamps` the query must ask for timestamps: each entry's timestamp
    /// is cut off its line, entries stamped at or before `cursor` are skipped (`since` includes
    /// its own instant), and `cursor` follows the entries handed on — even when the stream
    /// fails — so that a later call goes on after them. With `keepTimestamps` the lines keep them.
    static func stream(
        _ client: APIClient, id: String, tty: Bool, query: [(String, String)], cutTimestamps: Bool,
        keepTimestamps: Bool = false, cursor: inout String?, emit: (Int32, [UInt8]) -> Void
    ) async throws {
        let stream = try await client.stream("GET", "/containers/\(id)/logs", query: query)
        var demuxer = StreamDemuxer()
        var lines = [LineSplitter(), LineSplitter()]
        var last = cursor
        defer { cursor = last }
        /// Cut `"<timestamp> "` off an entry; nil when it is not newer than the cursor.
        func cut(_ entry: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
            guard cutTimestamps, let space = entry.firstIndex(of: 32) else { return entry }
            let stamp = String(decoding: entry[..<space], as: UTF8.self)
            if let last, stamp <= last { return nil }
            last = stamp
            return keepTimestamps ? entry : entry[(space + 1)...]
        }
        for try await chunk in stream {
            if tty {
                // A terminal's entries are lines (the monitor logs line by line): cut each.
                lines[0].feed(chunk) { line in
                    if let text = cut(line[...]) { emit(1, Array(text)) }
                }
            } else {
                demuxer.feed(chunk) { stream, bytes in
                    let fd: Int32 = stream == 2 ? 2 : 1
                    guard let text = cut(bytes) else { return }
                    lines[Int(fd) - 1].feed(text) { emit(fd, $0) }
                }
            }
        }
        for fd: Int32 in [1, 2] { lines[Int(fd) - 1].flush { emit(fd, $0 + [10]) } }
    }
}

/// The `name | ` in front of each log line: padded to the widest name, coloured on a terminal
/// (one of six colours by the container's index), or nothing with `--no-log-prefix`.
struct LogPrefix: Sendable {
    var width: Int
    var colour: Bool
    var none: Bool

    func bytes(name: String, index: Int) -> [UInt8] {
        if none { return [] }
        let padded = name + String(repeating: " ", count: max(0, width - name.count))
        return Array((colour ? "\u{1B}[3\(index % 6 + 1)m\(padded) |\u{1B}[0m " : "\(padded) | ").utf8)
    }

    /// A status line about a container (`web-1 exited with code 0`), in its colour.
    func status(name: String, index: Int, _ text: String) -> [UInt8] {
        Array((colour ? "\u{1B}[3\(index % 6 + 1)m\(name) \(text)\u{1B}[0m\n" : "\(name) \(text)\n").utf8)
    }
}
