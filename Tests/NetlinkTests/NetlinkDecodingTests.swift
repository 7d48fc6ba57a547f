import Netlink
import StackCore
import Testing

/// Canned kernel replies, written by hand from the UAPI layouts, fed through the fake socket so
/// they take the same path (NetlinkReplies) as the real socket's datagrams.
@Suite struct NetlinkDecodingTests {
    @Test func errorReplyNamesTheOperationAndErrno() throws {
        let socket = RecordingNetlinkSocket()
        // NLMSG_ERROR (2), NLM_F_CAPPED, seq 1: error -17 (EEXIST), then the request's nlmsghdr.
        socket.enqueueRaw([hex("24000000 0200 0001 01000000 00000000 | efffffff | 3c000000 1000 0506 01000000 00000000")])
        let error = try #require(throws: StackError.self) {
            try NetlinkSession(socket: socket).linkAddBridge(name: "br-x")
        }
        #expect(error.description == "netlink: add link br-x: EEXIST (File exists)")
        #expect(error.code == .conflict)
    }

    @Test func extendedAckTextIsKept() throws {
        let socket = RecordingNetlinkSocket()
        // NLM_F_CAPPED|NLM_F_ACK_TLVS; error -19 (ENODEV); NLMSGERR_ATTR_MSG "no such dev".
        socket.enqueueRaw([hex("""
            34000000 0200 0003 01000000 00000000 | edffffff | 2c000000 1000 0500 01000000 00000000
            | 1000 0100 6e6f2073 75636820 64657600
            """)])
        let error = try #require(throws: StackError.self) { try NetlinkSession(socket: socket).linkSetUp("nope") }
        #expect(error.description == "netlink: set link nope up [no such dev]: ENODEV (No such device)")
        #expect(error.code == .notFound)
    }

    @Test func repliesForOtherSequencesAreIgnored() throws {
        let socket = RecordingNetlinkSocket()
        // An error for seq 9 (someone else's) and then our ACK for seq 1.
        socket.enqueueRaw([
            hex("24000000 0200 0001 09000000 00000000 | efffffff | 00000000 0000 0000 09000000 00000000"),
            hex("24000000 0200 0001 01000000 00000000 | 00000000 | 2c000000 1000 0500 01000000 00000000"),
        ])
        try NetlinkSession(socket: socket).linkSetUp("br-x")
    }

    @Test func multipartLinkDumpAcrossDatagrams() throws {
        let socket = RecordingNetlinkSocket()
        socket.enqueueRaw([
            hex("""
                30000000 1000 0200 01000000 00000000 | 00 00 0403 01000000 49000100 00000000  # lo, index 1, UP|LOOPBACK|RUNNING|LOWER_UP
                | 0700 0300 6c6f00 00  # IFLA_IFNAME "lo"
                | 0800 0400 00000100  # IFLA_MTU 65536
                3c000000 1000 0200 01000000 00000000 | 00 00 0100 04000000 03100000 00000000  # br-x, index 4, UP
                | 0900 0300 62722d78 00 000000
                | 1000 1200 | 0b00 0100 627269646765 00 00  # kind bridge
                """),
            hex("""
                40000000 1000 0200 01000000 00000000 | 00 00 0100 05000000 02100000 00000000  # ve0, index 5, down
                | 0800 0300 76653000
                | 0800 0a00 04000000  # IFLA_MASTER 4
                | 1000 1200 | 0900 0100 76657468 00 000000  # kind veth
                14000000 0300 0200 01000000 00000000 | 00000000  # NLMSG_DONE
                """),
        ])
        let links = try NetlinkSession(socket: socket).links()
        #expect(links.map(\.name) == ["lo", "br-x", "ve0"])
        #expect(links.map(\.index) == [1, 4, 5])
        #expect(links.map(\.isUp) == [true, true, false])
        #expect(links.map(\.kind) == [nil, "bridge", "veth"])
        #expect(links.map(\.masterIndex) == [nil, nil, 4])
        #expect(links[0].mtu == 65536)
    }

    @Test func dumpWithoutDoneIsNotComplete() {
        let socket = RecordingNetlinkSocket()
        socket.enqueueRaw([hex("20000000 1000 0200 01000000 00000000 | 00 00 0000 01000000 00000000 00000000")])
        #expect(throws: StackError.self) { try NetlinkSession(socket: socket).links() }
    }

    @Test func addressDumpFilteredByLink() throws {
        let socket = RecordingNetlinkSocket()
        let link = NetlinkMessage(type: NetlinkConstant.newLink, flags: 0,
            header: InterfaceInfoHeader(index: 4).encoded(), attributes: [.string(NetlinkConstant.linkIfName, "br-x")])
        socket.enqueue([link, .ack(for: NetlinkRequest.getLink(name: "br-x"))])
        socket.enqueueRaw([hex("""
            34000000 1400 0200 02000000 00000000 | 02 10 00 00 04000000  # AF_INET /16 index 4
            | 0800 0100 ac1c0001 | 0800 0200 ac1c0001  # IFA_ADDRESS, IFA_LOCAL 172.28.0.1
            | 0900 0300 62722d78 00 000000  # IFA_LABEL
            2c000000 1400 0200 02000000 00000000 | 0a 80 00 fe 01000000  # AF_INET6 /128 host scope index 1
            | 1400 0100 00000000 00000000 00000000 00000001  # ::1
            2c000000 1400 0200 02000000 00000000 | 0a 40 00 00 04000000  # AF_INET6 /64 index 4
            | 1400 0100 fd000000 00000000 00000000 00000001
            14000000 0300 0200 02000000 00000000 | 00000000
            """)])
        let session = NetlinkSession(socket: socket)
        let addresses = try session.addresses(link: "br-x")
        #expect(addresses.map(\.cidr) == [CIDR("172.28.0.1/16"), CIDR("fd00::1/64")])
        #expect(addresses.allSatisfy { $0.linkIndex == 4 })
    }

    @Test func routeDump() throws {
        let socket = RecordingNetlinkSocket()
        socket.enqueueRaw([hex("""
            34000000 1800 0200 01000000 00000000 | 02 00 00 00 fe 03 00 01 00000000  # default, boot, unicast
            | 0800 0f00 fe000000 | 0800 0500 ac1c0001 | 0800 0400 04000000  # RTA_TABLE, RTA_GATEWAY, RTA_OIF
            34000000 1800 0200 01000000 00000000 | 02 10 00 00 fe 02 fd 01 00000000  # /16, kernel, scope link
            | 0800 0f00 fe000000 | 0800 0100 ac1c0000 | 0800 0400 04000000  # RTA_TABLE, RTA_DST, RTA_OIF
            14000000 0300 0200 01000000 00000000 | 00000000
            """)])
        let routes = try NetlinkSession(socket: socket).routes()
        #expect(routes.count == 2)
        #expect(routes[0].isDefault)
        #expect(routes[0].gateway == IPAddress("172.28.0.1"))
        #expect(routes[0].outputIndex == 4)
        #expect(routes[0].table == 254)
        #expect(routes[1].destination == CIDR("172.28.0.0/16"))
        #expect(routes[1].gateway == nil)
        #expect(routes[1].scope == NetlinkConstant.scopeLink)
    }

    @Test func truncatedMessageIsAnError() {
        #expect(throws: StackError.self) { try NetlinkMessage.decodeAll(hex("40000000 1000 0200 01000000 00000000 | 0000")) }
    }
}
