import Foundation
import Networking
import StackCore
import Testing

/// The dataplane end to end inside test namespaces: a "host" namespace with two bridges, a web
/// server in a container namespace on one, a client on the other; our nftables table applied in
/// the host namespace. Nothing leaves the machine.
@Suite(.serialized, .enabled(if: NamespaceFixture.isRoot, "needs root for network namespaces"))
struct PublishedPortTests {
    func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }
    func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    func fetch(_ namespace: String, _ url: String) throws -> (status: Int32, output: String) {
        try NamespaceFixture.inside(namespace,
            ["/usr/bin/timeout", "-s", "KILL", "5", "/usr/bin/curl", "-s", "-m", "2", url])
    }

    @Test func publishedPortIsReachableThroughDNATAndNetworksAreIsolated() throws {
        let fixture = try NamespaceFixture("dp-publish")
        let host = try fixture.namespace("host")
        let web = try fixture.namespace("web")
        let client = try fixture.namespace("client")
        let driver = BridgeDriver(session: try NetworkNamespace.session(at: host))
        try driver.ensureBridge(name: "dpt-br14", gateway: try cidr("10.213.14.1/24"), mtu: nil)
        try driver.ensureBridge(name: "dpt-br15", gateway: try cidr("10.213.15.1/24"), mtu: nil)
        try driver.attach(bridge: "dpt-br14", hostName: "dptv14a", namespacePath: web, interface: "eth0",
            address: try cidr("10.213.14.2/24"), macAddress: nil, gateway: try ip("10.213.14.1"))
        try driver.attach(bridge: "dpt-br15", hostName: "dptv15a", namespacePath: client, interface: "eth0",
            address: try cidr("10.213.15.2/24"), macAddress: nil, gateway: try ip("10.213.15.1"))
        try NetworkNamespace.perform(in: host) { () throws(StackError) in try IPForwarding.enable() }

        let site = fixture.directory + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "hello from web\n".write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/nsenter")
        server.arguments = ["--net=\(web)", "/bin/busybox", "httpd", "-f", "-p", "80", "-h", site]
        try server.run()
        defer {
            kill(server.processIdentifier, SIGKILL)  // busybox httpd -f ignores SIGTERM here
            server.waitUntilExit()
        }

        // Before any rule: routed between the bridges, nothing published.
        var direct = try fetch(client, "http://10.213.14.2/")
        for _ in 0..<20 where direct.status != 0 {  // the server may still be starting
            usleep(100_000)
            direct = try fetch(client, "http://10.213.14.2/")
        }
        #expect(direct.output == "hello from web\n")
        #expect(try fetch(client, "http://10.213.15.1:8080/").status != 0)

        let nft = NFTables(namespacePath: host)
        let ruleset = NFTRuleset(table: "dpt",
            networks: [
                NFTNetwork(bridge: "dpt-br14", subnet: try cidr("10.213.14.0/24"), internal: false),
                NFTNetwork(bridge: "dpt-br15", subnet: try cidr("10.213.15.0/24"), internal: false),
            ],
            ports: [NFTPortMapping(proto: "tcp", hostIP: nil, hostPort: 8080, containerIP: try ip("10.213.14.2"),
                containerPort: 80, bridge: "dpt-br14")])
        try nft.apply(ruleset)

        // From the host itself (nat output) to one of its addresses.
        #expect(try fetch(host, "http://10.213.14.1:8080/").output == "hello from web\n")
        // From another network to the host's address on that network (nat prerouting, then the
        // forward chain lets DNATed traffic cross).
        #expect(try fetch(client, "http://10.213.15.1:8080/").output == "hello from web\n")
        // But not straight across the bridges: isolation.
        #expect(try fetch(client, "http://10.213.14.2/").status != 0)

        // Empty ruleset: the table is gone and so are its effects.
        try nft.apply(NFTRuleset(table: "dpt", networks: [], ports: []))
        #expect(nft.currentTable("dpt") == nil)
        #expect(try fetch(client, "http://10.213.15.1:8080/").status != 0)
        #expect(try fetch(client, "http://10.213.14.2/").output == "hello from web\n")

        try driver.detach(hostName: "dptv14a")
        try driver.detach(hostName: "dptv15a")
        try driver.removeBridge(name: "dpt-br14")
        try driver.removeBridge(name: "dpt-br15")
        #expect(try driver.links(prefix: "dpt").isEmpty)
    }

    @Test func internalNetworkKeepsItsTrafficOnItsBridge() throws {
        let fixture = try NamespaceFixture("dp-internal")
        let host = try fixture.namespace("host")
        let inner = try fixture.namespace("inner")
        let outer = try fixture.namespace("outer")
        let driver = BridgeDriver(session: try NetworkNamespace.session(at: host))
        try driver.ensureBridge(name: "dpt-br16", gateway: try cidr("10.213.16.1/24"), mtu: nil)
        try driver.ensureBridge(name: "dpt-br17", gateway: try cidr("10.213.17.1/24"), mtu: nil)
        // The inner container gets a default route on purpose: only the rules may stop it.
        try driver.attach(bridge: "dpt-br16", hostName: "dptv16a", namespacePath: inner, interface: "eth0",
            address: try cidr("10.213.16.2/24"), macAddress: nil, gateway: try ip("10.213.16.1"))
        try driver.attach(bridge: "dpt-br17", hostName: "dptv17a", namespacePath: outer, interface: "eth0",
            address: try cidr("10.213.17.2/24"), macAddress: nil, gateway: try ip("10.213.17.1"))
        try NetworkNamespace.perform(in: host) { () throws(StackError) in try IPForwarding.enable() }
        let ping = ["/usr/bin/timeout", "-s", "KILL", "4", "/bin/busybox", "ping", "-c", "1", "-w", "2"]
        #expect(try NamespaceFixture.inside(outer, ping + ["10.213.16.2"]).status == 0)

        let nft = NFTables(namespacePath: host)
        try nft.apply(NFTRuleset(table: "dpt", networks: [
            NFTNetwork(bridge: "dpt-br16", subnet: try cidr("10.213.16.0/24"), internal: true),
            NFTNetwork(bridge: "dpt-br17", subnet: try cidr("10.213.17.0/24"), internal: false),
        ], ports: []))
        #expect(try NamespaceFixture.inside(outer, ping + ["10.213.16.2"]).status != 0)
        #expect(try NamespaceFixture.inside(inner, ping + ["10.213.17.2"]).status != 0)
        // The host itself (its gateway address, where the DNS server listens) stays reachable.
        #expect(try NamespaceFixture.inside(inner, ping + ["10.213.16.1"]).status == 0)

        try nft.apply(NFTRuleset(table: "dpt", networks: [], ports: []))
        try driver.detach(hostName: "dptv16a")
        try driver.detach(hostName: "dptv17a")
        try driver.removeBridge(name: "dpt-br16")
        try driver.removeBridge(name: "dpt-br17")
        #expect(try driver.links(prefix: "dpt").isEmpty)
    }
}
