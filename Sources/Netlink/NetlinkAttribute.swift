import StackCore

/// One rtattr/nlattr: a type and a value, possibly holding nested attributes.
/// Encoded as `len u16, type u16, value`, padded to 4 bytes.
public struct NetlinkAttribute: Sendable, Hashable {
    public var type: UInt16
    public var value: [UInt8]

    public init(type: UInt16, value: [UInt8]) {
        self.type = type
        self.value = value
    }

    /// A NUL-terminated string (IFLA_IFNAME, IFLA_INFO_KIND).
    public static func string(_ type: UInt16, _ text: String) -> NetlinkAttribute {
        NetlinkAttribute(type: type, value: Array(text.utf8) + [0])
    }

    /// A native-endian 32-bit integer (IFLA_MASTER, IFLA_MTU, RTA_OIF).
    public static func uint32(_ type: UInt16, _ value: UInt32) -> NetlinkAttribute {
        var bytes: [UInt8] = []
        NetlinkBytes.append(value, to: &bytes)
        return NetlinkAttribute(type: type, value: bytes)
    }

    /// A signed native-endian 32-bit integer (IFLA_NET_NS_FD).
    public static func int32(_ type: UInt16, _ value: Int32) -> NetlinkAttribute {
        uint32(type, UInt32(bitPattern: value))
    }

    /// An address in network byte order (IFA_LOCAL, RTA_GATEWAY).
    public static func address(_ type: UInt16, _ address: IPAddress) -> NetlinkAttribute {
        NetlinkAttribute(type: type, value: address.bytes)
    }

    /// Attributes nested inside this one (IFLA_LINKINFO, IFLA_INFO_DATA).
    public static func nested(_ type: UInt16, _ children: [NetlinkAttribute]) -> NetlinkAttribute {
        NetlinkAttribute(type: type, value: encode(children))
    }

    /// The value as a string, up to the first NUL.
    public var stringValue: String {
        String(decoding: value.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The value as a native-endian 32-bit integer, when it has 4 bytes.
    public var uint32Value: UInt32? {
        value.count == 4 ? NetlinkBytes.uint32(value, at: 0) : nil
    }

    /// The value as an IPv4 or IPv6 address, when it has 4 or 16 bytes.
    public var addressValue: IPAddress? { NetlinkBytes.address(value) }

    /// The value parsed as nested attributes.
    public func children() throws(StackError) -> [NetlinkAttribute] {
        try NetlinkAttribute.decode(value)
    }

    /// Encodes attributes back to back, each padded to 4 bytes.
    public static func encode(_ attributes: [NetlinkAttribute]) -> [UInt8] {
        var bytes: [UInt8] = []
        for attribute in attributes {
            NetlinkBytes.append(UInt16(4 + attribute.value.count), to: &bytes)
            NetlinkBytes.append(attribute.type, to: &bytes)
            bytes += attribute.value
            NetlinkBytes.pad(&bytes)
        }
        return bytes
    }

    /// Decodes a run of attributes; the type's NLA_F_NESTED and NLA_F_NET_BYTEORDER bits are cleared.
    public static func decode<C: Collection<UInt8>>(_ bytes: C) throws(StackError) -> [NetlinkAttribute]
    where C.Index == Int {
        var result: [NetlinkAttribute] = []
        var offset = bytes.startIndex
        while bytes.endIndex - offset >= 4 {
            let length = Int(NetlinkBytes.uint16(bytes, at: offset))
            let type = NetlinkBytes.uint16(bytes, at: offset + 2) & 0x3fff
            guard length >= 4, offset + length <= bytes.endIndex else {
                throw StackError(.system, "netlink: malformed attribute (length \(length) at offset \(offset - bytes.startIndex))")
            }
            result.append(NetlinkAttribute(type: type, value: Array(bytes[(offset + 4)..<(offset + length)])))
            offset += NetlinkBytes.aligned(length)
        }
        return result
    }
}

extension Array where Element == NetlinkAttribute {
    /// The first attribute of `type`.
    public func first(_ type: UInt16) -> NetlinkAttribute? { first { $0.type == type } }
}
