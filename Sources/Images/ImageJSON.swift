#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// JSON coding for image blobs: sorted keys, unescaped slashes, so equal values give equal digests.
enum ImageJSON {
    static func encode<T: Encodable>(_ value: T) throws(StackError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(value))
        } catch {
            throw StackError(.internalError, "encoding \(T.self): \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], what: String) throws(StackError) -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(bytes))
        } catch {
            throw StackError(.invalidArgument, "\(what): invalid JSON: \(describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
            DecodingError.dataCorrupted(let context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }

    /// Now, RFC 3339 with nanosecond digits (fractions are zero-padded from microseconds).
    static func now() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var time = time_t(spec.tv_sec)
        var parts = tm()
        gmtime_r(&time, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let nanos = String(spec.tv_nsec)
        let fraction = String(repeating: "0", count: max(0, 9 - nanos.count)) + nanos
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(fraction)Z"
    }

    /// Unix seconds of an RFC 3339 time (fraction and offset honoured); 0 when unparsable.
    static func unixSeconds(_ text: String?) -> Int64 {
        guard let text else { return 0 }
        var trimmed = text
        if let dot = text.firstIndex(of: ".") {
            let end = text[dot...].firstIndex { $0 == "Z" || $0 == "+" || $0 == "-" } ?? text.endIndex
            trimmed = String(text[..<dot]) + String(text[end...])
        }
        return (try? Date.ISO8601FormatStyle().parse(trimmed)).map { Int64($0.timeIntervalSince1970) } ?? 0
    }
}
