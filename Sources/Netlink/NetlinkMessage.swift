import StackCore

/// One netlink message: the 16-byte nlmsghdr and its payload (a family header plus attributes).
public struct NetlinkMessage: Sendable, Hashable {
    public var type: UInt16
    public var flags: UInt16
    public var sequence: UInt32
    public var portID: UInt32
    public var payload: [UInt8]

    public static let headerSize = 16

    public init(type: UInt16, flags: UInt16, sequence: UInt32 = 0, portID: UInt32 = 0, payload: [UInt8]) {
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
        self.payload = payload
    }

    /// A request: `header` (ifinfomsg, ifaddrmsg, rtmsg) then `attributes`.
    public init(type: UInt16, flags: UInt16, header: [UInt8], attributes: [NetlinkAttribute]) {
        var payload = header
        NetlinkBytes.pad(&payload)
        payload += NetlinkAttribute.encode(attributes)
        self.init(type: type, flags: flags, payload: payload)
    }

    /// The wire form: nlmsghdr (length, type, flags, seq, pid) then the payload, padded to 4 bytes.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(NetlinkMessage.headerSize + payload.count + 3)
        NetlinkBytes.append(UInt32(NetlinkMessage.headerSize + payload.count), to: &bytes)
        NetlinkBytes.append(type, to: &bytes)
        NetlinkBytes.append(flags, to: &bytes)
        NetlinkBytes.append(sequence, to: &bytes)
        NetlinkBytes.append(portID, to: &bytes)
        bytes += payload
        NetlinkBytes.pad(&bytes)
        return bytes
    }

    /// The attributes after a family header of `headerSize` bytes.
    public func attributes(after headerSize: Int) throws(StackError) -> [NetlinkAttribute] {
        guard payload.count >= headerSize else {
            throw StackError(.system, "netlink: message type \(type) too short (\(payload.count) bytes)")
        }
        return try NetlinkAttribute.decode(payload[NetlinkBytes.aligned(headerSize)...])
    }

    /// Splits one datagram into its messages.
    public static func decodeAll(_ bytes: [UInt8]) throws(StackError) -> [NetlinkMessage] {
        var messages: [NetlinkMessage] = []
        var offset = 0
        while bytes.count - offset >= headerSize {
            let length = Int(NetlinkBytes.uint32(bytes, at: offset))
            guard length >= headerSize, offset + length <= bytes.count else {
                throw StackError(.system, "netlink: malformed message (length \(length) at offset \(offset))")
            }
            messages.append(NetlinkMessage(
                type: NetlinkBytes.uint16(bytes, at: offset + 4),
                flags: NetlinkBytes.uint16(bytes, at: offset + 6),
                sequence: NetlinkBytes.uint32(bytes, at: offset + 8),
                portID: NetlinkBytes.uint32(bytes, at: offset + 12),
                payload: Array(bytes[(offset + headerSize)..<(offset + length)])))
            offset += NetlinkBytes.aligned(length)
        }
        return messages
    }
}
