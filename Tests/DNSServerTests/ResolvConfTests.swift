import DNSServer
import Foundation
import StackCore
import Testing

@Suite struct ResolvConfTests {
    func write(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "resolv-\(UUID().uuidString).conf"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func nameserversWithoutLoopbackOnes() throws {
        let host = try write("""
            # generated
            search example.test
            nameserver 127.0.0.53
            nameserver 192.0.2.1
            nameserver\t2001:db8::1%eth0
            nameserver ::1
            options edns0
            nameserver 192.0.2.1
            """)
        let systemd = try write("nameserver 198.51.100.1\n")
        defer { unlink(host); unlink(systemd) }
        #expect(ResolvConf.upstreams(hostFile: host, systemdFile: systemd).map(\.description) == ["192.0.2.1", "2001:db8:0:0:0:0:0:1"])
    }

    @Test func onlyLoopbackFallsBackToSystemdResolved() throws {
        let host = try write("nameserver 127.0.0.53\noptions edns0 trust-ad\n")
        let systemd = try write("nameserver 198.51.100.1\nnameserver 127.0.0.1\nnameserver 198.51.100.2\n")
        defer { unlink(host); unlink(systemd) }
        #expect(ResolvConf.upstreams(hostFile: host, systemdFile: systemd).map(\.description) == ["198.51.100.1", "198.51.100.2"])
        #expect(ResolvConf.upstreams(hostFile: host, systemdFile: "/nonexistent/resolv.conf").isEmpty)
    }

    @Test func missingOrEmptyFilesGiveNothing() throws {
        let empty = try write("# nothing\n")
        let systemd = try write("nameserver 198.51.100.1\n")
        defer { unlink(empty); unlink(systemd) }
        #expect(ResolvConf.upstreams(hostFile: "/nonexistent/resolv.conf", systemdFile: systemd).isEmpty)
        #expect(ResolvConf.upstreams(hostFile: empty, systemdFile: systemd).isEmpty)
    }

    @Test func upstreamListParsing() throws {
        let list = try DNSUpstream.parseList(" 192.0.2.1, 192.0.2.2:5353 ,[2001:db8::1]:53,2001:db8::2,")
        #expect(list.map(\.description) == ["192.0.2.1:53", "192.0.2.2:5353", "[2001:db8:0:0:0:0:0:1]:53", "[2001:db8:0:0:0:0:0:2]:53"])
        #expect(throws: StackError.self) { try DNSUpstream.parseList("192.0.2.1:0") }
        #expect(throws: StackError.self) { try DNSUpstream.parseList("dns.example") }
        #expect(DNSUpstream("192.0.2.1:99999") == nil)
    }

    @Test func theSettingWinsOverResolvConf() throws {
        let host = try write("nameserver 192.0.2.9\n")
        defer { unlink(host) }
        #expect(try DNSUpstream.configured(setting: "127.0.0.1:5300", hostFile: host).map(\.description) == ["127.0.0.1:5300"])
        #expect(try DNSUpstream.configured(setting: nil, hostFile: host).map(\.description) == ["192.0.2.9:53"])
        #expect(try DNSUpstream.configured(setting: " ", hostFile: host).map(\.description) == ["192.0.2.9:53"])
    }
}
