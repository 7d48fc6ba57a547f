import Netlink
import StackCore
import Testing

/// Golden bytes for the verbs in NetlinkSession+Extra (layouts as in NetlinkEncodingTests).
@Suite struct NetlinkExtraEncodingTests {
    @Test func setHardwareAddress() throws {
        let socket = RecordingNetlinkSocket()
        let mac = try #require(HardwareAddress.parse("02:42:AC:11:00:02"))
        try NetlinkSession(socket: socket).linkSetHardwareAddress("ve0", address: mac)
        // RTM_NEWLINK, REQUEST|ACK; IFLA_IFNAME "ve0", IFLA_ADDRESS (type 1) 6 bytes padded to 8.
        #expect(socket.requests[0].encoded() == hex("""
            34000000 1000 0500 01000000 00000000 | 00 00 0000 00000000 00000000 00000000
            | 0800 0300 76653000
            | 0a00 0100 0242ac110002 0000
            """))
    }

    @Test func hardwareAddressText() {
        #expect(HardwareAddress.parse("02:42:ac:11:00:02") == [0x02, 0x42, 0xac, 0x11, 0x00, 0x02])
        #expect(HardwareAddress.parse("02:42:ac:11:00") == nil)
        #expect(HardwareAddress.parse("02:42:ac:11:00:2") == nil)
        #expect(HardwareAddress.parse("02:42:ac:11:00:zz") == nil)
        #expect(HardwareAddress.parse("02-42-ac-11-00-02") == nil)
        #expect(HardwareAddress.format([0x02, 0x42, 0xac, 0x11, 0x00, 0x0f]) == "02:42:ac:11:00:0f")
    }
}
