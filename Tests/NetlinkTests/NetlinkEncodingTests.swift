import Netlink
import StackCore
import Testing

/// Golden bytes of each request, derived by hand from the UAPI layouts (little-endian hosts):
/// nlmsghdr {u32 len, u16 type, u16 flags, u32 seq, u32 pid}, ifinfomsg {u8 family, u8 pad,
/// u16 type, i32 index, u32 flags, u32 change}, ifaddrmsg {u8 family, u8 prefixlen, u8 flags,
/// u8 scope, u32 index}, rtmsg {8 × u8, u32 flags}, rtattr {u16 len, u16 type} padded to 4.
/// Checked against `strace -e sendmsg` of iproute2 6.1: same layout and flags; iproute2 sends
/// IFLA_INFO_KIND without its NUL (len 10 for "bridge"), we send it with (len 11); the kernel takes both.
@Suite struct NetlinkEncodingTests {
    let zeroInfo = "00 00 0000 00000000 00000000 00000000"

    @Test func addBridge() throws {
        let socket = RecordingNetlinkSocket()
        try NetlinkSession(socket: socket).linkAddBridge(name: "br-x")
        #expect(socket.requests.count == 1)
        // RTM_NEWLINK (16), NLM_F_REQUEST|ACK|EXCL|CREATE (0x605), seq 1.
        #expect(socket.requests[0].encoded() == hex("""
            3c000000 1000 0506 01000000 00000000 | \(zeroInfo)
            | 0900 0300 62722d78 00 000000  # IFLA_IFNAME "br-x"
            | 1000 1200 | 0b00 0100 627269646765 00 00  # IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }
            """))
    }

    @Test func addVethWithPeerInAnotherNamespace() throws {
        let socket = RecordingNetlinkSocket()
        try NetlinkSession(socket: socket).linkAddVeth(name: "ve0", peer: "ve1", peerNamespaceFD: 5)
        #expect(socket.requests[0].encoded() == hex("""
            60000000 1000 0506 01000000 00000000 | \(zeroInfo)
            | 0800 0300 76653000  # IFLA_IFNAME "ve0"
            | 3800 1200  # IFLA_LINKINFO
            |   0900 0100 76657468 00 000000  # IFLA_INFO_KIND "veth"
            |   2800 0200  # IFLA_INFO_DATA
            |     2400 0100 \(zeroInfo)  # VETH_INFO_PEER { ifinfomsg
            |       0800 0300 76653100  # IFLA_IFNAME "ve1"
            |       0800 1c00 05000000  # IFLA_NET_NS_FD 5 }
            """))
    }

    @Test func addVethWithoutNamespaceLeavesOutTheFD() throws {
        let message = NetlinkRequest.addVeth(name: "a", peer: "b", peerNamespaceFD: nil)
        #expect(message.encoded().count == 16 + 16 + 8 + 4 + 12 + 4 + 4 + 16 + 8)
        let info = try #require(try message.attributes(after: InterfaceInfoHeader.size).first(NetlinkConstant.linkInfo))
        let data = try #require(try info.children().first(NetlinkConstant.linkInfoData))
        let peer = try #require(try data.children().first(NetlinkConstant.vethInfoPeer))
        let peerAttributes = try NetlinkAttribute.decode(peer.value.dropFirst(InterfaceInfoHeader.size))
        #expect(peerAttributes == [.string(NetlinkConstant.linkIfName, "b")])
    }

    @Test func setUpAndDown() throws {
        let socket = RecordingNetlinkSocket()
        let session = NetlinkSession(socket: socket)
        try session.linkSetUp("br-x")
        try session.linkSetDown("br-x")
        // No CREATE/EXCL: flags 0x0005. ifinfomsg flags/change carry IFF_UP.
        #expect(socket.requests[0].encoded() == hex("""
            2c000000 1000 0500 01000000 00000000 | 00 00 0000 00000000 01000000 01000000
            | 0900 0300 62722d78 00 000000
            """))
        #expect(socket.requests[1].encoded() == hex("""
            2c000000 1000 0500 02000000 00000000 | 00 00 0000 00000000 00000000 01000000
            | 0900 0300 62722d78 00 000000
            """))
    }

    @Test func setMasterLooksUpTheMasterIndexFirst() throws {
        let socket = RecordingNetlinkSocket()
        // The answer to RTM_GETLINK br-x: the link with index 7, then the ACK.
        let link = NetlinkMessage(type: NetlinkConstant.newLink, flags: 0,
            header: InterfaceInfoHeader(index: 7).encoded(), attributes: [.string(NetlinkConstant.linkIfName, "br-x")])
        socket.enqueue([link, .ack(for: NetlinkRequest.getLink(name: "br-x"))])
        try NetlinkSession(socket: socket).linkSetMaster("ve0", master: "br-x")
        #expect(socket.requests.count == 2)
        // RTM_GETLINK (18) by name.
        #expect(socket.requests[0].encoded() == hex("""
            2c000000 1200 0500 01000000 00000000 | \(zeroInfo) | 0900 0300 62722d78 00 000000
            """))
        #expect(socket.requests[1].encoded() == hex("""
            30000000 1000 0500 02000000 00000000 | \(zeroInfo)
            | 0800 0300 76653000 | 0800 0a00 07000000  # IFLA_IFNAME "ve0", IFLA_MASTER 7
            """))
    }

    @Test func setNameAddressesTheLinkByIndex() {
        #expect(NetlinkRequest.setName(index: 3, to: "eth0").prepared(sequence: 9).encoded() == hex("""
            2c000000 1000 0500 09000000 00000000 | 00 00 0000 03000000 00000000 00000000
            | 0900 0300 65746830 00 000000
            """))
    }

    @Test func setMTU() {
        #expect(NetlinkRequest.setMTU(name: "ve0", mtu: 1400).prepared(sequence: 1).encoded() == hex("""
            30000000 1000 0500 01000000 00000000 | \(zeroInfo) | 0800 0300 76653000 | 0800 0400 78050000
            """))
    }

    @Test func deleteLink() throws {
        let socket = RecordingNetlinkSocket()
        try NetlinkSession(socket: socket).linkDelete("br-x")
        #expect(socket.requests[0].encoded() == hex("""
            2c000000 1100 0500 01000000 00000000 | \(zeroInfo) | 0900 0300 62722d78 00 000000
            """))
    }

    @Test func addIPv4Address() throws {
        let cidr = try #require(CIDR("172.28.0.1/16"))
        #expect(NetlinkRequest.addAddress(index: 7, cidr: cidr).prepared(sequence: 1).encoded() == hex("""
            28000000 1400 0506 01000000 00000000 | 02 10 00 00 07000000  # AF_INET /16 index 7
            | 0800 0200 ac1c0001 | 0800 0100 ac1c0001  # IFA_LOCAL, IFA_ADDRESS
            """))
    }

    @Test func addIPv6Address() throws {
        let cidr = try #require(CIDR("fd00::1/64"))
        #expect(NetlinkRequest.addAddress(index: 7, cidr: cidr).prepared(sequence: 1).encoded() == hex("""
            40000000 1400 0506 01000000 00000000 | 0a 40 00 00 07000000
            | 1400 0200 fd000000 00000000 00000000 00000001
            | 1400 0100 fd000000 00000000 00000000 00000001
            """))
    }

    @Test func addDefaultRoute() throws {
        let gateway = try #require(IPAddress("172.28.0.1"))
        // rtmsg: AF_INET, dst_len 0, table main (254), protocol boot (3), scope universe, unicast.
        #expect(NetlinkRequest.addDefaultRoute(gateway: gateway, outputIndex: nil).prepared(sequence: 1).encoded() == hex("""
            24000000 1800 0506 01000000 00000000 | 02 00 00 00 fe 03 00 01 00000000
            | 0800 0500 ac1c0001  # RTA_GATEWAY
            """))
        let v6 = try #require(IPAddress("fd00::1"))
        #expect(NetlinkRequest.addDefaultRoute(gateway: v6, outputIndex: 4).prepared(sequence: 2).encoded() == hex("""
            38000000 1800 0506 02000000 00000000 | 0a 00 00 00 fe 03 00 01 00000000
            | 1400 0500 fd000000 00000000 00000000 00000001 | 0800 0400 04000000  # RTA_GATEWAY, RTA_OIF
            """))
    }

    @Test func moveToNamespace() {
        #expect(NetlinkRequest.setNamespace(name: "ve0", namespaceFD: 5).prepared(sequence: 1).encoded() == hex("""
            30000000 1000 0500 01000000 00000000 | \(zeroInfo) | 0800 0300 76653000 | 0800 1c00 05000000
            """))
    }

    @Test func deleteAddressAndDefaultRoute() throws {
        let cidr = try #require(CIDR("172.28.0.1/16"))
        // RTM_DELADDR (21) with IFA_LOCAL.
        #expect(NetlinkRequest.deleteAddress(index: 7, cidr: cidr).prepared(sequence: 1).encoded() == hex("""
            20000000 1500 0500 01000000 00000000 | 02 10 00 00 07000000 | 0800 0200 ac1c0001
            """))
        // RTM_DELROUTE (25): table main, protocol 0, scope nowhere (255), type 0.
        #expect(NetlinkRequest.deleteDefaultRoute(gateway: cidr.address).prepared(sequence: 1).encoded() == hex("""
            24000000 1900 0500 01000000 00000000 | 02 00 00 00 fe 00 ff 00 00000000 | 0800 0500 ac1c0001
            """))
    }

    @Test func dumpsAskForNoACK() {
        // NLM_F_REQUEST|NLM_F_DUMP = 0x301.
        #expect(NetlinkRequest.dumpLinks().prepared(sequence: 1).encoded() == hex("""
            20000000 1200 0103 01000000 00000000 | \(zeroInfo)
            """))
        #expect(NetlinkRequest.dumpAddresses().prepared(sequence: 1).encoded() == hex("""
            18000000 1600 0103 01000000 00000000 | 00 00 00 00 00000000
            """))
        #expect(NetlinkRequest.dumpRoutes().prepared(sequence: 1).encoded() == hex("""
            1c000000 1a00 0103 01000000 00000000 | 00 00 00 00 00 00 00 00 00000000
            """))
    }

    @Test func attributesRoundTripWithNesting() throws {
        let attributes: [NetlinkAttribute] = [
            .string(3, "abcde"), .nested(18, [.string(1, "veth"), .uint32(4, 1500)]), .uint32(10, 9),
        ]
        let decoded = try NetlinkAttribute.decode(NetlinkAttribute.encode(attributes))
        #expect(decoded == attributes)
        #expect(decoded[0].stringValue == "abcde")
        #expect(try decoded[1].children()[1].uint32Value == 1500)
    }

    @Test func truncatedAttributeIsAnError() {
        #expect(throws: StackError.self) { try NetlinkAttribute.decode(hex("0c00 0300 6162")) }
    }
}
