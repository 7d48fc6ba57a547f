import StackCore

/// struct ifinfomsg (16 bytes): family, pad, type, index, flags, change.
public struct InterfaceInfoHeader: Sendable, Hashable {
    public static let size = 16
    public var family: UInt8 = NetlinkConstant.familyUnspecified
    public var deviceType: UInt16 = 0
    public var index: Int32 = 0
    public var flags: UInt32 = 0
    public var change: UInt32 = 0

    public init(family: UInt8 = NetlinkConstant.familyUnspecified, deviceType: UInt16 = 0, index: Int32 = 0,
        flags: UInt32 = 0, change: UInt32 = 0) {
        self.family = family
        self.deviceType = deviceType
        self.index = index
        self.flags = flags
        self.change = change
    }

    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [family, 0]
        NetlinkBytes.append(deviceType, to: &bytes)
        NetlinkBytes.append(index, to: &bytes)
        NetlinkBytes.append(flags, to: &bytes)
        NetlinkBytes.append(change, to: &bytes)
        return bytes
    }

    public init(decoding payload: [UInt8]) throws(StackError) {
        guard payload.count >= Self.size else { throw StackError(.system, "netlink: short ifinfomsg") }
        family = payload[0]
        deviceType = NetlinkBytes.uint16(payload, at: 2)
        index = NetlinkBytes.int32(payload, at: 4)
        flags = NetlinkBytes.uint32(payload, at: 8)
        change = NetlinkBytes.uint32(payload, at: 12)
    }
}

/// struct ifaddrmsg (8 bytes): family, prefix length, flags, scope, index.
public struct InterfaceAddressHeader: Sendable, Hashable {
    public static let size = 8
    public var family: UInt8
    public var prefixLength: UInt8
    public var flags: UInt8 = 0
    public var scope: UInt8 = NetlinkConstant.scopeUniverse
    public var index: UInt32

    public init(family: UInt8, prefixLength: UInt8, flags: UInt8 = 0, scope: UInt8 = NetlinkConstant.scopeUniverse,
        index: UInt32) {
        self.family = family
        self.prefixLength = prefixLength
        self.flags = flags
        self.scope = scope
        self.index = index
    }

    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = [family, prefixLength, flags, scope]
        NetlinkBytes.append(index, to: &bytes)
        return bytes
    }

    public init(decoding payload: [UInt8]) throws(StackError) {
        guard payload.count >= Self.size else { throw StackError(.system, "netlink: short ifaddrmsg") }
        self.init(family: payload[0], prefixLength: payload[1], flags: payload[2], scope: payload[3],
            index: NetlinkBytes.uint32(payload, at: 4))
    }
}

/// struct rtmsg (12 bytes): family, dst_len, src_len, tos, table, protocol, scope, type, flags.
public struct RouteHeader: Sendable, Hashable {
    public static let size = 12
    public var family: UInt8
    public var destinationLength: UInt8 = 0
    public var sourceLength: UInt8 = 0
    public var tos: UInt8 = 0
    public var table: UInt8 = NetlinkConstant.tableMain
    public var routeProtocol: UInt8 = NetlinkConstant.protocolBoot
    public var scope: UInt8 = NetlinkConstant.scopeUniverse
    public var type: UInt8 = NetlinkConstant.routeTypeUnicast
    public var flags: UInt32 = 0

    public init(family: UInt8) { self.family = family }

    public func encoded() -> [UInt8] {
        var bytes = [family, destinationLength, sourceLength, tos, table, routeProtocol, scope, type]
        NetlinkBytes.append(flags, to: &bytes)
        return bytes
    }

    public init(decoding payload: [UInt8]) throws(StackError) {
        guard payload.count >= Self.size else { throw StackError(.system, "netlink: short rtmsg") }
        family = payload[0]
        destinationLength = payload[1]
        sourceLength = payload[2]
        tos = payload[3]
        table = payload[4]
        routeProtocol = payload[5]
        scope = payload[6]
        type = payload[7]
        flags = NetlinkBytes.uint32(payload, at: 8)
    }
}

extension IPAddress {
    /// AF_INET or AF_INET6.
    var netlinkFamily: UInt8 { isIPv4 ? NetlinkConstant.familyIPv4 : NetlinkConstant.familyIPv6 }
}
