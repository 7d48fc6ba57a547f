import StackCore

/// A link as an RTM_NEWLINK reply describes it.
public struct NetlinkLink: Sendable, Hashable {
    public var index: Int32
    public var name: String
    /// IFF_* flags (IFF_UP is 0x1).
    public var flags: UInt32
    public var mtu: UInt32?
    /// The index of the bridge (or other master) it is enslaved to.
    public var masterIndex: Int32?
    /// IFLA_INFO_KIND: "bridge", "veth", … (nil for physical devices and loopback).
    public var kind: String?
    /// IFLA_ADDRESS: the hardware address.
    public var hardwareAddress: [UInt8]?

    public var isUp: Bool { flags & NetlinkConstant.interfaceUp != 0 }

    public init(_ message: NetlinkMessage) throws(StackError) {
        let header = try InterfaceInfoHeader(decoding: message.payload)
        let attributes = try message.attributes(after: InterfaceInfoHeader.size)
        index = header.index
        flags = header.flags
        name = attributes.first(NetlinkConstant.linkIfName)?.stringValue ?? ""
        mtu = attributes.first(NetlinkConstant.linkMTU)?.uint32Value
        masterIndex = attributes.first(NetlinkConstant.linkMaster)?.uint32Value.map { Int32(bitPattern: $0) }
        hardwareAddress = attributes.first(NetlinkConstant.linkAddress)?.value
        kind = try attributes.first(NetlinkConstant.linkInfo)?.children().first(NetlinkConstant.linkInfoKind)?.stringValue
    }
}

/// An interface address as an RTM_NEWADDR reply describes it.
public struct NetlinkAddress: Sendable, Hashable {
    public var linkIndex: Int32
    public var scope: UInt8
    /// The interface's own address and prefix (IFA_LOCAL, else IFA_ADDRESS).
    public var cidr: CIDR

    public init(_ message: NetlinkMessage) throws(StackError) {
        let header = try InterfaceAddressHeader(decoding: message.payload)
        let attributes = try message.attributes(after: InterfaceAddressHeader.size)
        guard let address = (attributes.first(NetlinkConstant.addressLocal) ?? attributes.first(NetlinkConstant.addressAddress))?.addressValue,
            let cidr = CIDR("\(address)/\(header.prefixLength)")
        else { throw StackError(.system, "netlink: address message without a usable IFA_LOCAL/IFA_ADDRESS") }
        linkIndex = Int32(bitPattern: header.index)
        scope = header.scope
        self.cidr = cidr
    }
}

/// A route as an RTM_NEWROUTE reply describes it.
public struct NetlinkRoute: Sendable, Hashable {
    public var family: UInt8
    /// The destination prefix; nil for a default route.
    public var destination: CIDR?
    public var gateway: IPAddress?
    public var outputIndex: Int32?
    public var table: UInt32
    public var scope: UInt8
    public var type: UInt8
    public var routeProtocol: UInt8

    public var isDefault: Bool { destination == nil }

    public init(_ message: NetlinkMessage) throws(StackError) {
        let header = try RouteHeader(decoding: message.payload)
        let attributes = try message.attributes(after: RouteHeader.size)
        family = header.family
        scope = header.scope
        type = header.type
        routeProtocol = header.routeProtocol
        table = attributes.first(NetlinkConstant.routeTable)?.uint32Value ?? UInt32(header.table)
        gateway = attributes.first(NetlinkConstant.routeGateway)?.addressValue
        outputIndex = attributes.first(NetlinkConstant.routeOutputInterface)?.uint32Value.map { Int32(bitPattern: $0) }
        if header.destinationLength == 0 {
            destination = nil
        } else {
            guard let address = attributes.first(NetlinkConstant.routeDestination)?.addressValue else {
                throw StackError(.system, "netlink: route with /\(header.destinationLength) but no RTA_DST")
            }
            destination = CIDR("\(address)/\(header.destinationLength)")
        }
    }
}
