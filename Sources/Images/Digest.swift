import StackCore

/// A content digest, `sha256:<64 lowercase hex>` (the only algorithm the store uses).
public struct Digest: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The 64 lowercase hex characters after `sha256:`.
    public let hex: String

    /// A digest from 64 lowercase hex characters; nil if `hex` is not exactly that.
    public init?(hex: String) {
        guard Digest.isHex64(hex) else { return nil }
        self.hex = hex
    }

    /// Parse `sha256:<64 hex>`; the error names the text.
    public init(parsing text: String) throws(StackError) {
        guard text.hasPrefix("sha256:") else {
            if let colon = text.firstIndex(of: ":") {
                throw StackError(.invalidArgument, "unsupported digest algorithm \"\(text[..<colon])\" in \"\(text)\"")
            }
            throw StackError(.invalidArgument, "invalid digest \"\(text)\": expected sha256:<64 hex digits>")
        }
        guard let digest = Digest(hex: String(text.dropFirst(7))) else {
            throw StackError(.invalidArgument, "invalid digest \"\(text)\": expected sha256:<64 hex digits>")
        }
        self = digest
    }

    /// `sha256:<hex>`.
    public var description: String { "sha256:" + hex }

    /// The first 12 hex characters, as `docker images` shows ids.
    public var shortHex: String { String(hex.prefix(12)) }

    /// The digest of `bytes`.
    public static func of(_ bytes: some Sequence<UInt8>) -> Digest {
        let hasher = SHA256Hasher()
        hasher.update(Array(bytes))
        return hasher.finish()
    }

    /// True for exactly 64 characters of `0-9a-f`.
    public static func isHex64(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Digest(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
