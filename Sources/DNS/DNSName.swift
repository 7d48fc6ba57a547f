import StackCore

/// A domain name as a list of labels (raw bytes, without the root label).
/// Comparison and hashing ignore ASCII case, as RFC 1035 (2.3.3) asks.
public struct DNSName: Sendable, CustomStringConvertible {
    /// The labels from the leftmost one to the top-level one; the root name has none.
    public var labels: [[UInt8]]

    /// The root name `.`.
    public static let root = DNSName(labels: [])

    /// The longest label (RFC 1035 2.3.4).
    public static let maxLabelLength = 63
    /// The longest name in wire form, length bytes and the root's zero byte included.
    public static let maxWireLength = 255

    public init(labels: [[UInt8]]) { self.labels = labels }

    /// Parses presentation form (`web.example.`; the final dot is optional, `\.` and `\DDD` escapes
    /// are understood). Nil for empty labels, labels over 63 bytes or names over 255 bytes.
    public init?(_ text: String) {
        if text == "." { self.labels = []; return }
        var labels: [[UInt8]] = []
        var label: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        if bytes.last == UInt8(ascii: ".") && !(bytes.count >= 2 && bytes[bytes.endIndex - 2] == UInt8(ascii: "\\")) {
            bytes = bytes.dropLast()
        }
        guard !bytes.isEmpty else { return nil }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let byte = bytes[i]
            if byte == UInt8(ascii: ".") {
                guard !label.isEmpty else { return nil }
                labels.append(label)
                label = []
                i += 1
            } else if byte == UInt8(ascii: "\\") {
                i += 1
                guard i < bytes.endIndex else { return nil }
                let digits = bytes[i..<min(i + 3, bytes.endIndex)]
                if digits.count == 3, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                    let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
                    guard value <= 255 else { return nil }
                    label.append(UInt8(value))
                    i += 3
                } else {
                    label.append(bytes[i])
                    i += 1
                }
            } else {
                label.append(byte)
                i += 1
            }
        }
        guard !label.isEmpty else { return nil }
        labels.append(label)
        let name = DNSName(labels: labels)
        guard labels.allSatisfy({ $0.count <= Self.maxLabelLength }), name.wireLength <= Self.maxWireLength else {
            return nil
        }
        self = name
    }

    /// The number of bytes the uncompressed wire form takes (length bytes and the root's zero byte included).
    public var wireLength: Int { labels.reduce(1) { $0 + 1 + $1.count } }

    /// Whether this is the root name.
    public var isRoot: Bool { labels.isEmpty }

    /// The fully qualified presentation form, ending in a dot; unusual bytes escaped as `\DDD`.
    public var description: String {
        if labels.isEmpty { return "." }
        var text = ""
        for label in labels {
            for byte in label {
                switch byte {
                case UInt8(ascii: "."), UInt8(ascii: "\\"):
                    text += "\\" + String(UnicodeScalar(byte))
                case 0x21...0x7e:
                    text.unicodeScalars.append(UnicodeScalar(byte))
                default:
                    let digits = String(byte)
                    text += "\\" + String(repeating: "0", count: 3 - digits.count) + digits
                }
            }
            text += "."
        }
        return text
    }

    /// The labels in lower case (ASCII only), the form used for comparison.
    public var lowercasedLabels: [[UInt8]] { labels.map { $0.map(Self.lowercase) } }

    static func lowercase(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte
    }

    /// Whether this name equals `suffix` or lies below it (`a.b.example.` is below `example.`).
    public func isSubdomain(of suffix: DNSName) -> Bool {
        guard suffix.labels.count <= labels.count else { return false }
        let offset = labels.count - suffix.labels.count
        for (i, label) in suffix.labels.enumerated() where !Self.labelsEqual(labels[offset + i], label) {
            return false
        }
        return true
    }

    static func labelsEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { lowercase($0) == lowercase($1) }
    }
}

extension DNSName: Hashable {
    public static func == (lhs: DNSName, rhs: DNSName) -> Bool {
        lhs.labels.count == rhs.labels.count && zip(lhs.labels, rhs.labels).allSatisfy { labelsEqual($0, $1) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(labels.count)
        for label in labels {
            hasher.combine(label.count)
            for byte in label { hasher.combine(Self.lowercase(byte)) }
        }
    }
}

// MARK: - Reverse names

extension DNSName {
    private static let inAddrArpa = [Array("in-addr".utf8), Array("arpa".utf8)]
    private static let ip6Arpa = [Array("ip6".utf8), Array("arpa".utf8)]
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// The PTR owner name of an address: `4.3.2.1.in-addr.arpa.` for 1.2.3.4, nibbles under `ip6.arpa.` for IPv6.
    public static func reverse(_ address: IPAddress) -> DNSName {
        if address.isIPv4 {
            return DNSName(labels: address.bytes.reversed().map { Array(String($0).utf8) } + inAddrArpa)
        }
        var labels: [[UInt8]] = []
        for byte in address.bytes.reversed() {
            labels.append([hexDigits[Int(byte & 0x0f)]])
            labels.append([hexDigits[Int(byte >> 4)]])
        }
        return DNSName(labels: labels + ip6Arpa)
    }

    /// The address a complete reverse name stands for, or nil when this is not one
    /// (partial names such as `2.1.in-addr.arpa.` give nil).
    public var reverseAddress: IPAddress? {
        if labels.count == 6, isSubdomain(of: DNSName(labels: Self.inAddrArpa)) {
            var bytes: [UInt8] = []
            for label in labels[0..<4].reversed() {
                guard (1...3).contains(label.count), label.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                    label.count == 1 || label[0] != 0x30,
                    let value = UInt8(String(decoding: label, as: UTF8.self))
                else { return nil }
                bytes.append(value)
            }
            return IPAddress(wireBytes: bytes)
        }
        if labels.count == 34, isSubdomain(of: DNSName(labels: Self.ip6Arpa)) {
            var nibbles: [UInt8] = []
            for label in labels[0..<32].reversed() {
                guard label.count == 1, let value = Self.hexValue(label[0]) else { return nil }
                nibbles.append(value)
            }
            var bytes: [UInt8] = []
            for i in stride(from: 0, to: 32, by: 2) { bytes.append(nibbles[i] << 4 | nibbles[i + 1]) }
            return IPAddress(wireBytes: bytes)
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}

extension IPAddress {
    /// An address from its 4 or 16 wire bytes (StackCore's byte initialiser is internal, so this
    /// goes through the text form). Nil for any other length.
    public init?(wireBytes bytes: [UInt8]) {
        if bytes.count == 4 {
            self.init(bytes.map(String.init).joined(separator: "."))
        } else if bytes.count == 16 {
            var groups: [String] = []
            for i in stride(from: 0, to: 16, by: 2) {
                groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16))
            }
            self.init(groups.joined(separator: ":"))
        } else {
            return nil
        }
    }
}
