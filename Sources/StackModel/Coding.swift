import StackCore

/// A coding key for mapping keys that are data (service names, label names), not field names.
public struct AnyCodingKey: CodingKey, Hashable, Sendable {
    public var stringValue: String
    public var intValue: Int?

    public init(_ stringValue: String) {
        self.stringValue = stringValue
        self.intValue = nil
    }

    public init?(stringValue: String) { self.init(stringValue) }

    public init?(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// An enum written in stack files as one of a fixed set of strings.
///
/// Decoding an unknown string fails with a message that lists the accepted values.
public protocol StackFileEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable
where RawValue == String {}

extension StackFileEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            let accepted = Self.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid value \"\(text)\"; expected one of \(accepted)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension SingleValueDecodingContainer {
    /// Throws a "data corrupted" error for this value.
    func invalid(_ message: String) -> DecodingError {
        DecodingError.dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: message))
    }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent or null.
    func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }

    /// The optional value for `key` (nil when absent or null).
    func optional<T: Decodable>(_ key: Key) throws -> T? {
        try decodeIfPresent(T.self, forKey: key)
    }

    /// A mapping of strings where null values read as empty strings (labels, sysctls, options).
    func stringMap(_ key: Key) throws -> [String: String] {
        guard let raw = try decodeIfPresent([String: String?].self, forKey: key) else { return [:] }
        return raw.mapValues { $0 ?? "" }
    }

    /// A byte size: an integer number of bytes, or a string such as `"512m"`.
    func byteSize(_ key: Key) throws -> Int64? {
        do {
            return try decodeIfPresent(Int64.self, forKey: key)
        } catch {
            // Not an integer: a size with a unit.
        }
        let text = try decode(String.self, forKey: key)
        guard let bytes = ByteSize.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "invalid byte size \"\(text)\"")
        }
        return bytes
    }

    /// A duration: a Go duration string such as `"1m30s"`, or a `Swift.Duration` as it encodes itself.
    func duration(_ key: Key) throws -> Duration? {
        let text: String?
        do {
            text = try decodeIfPresent(String.self, forKey: key)
        } catch {
            // Not a scalar: a `Swift.Duration` as it encodes itself.
            return try decodeIfPresent(Duration.self, forKey: key)
        }
        guard let text else { return nil }
        guard let nanoseconds = GoDuration.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self, debugDescription: "invalid duration \"\(text)\"; expected e.g. \"1m30s\"")
        }
        return .nanoseconds(nanoseconds)
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating), e.g. for `GoDuration.format`.
    public var totalNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return sum
    }
}
