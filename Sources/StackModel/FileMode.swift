/// Unix permission bits, written in stack files as an octal string (`"0440"`) or an integer.
///
/// A string is read as octal, as Compose does; an integer is taken as the value itself. Encodes as
/// the octal string Compose prints.
public struct FileMode: Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(_ rawValue: UInt32) { self.rawValue = rawValue }

    /// Parses an octal mode such as `"0440"`, `"755"` or `"0o755"`; nil when it is not octal.
    public init?(octal text: String) {
        var digits = Substring(text)
        if digits.hasPrefix("0o") || digits.hasPrefix("0O") { digits = digits.dropFirst(2) }
        guard !digits.isEmpty, let value = UInt32(digits, radix: 8) else { return nil }
        self.rawValue = value
    }

    /// The octal form with a leading zero, e.g. `0440`.
    public var description: String { "0" + String(rawValue, radix: 8) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(UInt32.self) {
            self.rawValue = value
            return
        }
        let text = try container.decode(String.self)
        guard let mode = FileMode(octal: text) else {
            throw container.invalid("invalid file mode \"\(text)\"; expected an octal number such as \"0440\"")
        }
        self = mode
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
