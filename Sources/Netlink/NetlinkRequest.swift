import StackCore

/// The rtnetlink requests `NetlinkSession` sends, built without I/O so tests can check their bytes.
/// Links are named by IFLA_IFNAME with index 0 where the kernel allows it, as iproute2 does.
public enum NetlinkRequest {
    private typealias C = NetlinkConstant
    private static let create = C.flagCreate | C.flagExclusive

    /// `ip link add NAME type bridge`
    public static func addBridge(name: String) -> NetlinkMessage {
        NetlinkMessage(type: C.newLink, flags: create, header: InterfaceInfoHeader().encoded(), attributes: [
            .string(C.linkIfName, name),
            .nested(C.linkInfo, [.string(C.linkInfoKind, "bridge")]),
        ])
    }

    /// `ip link add NAME type veth peer name PEER [netns FD]`
    public static func addVeth(name: String, peer: String, peerNamespaceFD: Int32?) -> NetlinkMessage {
        var peerAttributes: [NetlinkAttribute] = [.string(C.linkIfName, peer)]
        if let peerNamespaceFD { peerAttributes.append(.int32(C.linkNetNamespaceFD, peerNamespaceFD)) }
        // VETH_INFO_PEER holds a struct ifinfomsg followed by the peer's IFLA_* attributes.
        let peerValue = InterfaceInfoHeader().encoded() + NetlinkAttribute.encode(peerAttributes)
        return NetlinkMessage(type: C.newLink, flags: create, header: InterfaceInfoHeader().encoded(), attributes: [
            .string(C.linkIfName, name),
            .nested(C.linkInfo, [
                .string(C.linkInfoKind, "veth"),
                .nested(C.linkInfoData, [NetlinkAttribute(type: C.vethInfoPeer, value: peerValue)]),
            ]),
        ])
    }

    /// Changes a link found by name: `attributes` after its IFLA_IFNAME, `flags`/`change` in the ifinfomsg.
    public static func setLink(name: String, flags: UInt32 = 0, change: UInt32 = 0,
        attributes: [NetlinkAttribute] = []) -> NetlinkMessage {
        NetlinkMessage(type: C.newLink, flags: 0, header: InterfaceInfoHeader(flags: flags, change: change).encoded(),
            attributes: [.string(C.linkIfName, name)] + attributes)
    }

    /// `ip link set NAME master MASTER` (by the master's index).
    public static func setMaster(name: String, masterIndex: Int32) -> NetlinkMessage {
        setLink(name: name, attributes: [.int32(C.linkMaster, masterIndex)])
    }

    /// `ip link set NAME up` / `down`.
    public static func setUp(name: String, up: Bool) -> NetlinkMessage {
        setLink(name: name, flags: up ? C.interfaceUp : 0, change: C.interfaceUp)
    }

    /// `ip link set NAME mtu MTU`.
    public static func setMTU(name: String, mtu: UInt32) -> NetlinkMessage {
        setLink(name: name, attributes: [.uint32(C.linkMTU, mtu)])
    }

    /// `ip link set NAME netns FD`: moves the link into the network namespace open at `namespaceFD`.
    public static func setNamespace(name: String, namespaceFD: Int32) -> NetlinkMessage {
        setLink(name: name, attributes: [.int32(C.linkNetNamespaceFD, namespaceFD)])
    }

    /// `ip link set dev INDEX name NEWNAME`: the link is found by index, IFLA_IFNAME is the new name.
    public static func setName(index: Int32, to newName: String) -> NetlinkMessage {
        NetlinkMessage(type: C.newLink, flags: 0, header: InterfaceInfoHeader(index: index).encoded(),
            attributes: [.string(C.linkIfName, newName)])
    }

    /// `ip link del NAME`
    public static func deleteLink(name: String) -> NetlinkMessage {
        NetlinkMessage(type: C.deleteLink, flags: 0, header: InterfaceInfoHeader().encoded(),
            attributes: [.string(C.linkIfName, name)])
    }

    /// `ip link show NAME`: one RTM_NEWLINK reply.
    public static func getLink(name: String) -> NetlinkMessage {
        NetlinkMessage(type: C.getLink, flags: 0, header: InterfaceInfoHeader().encoded(),
            attributes: [.string(C.linkIfName, name)])
    }

    /// `ip link show`: a dump of every link.
    public static func dumpLinks() -> NetlinkMessage {
        NetlinkMessage(type: C.getLink, flags: C.flagDump, header: InterfaceInfoHeader().encoded(), attributes: [])
    }

    /// `ip addr add CIDR dev INDEX`: IFA_LOCAL and IFA_ADDRESS both carry the address, as iproute2 sends them.
    public static func addAddress(index: Int32, cidr: CIDR) -> NetlinkMessage {
        let header = InterfaceAddressHeader(family: cidr.address.netlinkFamily, prefixLength: UInt8(cidr.prefixLength),
            index: UInt32(bitPattern: index))
        return NetlinkMessage(type: C.newAddress, flags: create, header: header.encoded(), attributes: [
            .address(C.addressLocal, cidr.address),
            .address(C.addressAddress, cidr.address),
        ])
    }

    /// `ip addr del CIDR dev INDEX`
    public static func deleteAddress(index: Int32, cidr: CIDR) -> NetlinkMessage {
        let header = InterfaceAddressHeader(family: cidr.address.netlinkFamily, prefixLength: UInt8(cidr.prefixLength),
            index: UInt32(bitPattern: index))
        return NetlinkMessage(type: C.deleteAddress, flags: 0, header: header.encoded(), attributes: [
            .address(C.addressLocal, cidr.address),
        ])
    }

    /// `ip addr show`: a dump of every address of every family.
    public static func dumpAddresses() -> NetlinkMessage {
        NetlinkMessage(type: C.getAddress, flags: C.flagDump,
            header: InterfaceAddressHeader(family: C.familyUnspecified, prefixLength: 0, index: 0).encoded(), attributes: [])
    }

    /// `ip route add default via GATEWAY [dev INDEX]` in the main table.
    public static func addDefaultRoute(gateway: IPAddress, outputIndex: Int32?) -> NetlinkMessage {
        var attributes: [NetlinkAttribute] = [.address(C.routeGateway, gateway)]
        if let outputIndex { attributes.append(.int32(C.routeOutputInterface, outputIndex)) }
        return NetlinkMessage(type: C.newRoute, flags: create, header: RouteHeader(family: gateway.netlinkFamily).encoded(),
            attributes: attributes)
    }

    /// `ip route del default via GATEWAY` from the main table (any scope, type and protocol, as iproute2 asks).
    public static func deleteDefaultRoute(gateway: IPAddress) -> NetlinkMessage {
        var header = RouteHeader(family: gateway.netlinkFamily)
        header.routeProtocol = 0
        header.scope = C.scopeNowhere
        header.type = 0
        return NetlinkMessage(type: C.deleteRoute, flags: 0, header: header.encoded(),
            attributes: [.address(C.routeGateway, gateway)])
    }

    /// `ip route add CIDR dev INDEX` (scope link) in the main table.
    public static func addLinkRoute(destination: CIDR, outputIndex: Int32) -> NetlinkMessage {
        var header = RouteHeader(family: destination.address.netlinkFamily)
        header.destinationLength = UInt8(destination.prefixLength)
        header.scope = C.scopeLink
        return NetlinkMessage(type: C.newRoute, flags: create, header: header.encoded(), attributes: [
            .address(C.routeDestination, destination.address),
            .int32(C.routeOutputInterface, outputIndex),
        ])
    }

    /// `ip route show table all`: a dump of every route of every family.
    public static func dumpRoutes() -> NetlinkMessage {
        var header = RouteHeader(family: C.familyUnspecified)
        header.table = 0
        header.routeProtocol = 0
        header.type = 0
        return NetlinkMessage(type: C.getRoute, flags: C.flagDump, header: header.encoded(), attributes: [])
    }
}
