import StackCore
import Testing

@Suite struct CIDRTests {
    private func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }
    private func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    @Test func networkBroadcastAndMask() throws {
        let block = try cidr("172.17.5.9/16")
        #expect(block.network.description == "172.17.0.0")
        #expect(block.broadcast.description == "172.17.255.255")
        #expect(block.netmask.description == "255.255.0.0")
        #expect(block.canonical.description == "172.17.0.0/16")
        #expect(!block.isCanonical && block.canonical.isCanonical)
        #expect(block.hostBits == 16 && block.addressCount == 65536)
        let odd = try cidr("10.1.2.3/21")
        #expect(odd.network.description == "10.1.0.0" && odd.broadcast.description == "10.1.7.255")
        #expect(odd.netmask.description == "255.255.248.0")
        let all = try cidr("0.0.0.0/0")
        #expect(all.broadcast.description == "255.255.255.255" && all.addressCount == 1 << 32)
        let host = try cidr("192.168.1.7/32")
        #expect(host.network == host.broadcast && host.addressCount == 1)
        let v6 = try cidr("fd00:1::5/64")
        #expect(v6.network.description == "fd00:1:0:0:0:0:0:0")
        #expect(v6.broadcast.description == "fd00:1:0:0:ffff:ffff:ffff:ffff")
        #expect(try cidr("::/0").addressCount == UInt128.max)
    }

    @Test func containsAndOverlaps() throws {
        let wide = try cidr("172.16.0.0/12")
        let inside = try cidr("172.18.0.0/16")
        let outside = try cidr("172.32.0.0/16")
        #expect(wide.contains(inside) && !inside.contains(wide))
        #expect(!wide.contains(outside))
        #expect(wide.overlaps(inside) && inside.overlaps(wide))
        #expect(!wide.overlaps(outside) && !outside.overlaps(wide))
        #expect(inside.overlaps(inside))
        #expect(try !cidr("192.168.0.0/24").overlaps(cidr("192.168.1.0/24")))
        #expect(try cidr("192.168.0.0/23").overlaps(cidr("192.168.1.128/25")))
        #expect(try !cidr("10.0.0.0/8").overlaps(cidr("::/0")))
        #expect(try wide.contains(ip("172.31.255.255")) && !wide.contains(ip("172.32.0.0")))
    }

    @Test func arithmetic() throws {
        let base = try ip("10.0.0.255")
        #expect(base.advanced(by: 1)?.description == "10.0.1.0")
        #expect(base.advanced(by: -255)?.description == "10.0.0.0")
        #expect(try ip("255.255.255.255").advanced(by: 1) == nil)
        #expect(try ip("0.0.0.0").advanced(by: -1) == nil)
        #expect(try ip("::ffff").advanced(by: 1)?.description == "0:0:0:0:0:0:1:0")
        #expect(base.ipv4Value == 0x0a00_00ff)
        #expect(IPAddress(ipv4: 0xac11_0002).description == "172.17.0.2")
        #expect(IPAddress(integerValue: 1 << 32, ipv4: true) == nil)
        #expect(try cidr("172.17.0.0/16").address(at: 2)?.description == "172.17.0.2")
        #expect(try cidr("172.17.0.0/30").address(at: 4) == nil)
        #expect(try ip("10.0.0.2") < ip("10.0.0.10"))
        #expect(try ip("255.0.0.0") < ip("::1"))
    }

    @Test func explicitInit() throws {
        #expect(try CIDR(address: ip("10.0.0.0"), prefixLength: 33) == nil)
        #expect(try CIDR(address: ip("10.0.0.0"), prefixLength: 8)?.description == "10.0.0.0/8")
        #expect(try CIDR(address: ip("::"), prefixLength: 128) != nil)
    }
}
