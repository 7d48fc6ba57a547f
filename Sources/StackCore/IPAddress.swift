/// An IPv4 or IPv6 address parsed from text, as 4 or 16 bytes.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    public init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            bytes = v4
        } else if let v6 = Self.parseIPv6(text) {
            bytes = v6
        } else {
            return nil
        }
    }

    /// An address from its network-order bytes: 4 for IPv4, 16 for IPv6 (other lengths make no valid address).
    public init(bytes: [UInt8]) { self.bytes = bytes }

    private static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = UInt8(part), part.count == 1 || part.first != "0"
            else { return nil }
            result.append(value)
        }
        return result
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        var text = Substring(text)
        if let percent = text.firstIndex(of: "%") { text = text[..<percent] }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: Substring) -> [UInt8]? {
            if part.isEmpty { return [] }
            var bytes: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (i, piece) in pieces.enumerated() {
                if i == pieces.count - 1, piece.contains("."), let v4 = parseIPv4(piece) {
                    bytes += v4
                    continue
                }
                guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                bytes += [UInt8(value >> 8), UInt8(value & 0xff)]
            }
            return bytes
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        for i in stride(from: 0, to: 16, by: 2) { groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16)) }
        return groups.joined(separator: ":")
    }
}

extension Substring {
    /// Splits on a multi-character separator (no Foundation).
    func components(separatedBy separator: String) -> [Substring] {
        var result: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            result.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        result.append(rest)
        return result
    }
}

/// A network prefix such as `172.28.0.0/16` or `fd00::/64`.
public struct CIDR: Sendable, Hashable, CustomStringConvertible {
    public var address: IPAddress
    public var prefixLength: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress(String(parts[0])), let length = Int(parts[1]),
            length >= 0, length <= address.bytes.count * 8
        else { return nil }
        self.address = address
        self.prefixLength = length
    }

    /// Whether `ip` lies inside this prefix.
    public func contains(_ ip: IPAddress) -> Bool {
        guard ip.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for i in 0..<ip.bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if ip.bytes[i] & mask != address.bytes[i] & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(address)/\(prefixLength)" }
}

// MARK: - Arithmetic

extension IPAddress: Comparable {
    /// Orders by family (IPv4 first), then numerically.
    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        if lhs.bytes.count != rhs.bytes.count { return lhs.bytes.count < rhs.bytes.count }
        return lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

extension IPAddress {
    /// The IPv4 address whose 32-bit value (host order) is `value`: `0xac110002` is `172.17.0.2`.
    public init(ipv4 value: UInt32) {
        self.init(bytes: [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)])
    }

    /// The address of the given family whose numeric value is `value`, or nil when it does not fit (> 2³²−1 for IPv4).
    public init?(integerValue value: UInt128, ipv4: Bool) {
        let count = ipv4 ? 4 : 16
        guard !ipv4 || value <= UInt128(UInt32.max) else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var rest = value
        for index in stride(from: count - 1, through: 0, by: -1) {
            bytes[index] = UInt8(truncatingIfNeeded: rest)
            rest >>= 8
        }
        self.init(bytes: bytes)
    }

    /// The address as a number (network byte order read as big-endian).
    public var integerValue: UInt128 {
        bytes.reduce(UInt128(0)) { ($0 << 8) | UInt128($1) }
    }

    /// The IPv4 address as a 32-bit number, or nil for IPv6.
    public var ipv4Value: UInt32? {
        isIPv4 ? UInt32(truncatingIfNeeded: integerValue) : nil
    }

    /// Bits in an address of this family: 32 or 128.
    public var bitCount: Int { bytes.count * 8 }

    /// The address `offset` places further on (back when negative), or nil when that leaves the family's range.
    public func advanced(by offset: Int) -> IPAddress? {
        let value = integerValue
        let magnitude = UInt128(offset.magnitude)
        if offset >= 0 {
            let (sum, overflow) = value.addingReportingOverflow(magnitude)
            guard !overflow else { return nil }
            return IPAddress(integerValue: sum, ipv4: isIPv4)
        }
        guard magnitude <= value else { return nil }
        return IPAddress(integerValue: value - magnitude, ipv4: isIPv4)
    }
}

// MARK: - Prefix helpers

extension CIDR {
    /// A prefix from an address and a length; nil when the length is out of range for the family.
    public init?(address: IPAddress, prefixLength: Int) {
        guard address.bytes.count == 4 || address.bytes.count == 16, prefixLength >= 0,
            prefixLength <= address.bitCount
        else { return nil }
        self.address = address
        self.prefixLength = prefixLength
    }

    /// An IPv4 prefix from the address's 32-bit value; the length is clamped to 0…32.
    public init(ipv4 value: UInt32, prefixLength: Int) {
        address = IPAddress(ipv4: value)
        self.prefixLength = min(max(prefixLength, 0), 32)
    }

    /// True for an IPv4 prefix.
    public var isIPv4: Bool { address.isIPv4 }

    /// Bits after the prefix: 32 − length for IPv4.
    public var hostBits: Int { address.bitCount - prefixLength }

    /// The host part's mask as a number (`0xff` for a /24).
    private var hostMask: UInt128 {
        hostBits >= 128 ? UInt128.max : (UInt128(1) << hostBits) - 1
    }

    /// The netmask as an address: `255.255.255.0` for a /24.
    public var netmask: IPAddress {
        let all: UInt128 = isIPv4 ? UInt128(UInt32.max) : UInt128.max
        return IPAddress(integerValue: all & ~hostMask, ipv4: isIPv4) ?? address
    }

    /// The first address (host bits zero): `172.17.0.0` for `172.17.5.9/16`.
    public var network: IPAddress {
        IPAddress(integerValue: address.integerValue & ~hostMask, ipv4: isIPv4) ?? address
    }

    /// The last address (host bits one); for IPv4 the broadcast address: `172.17.255.255` for a /16.
    public var broadcast: IPAddress {
        IPAddress(integerValue: address.integerValue | hostMask, ipv4: isIPv4) ?? address
    }

    /// The same prefix with the host bits cleared: `172.17.0.0/16` for `172.17.5.9/16`.
    public var canonical: CIDR {
        var result = self
        result.address = network
        return result
    }

    /// True when the address has no host bits set (`10.0.0.0/8`, not `10.0.0.1/8`).
    public var isCanonical: Bool { address == network }

    /// How many addresses the prefix spans (2^hostBits), saturating at `UInt128.max` for `::/0`.
    public var addressCount: UInt128 {
        hostBits >= 128 ? UInt128.max : UInt128(1) << hostBits
    }

    /// The address `offset` places after the network address, or nil when that lies outside the prefix.
    public func address(at offset: UInt128) -> IPAddress? {
        guard offset <= hostMask else { return nil }
        return IPAddress(integerValue: network.integerValue + offset, ipv4: isIPv4)
    }

    /// Whether `other` lies wholly inside this prefix (same family, at least as long, same leading bits).
    public func contains(_ other: CIDR) -> Bool {
        other.isIPv4 == isIPv4 && other.prefixLength >= prefixLength && contains(other.address)
    }

    /// Whether the two prefixes share at least one address (one contains the other).
    public func overlaps(_ other: CIDR) -> Bool {
        contains(other) || other.contains(self)
    }
}
