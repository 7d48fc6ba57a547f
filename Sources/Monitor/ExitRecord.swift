#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// The container's end as the monitor recorded it in `exit.json`:
/// `{"pid":1234,"exitCode":137,"signal":9,"finishedAt":"2026-11-29T08:00:00.123456789Z"}`.
public struct ExitRecord: Sendable, Equatable, Codable {
    /// The container's init pid (host pid namespace).
    public var pid: Int32
    /// The exit status, 128 + signal when a signal killed it.
    public var exitCode: Int32
    /// The signal that killed it, nil when it exited.
    public var signal: Int32?
    /// RFC 3339 with nanoseconds, UTC.
    public var finishedAt: String

    public init(pid: Int32, exitCode: Int32, signal: Int32? = nil, finishedAt: String) {
        self.pid = pid
        self.exitCode = exitCode
        self.signal = signal
        self.finishedAt = finishedAt
    }

    /// `finishedAt` as a date (nanoseconds rounded to what `Date` holds).
    public var finishedDate: Date? { RFC3339.parse(finishedAt) }

    /// Decodes the JSON of an exit record.
    public static func decode(_ data: Data) throws(StackError) -> ExitRecord {
        do {
            return try JSONDecoder().decode(ExitRecord.self, from: data)
        } catch {
            throw StackError(.system, "exit record: invalid JSON", cause: error)
        }
    }

    /// Reads `exit.json` from a container directory; nil while there is none (the container runs,
    /// or its monitor died without recording an end).
    public static func read(directory: String) throws(StackError) -> ExitRecord? {
        let path = directory + "/exit.json"
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw StackError(.system, "exit record: cannot read \(path)")
            }
            return nil
        }
        do {
            return try decode(data)
        } catch {
            throw StackError(.system, "exit record \(path): \(error.message)", cause: error.cause)
        }
    }
}
