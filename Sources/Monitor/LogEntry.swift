#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Which of the container's streams a log entry or attach frame came from.
public enum OutputStream: String, Sendable, Codable, Equatable {
    case stdout
    case stderr
}

/// One line of a json-file log: `{"log":"text\n","stream":"stdout","time":"…"}`.
public struct LogEntry: Sendable, Equatable {
    public var stream: OutputStream
    /// The entry's time as written (RFC 3339, nanoseconds): exact, for `logs -t`.
    public var timestamp: String
    /// `timestamp` as a date.
    public var time: Date
    /// The text, with its newline when the line was complete.
    public var text: String

    public init(stream: OutputStream, timestamp: String, time: Date, text: String) {
        self.stream = stream
        self.timestamp = timestamp
        self.time = time
        self.text = text
    }

    /// A line longer than 16 KiB (or cut by the container's end) is split; all parts but the last lack a newline.
    public var isPartial: Bool { !text.hasSuffix("\n") }

    private struct Line: Decodable {
        var log: String
        var stream: OutputStream
        var time: String
    }

    /// Decodes one line of the log; nil for a line that is not a log entry (e.g. torn by a crash).
    public static func decode<Bytes: Collection<UInt8>>(line: Bytes) -> LogEntry? {
        guard let line = try? JSONDecoder().decode(Line.self, from: Data(line)),
            let time = RFC3339.parse(line.time)
        else { return nil }
        return LogEntry(stream: line.stream, timestamp: line.time, time: time, text: line.log)
    }
}
