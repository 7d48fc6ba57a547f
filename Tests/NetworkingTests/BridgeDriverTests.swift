import Foundation
import Netlink
import Networking
import StackCore
import Testing

/// Everything happens in namespaces the tests create: a "host" namespace standing in for
/// stackd's (the bridge lives there) and container namespaces.
@Suite(.serialized, .enabled(if: NamespaceFixture.isRoot, "needs root for network namespaces"))
struct BridgeDriverTests {
    func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }
    func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    @Test func bridgeAndVethWithAddressRouteAndMACInAContainerNamespace() throws {
        let fixture = try NamespaceFixture("dp-bridge")
        let host = try fixture.namespace("host")
        let container = try fixture.namespace("c1")
        let hostSession = try NetworkNamespace.session(at: host)
        let driver = BridgeDriver(session: hostSession)

        try driver.ensureBridge(name: "dpt-br11", gateway: try cidr("10.213.11.1/24"), mtu: nil)
        try driver.ensureBridge(name: "dpt-br11", gateway: try cidr("10.213.11.1/24"), mtu: nil)  // idempotent
        let bridge = try hostSession.link(name: "dpt-br11")
        #expect(bridge.kind == "bridge")
        #expect(bridge.isUp)
        #expect(try hostSession.addresses(link: "dpt-br11").map(\.cidr).filter(\.address.isIPv4) == [cidr("10.213.11.1/24")])

        try driver.attach(bridge: "dpt-br11", hostName: "dptv11a", namespacePath: container, interface: "eth0",
            address: try cidr("10.213.11.2/24"), macAddress: "02:42:0a:d5:0b:02", gateway: try ip("10.213.11.1"))

        // Host end: a veth enslaved to the bridge, up; the peer never appears in the host namespace.
        let hostEnd = try hostSession.link(name: "dptv11a")
        #expect(hostEnd.kind == "veth")
        #expect(hostEnd.isUp)
        #expect(hostEnd.masterIndex == bridge.index)
        #expect(try !hostSession.links().contains { $0.name == "eth0" })
        #expect(Set(try driver.links(prefix: "dpt").map(\.name)) == ["dpt-br11", "dptv11a"])

        // Inside, over netlink.
        let inside = try NetworkNamespace.session(at: container)
        let eth0 = try inside.link(name: "eth0")
        #expect(eth0.isUp)
        #expect(eth0.kind == "veth")
        #expect(eth0.hardwareAddress == [0x02, 0x42, 0x0a, 0xd5, 0x0b, 0x02])
        #expect(try inside.addresses(link: "eth0").map(\.cidr).contains(cidr("10.213.11.2/24")))
        let defaults = try inside.routes().filter { $0.isDefault && $0.family == NetlinkConstant.familyIPv4 }
        #expect(defaults.count == 1)
        #expect(defaults.first?.gateway == (try ip("10.213.11.1")))
        #expect(defaults.first?.outputIndex == eth0.index)

        // Inside, as iproute2 sees it.
        let addr = try NamespaceFixture.inside(container, ["/usr/sbin/ip", "-j", "addr", "show", "eth0"])
        let interfaces = try JSONSerialization.jsonObject(with: Data(addr.output.utf8)) as? [[String: Any]]
        let interface = try #require(interfaces?.first)
        #expect(interface["address"] as? String == "02:42:0a:d5:0b:02")
        let infos = try #require(interface["addr_info"] as? [[String: Any]])
        #expect(infos.contains { $0["local"] as? String == "10.213.11.2" && $0["prefixlen"] as? Int == 24 })
        let route = try NamespaceFixture.inside(container, ["/usr/sbin/ip", "route", "show", "default"])
        #expect(route.output.hasPrefix("default via 10.213.11.1 dev eth0"))

        // A bad MAC, and a name taken inside: errors, and no host end left behind.
        #expect(throws: StackError.self) {
            try driver.attach(bridge: "dpt-br11", hostName: "dptv11b", namespacePath: container, interface: "eth1",
                address: try cidr("10.213.11.3/24"), macAddress: "02:42:zz:00:00:01", gateway: nil)
        }
        #expect(throws: StackError.self) {
            try driver.attach(bridge: "dpt-br11", hostName: "dptv11c", namespacePath: container, interface: "eth0",
                address: try cidr("10.213.11.4/24"), macAddress: nil, gateway: nil)
        }
        #expect(Set(try driver.links(prefix: "dpt").map(\.name)) == ["dpt-br11", "dptv11a"])

        // A link of the name that is no bridge.
        try hostSession.linkAddVeth(name: "dpt-notbr", peer: "dpt-notbr-p")
        let gateway = try cidr("10.213.11.1/24")
        do {
            try driver.ensureBridge(name: "dpt-notbr", gateway: gateway, mtu: nil)
            Issue.record("ensureBridge accepted a veth")
        } catch {
            #expect(error.code == .conflict)
        }
        try hostSession.linkDelete("dpt-notbr")

        try driver.detach(hostName: "dptv11a")
        try driver.detach(hostName: "dptv11a")  // quiet when gone
        #expect(try inside.links().map(\.name) == ["lo"])
        try driver.removeBridge(name: "dpt-br11")
        try driver.removeBridge(name: "dpt-br11")  // quiet when gone
        #expect(try hostSession.links().map(\.name) == ["lo"])
    }

    @Test func bridgeMTUReachesBothVethEnds() throws {
        let fixture = try NamespaceFixture("dp-mtu")
        let host = try fixture.namespace("host")
        let container = try fixture.namespace("c1")
        let hostSession = try NetworkNamespace.session(at: host)
        let driver = BridgeDriver(session: hostSession)
        try driver.ensureBridge(name: "dpt-br13", gateway: try cidr("10.213.13.1/24"), mtu: 1400)
        #expect(try hostSession.link(name: "dpt-br13").mtu == 1400)
        try driver.attach(bridge: "dpt-br13", hostName: "dptv13a", namespacePath: container, interface: "eth0",
            address: try cidr("10.213.13.2/24"), macAddress: nil, gateway: nil)
        #expect(try hostSession.link(name: "dptv13a").mtu == 1400)
        let inside = try NetworkNamespace.session(at: container)
        #expect(try inside.link(name: "eth0").mtu == 1400)
        // No gateway: no default route (an internal network).
        #expect(try !inside.routes().contains { $0.isDefault && $0.family == NetlinkConstant.familyIPv4 })
        // A second address on the bridge is added, the first kept.
        try driver.ensureBridge(name: "dpt-br13", gateway: try cidr("10.213.113.1/24"), mtu: 1400)
        #expect(Set(try hostSession.addresses(link: "dpt-br13").map(\.cidr).filter(\.address.isIPv4))
            == [try cidr("10.213.13.1/24"), try cidr("10.213.113.1/24")])
        try driver.removeBridge(name: "dpt-br13")
        #expect(try hostSession.links().map(\.name) == ["lo", "dptv13a"])  // a removed bridge frees its ports
        try driver.detach(hostName: "dptv13a")
        #expect(try hostSession.links().map(\.name) == ["lo"])
    }

    @Test func twoContainersPingEachOtherOverTheBridge() throws {
        let fixture = try NamespaceFixture("dp-ping")
        let host = try fixture.namespace("host")
        let one = try fixture.namespace("c1")
        let two = try fixture.namespace("c2")
        let driver = BridgeDriver(session: try NetworkNamespace.session(at: host))
        try driver.ensureBridge(name: "dpt-br12", gateway: try cidr("10.213.12.1/24"), mtu: nil)
        try driver.attach(bridge: "dpt-br12", hostName: "dptv12a", namespacePath: one, interface: "eth0",
            address: try cidr("10.213.12.2/24"), macAddress: nil, gateway: try ip("10.213.12.1"))
        try driver.attach(bridge: "dpt-br12", hostName: "dptv12b", namespacePath: two, interface: "eth0",
            address: try cidr("10.213.12.3/24"), macAddress: nil, gateway: try ip("10.213.12.1"))

        // Under timeout(1): busybox ping can hang past its deadline once a neighbour is gone.
        let ping = ["/usr/bin/timeout", "-s", "KILL", "5", "/bin/busybox", "ping", "-c", "1", "-w", "3"]
        #expect(try NamespaceFixture.inside(one, ping + ["10.213.12.3"]).status == 0)
        #expect(try NamespaceFixture.inside(two, ping + ["10.213.12.2"]).status == 0)
        #expect(try NamespaceFixture.inside(one, ping + ["10.213.12.1"]).status == 0)

        try driver.detach(hostName: "dptv12b")
        #expect(try NamespaceFixture.inside(one, ["/usr/bin/timeout", "-s", "KILL", "3", "/bin/busybox", "ping", "-c", "1", "-w", "1", "10.213.12.3"]).status != 0)
        try driver.detach(hostName: "dptv12a")
        try driver.removeBridge(name: "dpt-br12")
        #expect(try driver.links(prefix: "dpt").isEmpty)
    }
}
