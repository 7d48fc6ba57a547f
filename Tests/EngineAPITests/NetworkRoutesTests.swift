import DNS
import Engine
import Foundation
import IPAM
import StackAPI
import Networking
import StackCore
import Testing

/// The network routes and the engine's network logic against the in-memory network driver:
/// addressing, endpoints, what the kernel would be asked for at start and stop, DNS names, rules.
@Suite struct NetworkRoutesTests {
    /// `POST /networks/create`; the new id.
    func createNetwork(_ harness: EngineAPIHarness, _ body: [String: Any]) async throws -> String {
        let reply = try await harness.send("POST", "/networks/create", body: body)
        guard reply.status == 201, let id = try reply.object()["Id"] as? String else {
            throw StackError(.internalError, "network create answered \(reply.status): \(reply.text)")
        }
        return id
    }

    /// The A records `name` resolves to for a query from `source`, or the rcode when none.
    func resolve(_ harness: EngineAPIHarness, _ name: String, from source: String) throws -> [String] {
        let table = harness.network.state.withLock { $0.table }
        let query = DNSMessage.query(id: 7, name: try #require(DNSName(name)), type: .a)
        guard let reply = table.answer(query, from: try #require(IPAddress(source))) else { return ["forwarded"] }
        if reply.answers.isEmpty { return ["rcode \(reply.header.rcode.rawValue)"] }
        return reply.answers.compactMap { record -> String? in
            if case .a(let address) = record.data { return "\(address)" }
            return nil
        }.sorted()
    }

    func endpoint(_ inspect: [String: Any], _ network: String) -> [String: Any] {
        ((inspect["NetworkSettings"] as? [String: Any])?["Networks"] as? [String: Any])?[network] as? [String: Any] ?? [:]
    }

    @Test func predefinedNetworksAndCreateFromThePool() async throws {
        let harness = try EngineAPIHarness()
        let list = try await harness.send("GET", "/networks").array()
        #expect(Set(list.compactMap { $0["Name"] as? String }) == ["bridge", "host", "none"])
        let id = try await createNetwork(harness, ["Name": "front", "Labels": ["tier": "web"]])
        let inspect = try await harness.send("GET", "/networks/front").object()
        #expect(inspect["Id"] as? String == id)
        #expect(inspect["Driver"] as? String == "bridge")
        let config = ((inspect["IPAM"] as? [String: Any])?["Config"] as? [[String: Any]])?.first ?? [:]
        // The default bridge took 10.77.0.0/24 (the pool's first); this network the next one.
        #expect(config["Subnet"] as? String == "10.77.1.0/24")
        #expect(config["Gateway"] as? String == "10.77.1.1")
        let bridge = "tst-" + String(id.prefix(11))
        #expect(harness.network.state.withLock { $0.bridges[bridge] } == CIDR("10.77.1.1/24"))
        #expect(harness.network.state.withLock { $0.listeners.contains(try! #require(IPAddress("10.77.1.1"))) })
        #expect(harness.network.state.withLock { $0.ruleset?.networks.map(\.bridge) ?? [] } == [bridge])
        let again = try await harness.send("POST", "/networks/create", body: ["Name": "front"])
        #expect(again.status == 409)
        let bad = try await harness.send("POST", "/networks/create", body: ["Name": "-bad"])
        #expect(bad.status == 400)
        let overlapping = try await harness.send(
            "POST", "/networks/create", body: ["Name": "other", "IPAM": ["Config": [["Subnet": "10.77.1.128/25"]]]])
        #expect(overlapping.status == 409)
        #expect(overlapping.text.contains("overlaps with network front"))
    }

    @Test func staticAddressesOnlyWithAUserSubnetAndNeverTwice() async throws {
        let harness = try EngineAPIHarness()
        _ = try await createNetwork(harness, ["Name": "fixed", "IPAM": ["Config": [["Subnet": "10.88.0.0/24"]]]])
        _ = try await createNetwork(harness, ["Name": "pooled"])
        func body(_ network: String, _ ip: String) -> [String: Any] {
            ["Image": "tiny", "Cmd": ["/bin/hello"], "HostConfig": ["NetworkMode": network],
             "NetworkingConfig": ["EndpointsConfig": [network: ["IPAMConfig": ["IPv4Address": ip]]]]]
        }
        let a = try await harness.create(name: "ca", body("fixed", "10.88.0.50"))
        #expect(endpoint(try await harness.inspect(a), "fixed")["IPAddress"] as? String == "10.88.0.50")
        let taken = try await harness.send("POST", "/containers/create", query: [("name", "cb")], body: body("fixed", "10.88.0.50"))
        #expect(taken.status == 409)
        let outside = try await harness.send("POST", "/containers/create", body: body("fixed", "10.89.0.5"))
        #expect(outside.status == 400)
        let gateway = try await harness.send("POST", "/containers/create", body: body("fixed", "10.88.0.1"))
        #expect(gateway.status == 409)
        #expect(gateway.text.contains("10.88.0.1"))
        let pooled = try await harness.send("POST", "/containers/create", body: body("pooled", "10.77.1.9"))
        #expect(pooled.status == 400)
        #expect(pooled.text.contains("user configured subnets"))
        // Dynamic addresses skip the static one and are unique.
        let c = try await harness.create(name: "cc", ["HostConfig": ["NetworkMode": "fixed"]])
        let d = try await harness.create(name: "cd", ["HostConfig": ["NetworkMode": "fixed"]])
        let addresses = [endpoint(try await harness.inspect(c), "fixed")["IPAddress"], endpoint(try await harness.inspect(d), "fixed")["IPAddress"]]
            .compactMap { $0 as? String }
        #expect(addresses == ["10.88.0.2", "10.88.0.3"])
        // Removing a container frees its address.
        #expect(try await harness.send("DELETE", "/containers/cc").status == 204)
        let e = try await harness.create(name: "ce", ["HostConfig": ["NetworkMode": "fixed"]])
        #expect(endpoint(try await harness.inspect(e), "fixed")["IPAddress"] as? String == "10.88.0.2")
    }

    @Test func startAttachesRegistersNamesAndStopUndoesIt() async throws {
        let harness = try EngineAPIHarness()
        let netID = try await createNetwork(harness, ["Name": "app", "IPAM": ["Config": [["Subnet": "10.90.0.0/24"]]]])
        _ = try await createNetwork(harness, ["Name": "elsewhere", "IPAM": ["Config": [["Subnet": "10.91.0.0/24"]]]])
        let web = try await harness.run(
            name: "web",
            ["HostConfig": ["NetworkMode": "app"], "Labels": ["com.docker.compose.service": "frontend"],
             "NetworkingConfig": ["EndpointsConfig": ["app": ["Aliases": ["www"]]]]])
        let db = try await harness.run(name: "db", ["HostConfig": ["NetworkMode": "app"]])
        let other = try await harness.run(name: "other", ["HostConfig": ["NetworkMode": "elsewhere"]])
        let namespace = harness.paths.netns(web)
        let veths = harness.network.state.withLock { $0.veths }
        let webVeth = try #require(veths.values.first { $0.namespacePath == namespace })
        #expect(webVeth.interface == "eth0")
        #expect(webVeth.address == CIDR("10.90.0.2/24"))
        #expect(webVeth.defaultGateway == IPAddress("10.90.0.1"))
        #expect(webVeth.bridge == "tst-" + String(netID.prefix(11)))
        // Names, aliases, service names, short ids: visible on the same network only.
        #expect(try resolve(harness, "db", from: "10.90.0.2") == ["10.90.0.3"])
        #expect(try resolve(harness, "www", from: "10.90.0.3") == ["10.90.0.2"])
        #expect(try resolve(harness, "frontend", from: "10.90.0.3") == ["10.90.0.2"])
        #expect(try resolve(harness, String(db.prefix(12)), from: "10.90.0.2") == ["10.90.0.3"])
        #expect(try resolve(harness, "db", from: "10.91.0.2") == ["rcode 3"])
        #expect(try resolve(harness, "other", from: "10.91.0.2") == ["10.91.0.2"])
        // The container's resolv.conf points at the gateway; its hosts file maps its hostname.
        let resolv = try String(contentsOfFile: harness.paths.container(web) + "/resolv.conf", encoding: .utf8)
        #expect(resolv.hasPrefix("nameserver 10.90.0.1\n"))
        let hosts = try String(contentsOfFile: harness.paths.container(web) + "/hosts", encoding: .utf8)
        #expect(hosts.contains("10.90.0.2\t\(web.prefix(12))"))
        // Removing a network in use is refused.
        let refused = try await harness.send("DELETE", "/networks/app")
        #expect(refused.status == 409)
        #expect(refused.text.contains("active endpoints"))
        // Stop: the veth, the namespace and the names go.
        harness.runtime.end(db, code: 0)
        #expect(await harness.eventually { harness.network.state.withLock { !$0.namespaces.contains(harness.paths.netns(db)) } })
        #expect(try resolve(harness, "db", from: "10.90.0.2") == ["rcode 3"])
        #expect(harness.network.state.withLock { $0.veths.values.filter { $0.bridge == webVeth.bridge }.count } == 1)
        _ = other
    }

    @Test func extraHostsAndLinksGoToTheHostsFile() async throws {
        let harness = try EngineAPIHarness()
        _ = try await createNetwork(harness, ["Name": "app", "IPAM": ["Config": [["Subnet": "10.92.0.0/24"]]]])
        _ = try await harness.run(name: "db", ["HostConfig": ["NetworkMode": "app"]])
        let web = try await harness.create(
            name: "web",
            ["HostConfig": ["NetworkMode": "app", "Links": ["db:database"], "ExtraHosts": ["gw:host-gateway", "x:1.2.3.4"]]])
        let hosts = try String(contentsOfFile: harness.paths.container(web) + "/hosts", encoding: .utf8)
        #expect(hosts.hasSuffix("10.92.0.1\tgw\n1.2.3.4\tx\n10.92.0.2\tdatabase db\n"), "\(hosts)")
        // A link to a container on no shared network, or to none, is refused.
        let lonely = try await harness.send(
            "POST", "/containers/create", query: [("name", "lonely")], body: ["Image": "tiny", "Cmd": ["/bin/hello"], "HostConfig": ["Links": ["db"]]])
        #expect(lonely.status >= 400 && lonely.text.contains("no network of this container"), "\(lonely.text)")
        let bad = try await harness.send(
            "POST", "/containers/create", body: ["Image": "tiny", "Cmd": ["/bin/hello"], "HostConfig": ["ExtraHosts": ["nocolon"]]])
        #expect(bad.status == 400)
        #expect(bad.text.contains("expected HOST:IP"))
    }

    @Test func publishedPortsRulesInspectAndConflicts() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(
            name: "pub",
            ["HostConfig": ["PortBindings": ["80/tcp": [["HostPort": "8080"]], "53/udp": [["HostIp": "127.0.0.1", "HostPort": ""]]]]])
        let proxies = harness.network.state.withLock { $0.proxies[harness.paths.proxyPIDFile(id)] ?? [] }
        #expect(proxies.count == 2)
        let ports = (try await harness.inspect(id)["NetworkSettings"] as? [String: Any])?["Ports"] as? [String: Any] ?? [:]
        #expect((ports["80/tcp"] as? [[String: Any]])?.first?["HostPort"] as? String == "8080")
        #expect((ports["53/udp"] as? [[String: Any]])?.first?["HostPort"] as? String == "32768")
        let rules = harness.network.state.withLock { $0.ruleset?.ports ?? [] }
        #expect(rules.contains { $0.hostPort == 8080 && $0.containerPort == 80 && $0.proto == "tcp" && "\($0.containerIP)" == "10.77.0.2" })
        // A port in use: the start fails with the reason, nothing of the container's network stays.
        harness.network.state.withLock { _ = $0.busy.insert("tcp:9090") }
        let busy = try await harness.create(name: "busy", ["HostConfig": ["PortBindings": ["80/tcp": [["HostPort": "9090"]]]]])
        let start = try await harness.send("POST", "/containers/\(busy)/start")
        #expect(start.status >= 400)
        #expect(start.text.contains("port is already allocated"))
        #expect(harness.network.state.withLock { !$0.namespaces.contains(harness.paths.netns(busy)) })
        #expect(harness.network.state.withLock { $0.veths.count } == 1)
        // Stop: the proxy and the DNAT rules go.
        harness.runtime.end(id, code: 0)
        #expect(await harness.eventually { harness.network.state.withLock { $0.proxies.isEmpty && ($0.ruleset?.ports ?? []).isEmpty } })
    }

    @Test func connectDisconnectAndPrune() async throws {
        let harness = try EngineAPIHarness()
        _ = try await createNetwork(harness, ["Name": "one", "IPAM": ["Config": [["Subnet": "10.92.0.0/24"]]]])
        _ = try await createNetwork(harness, ["Name": "two", "IPAM": ["Config": [["Subnet": "10.93.0.0/24"]]]])
        _ = try await createNetwork(harness, ["Name": "unused"])
        let id = try await harness.run(name: "multi", ["HostConfig": ["NetworkMode": "one"]])
        let connect = try await harness.send(
            "POST", "/networks/two/connect",
            body: ["Container": "multi", "EndpointConfig": ["IPAMConfig": ["IPv4Address": "10.93.0.77"], "Aliases": ["m"]]])
        #expect(connect.status < 300)
        let veth = harness.network.state.withLock { $0.veths.values.first { $0.interface == "eth1" } }
        #expect(veth?.address == CIDR("10.93.0.77/24"))
        #expect(veth?.defaultGateway == nil)
        #expect(try resolve(harness, "m", from: "10.92.0.2") == ["10.93.0.77"])
        let twice = try await harness.send("POST", "/networks/two/connect", body: ["Container": "multi"])
        #expect(twice.status == 409)
        let disconnect = try await harness.send("POST", "/networks/two/disconnect", body: ["Container": "multi"])
        #expect(disconnect.status < 300)
        #expect(harness.network.state.withLock { $0.veths.values.allSatisfy { $0.interface == "eth0" } })
        #expect(try resolve(harness, "m", from: "10.92.0.2") == ["rcode 3"])
        let pruned = try await harness.send("POST", "/networks/prune").object()
        #expect(pruned["NetworksDeleted"] as? [String] == ["two", "unused"])
        #expect(try await harness.send("GET", "/networks/one").status == 200)
        _ = id
        let hostBridge = try await harness.send("DELETE", "/networks/bridge")
        #expect(hostBridge.status == 409)
    }

    @Test func reconcileRemovesStraysAndRestoresBridges() async throws {
        let harness = try EngineAPIHarness()
        let id = try await createNetwork(harness, ["Name": "kept"])
        let bridge = "tst-" + String(id.prefix(11))
        try harness.network.removeBridge(bridge)
        try harness.network.ensureBridge("tst-deadbeef00", gateway: try #require(CIDR("10.66.0.1/24")))
        try harness.network.ensureBridge("tstfoo", gateway: try #require(CIDR("10.67.0.1/24")))
        let report = await harness.engine.reconcileNetworking()
        #expect(report.contains("removed stray link tst-deadbeef00"))
        let bridges = harness.network.state.withLock { $0.bridges }
        #expect(bridges[bridge] != nil)
        #expect(bridges["tst-deadbeef00"] == nil)
        #expect(bridges["tstfoo"] != nil, "a link that only shares the prefix is not ours")
    }

    @Test func addressesAreNotHandedOutTwiceAcrossARestartedEngine() async throws {
        let harness = try EngineAPIHarness()
        _ = try await createNetwork(harness, ["Name": "kept", "IPAM": ["Config": [["Subnet": "10.95.0.0/24"]]]])
        let first = try await harness.create(name: "first", ["HostConfig": ["NetworkMode": "kept"]])
        #expect(endpoint(try await harness.inspect(first), "kept")["IPAddress"] as? String == "10.95.0.2")
        // A second engine on the same store (stackd restarted) continues from what is stored.
        let again = try ContainerEngine(
            paths: harness.paths, store: harness.store, images: harness.images, runtime: harness.runtime,
            monitors: harness.monitor, rootfs: harness.rootfs, exits: harness.exits,
            networkConfig: NetworkConfig(prefix: "tst", pools: try AddressPool.parseList("10.77.0.0/16/24")),
            network: harness.network)
        var request = ContainerCreateRequest(image: "tiny")
        request.hostConfig.networkMode = "kept"
        let second = try await again.create(request, name: "second")
        let inspect = try await again.inspect(second.id)
        #expect(inspect.networkSettings?.networks["kept"]?.ipAddress == "10.95.0.3")
    }

    @Test func publishAllGivesEveryExposedPortARandomHostPort() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(
            name: "all", ["ExposedPorts": ["80/tcp": [:], "53/udp": [:]], "HostConfig": ["PublishAllPorts": true]])
        let proxies = harness.network.state.withLock { $0.proxies[harness.paths.proxyPIDFile(id)] ?? [] }
        #expect(Set(proxies.map { "\($0.containerPort)/\($0.proto)" }) == ["80/tcp", "53/udp"])
        #expect(proxies.allSatisfy { $0.hostPort >= 32768 })
        let ports = (try await harness.inspect(id)["NetworkSettings"] as? [String: Any])?["Ports"] as? [String: Any] ?? [:]
        #expect(Set(ports.keys) == ["80/tcp", "53/udp"])
    }
}
