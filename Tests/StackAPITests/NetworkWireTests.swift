import Foundation
import StackAPI
import Testing

/// JSON shapes checked against Docker's key names, and round trips.
@Suite struct NetworkWireTests {
    private func json<T: Encodable>(_ value: T) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    private func roundTrip<T: Codable & Equatable>(_ value: T) throws {
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(T.self, from: data) == value)
    }

    @Test func networkCreateRequestFromDockerCLI() throws {
        let request = try decode(NetworkCreateRequest.self, """
            {"Name":"backend","Driver":"bridge","Internal":true,"Attachable":false,"EnableIPv6":false,
             "IPAM":{"Driver":"default","Config":[{"Subnet":"10.5.0.0/24","IPRange":"10.5.0.128/25","Gateway":"10.5.0.254"}],
                     "Options":{}},
             "Options":{"com.docker.network.bridge.name":"br-x"},"Labels":{"tier":"db"},"CheckDuplicate":true}
            """)
        #expect(request.name == "backend" && request.internal && request.checkDuplicate)
        #expect(request.ipam?.config == [NetworkIPAMConfig(subnet: "10.5.0.0/24", ipRange: "10.5.0.128/25", gateway: "10.5.0.254")])
        #expect(request.options["com.docker.network.bridge.name"] == "br-x" && request.labels == ["tier": "db"])
        try roundTrip(request)
        let bare = try decode(NetworkCreateRequest.self, #"{"Name":"x","IPAM":null,"Labels":null}"#)
        #expect(bare == NetworkCreateRequest(name: "x", driver: ""))
        #expect(bare.ipam == nil)
    }

    @Test func ipamConfigOmitsEmptyValues() throws {
        let object = try json(NetworkIPAMConfig(subnet: "172.18.0.0/16", gateway: "172.18.0.1"))
        #expect(Set(object.keys) == ["Subnet", "Gateway"])
        let ipam = try json(NetworkIPAM(config: [NetworkIPAMConfig(subnet: "172.18.0.0/16")]))
        #expect(Set(ipam.keys) == ["Driver", "Options", "Config"])
        #expect(ipam["Driver"] as? String == "default")
    }

    @Test func networkInspectHasDockersKeys() throws {
        let inspect = NetworkInspect(
            name: "backend", id: String(repeating: "a", count: 64), created: "2026-11-29T10:00:00.000000000Z",
            ipam: NetworkIPAM(config: [NetworkIPAMConfig(subnet: "172.18.0.0/16", gateway: "172.18.0.1")]),
            containers: [
                String(repeating: "c", count: 64): NetworkContainer(
                    name: "web", endpointID: String(repeating: "e", count: 64), macAddress: "02:42:ac:12:00:02",
                    ipv4Address: "172.18.0.2/16")
            ],
            labels: ["k": "v"])
        let object = try json(inspect)
        #expect(Set(object.keys) == [
            "Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Attachable", "Ingress",
            "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels",
        ])
        #expect(object["Scope"] as? String == "local" && object["Driver"] as? String == "bridge")
        #expect((object["ConfigFrom"] as? [String: Any])?["Network"] as? String == "")
        let container = try #require((object["Containers"] as? [String: Any])?[String(repeating: "c", count: 64)] as? [String: Any])
        #expect(Set(container.keys) == ["Name", "EndpointID", "MacAddress", "IPv4Address", "IPv6Address"])
        #expect(container["IPv4Address"] as? String == "172.18.0.2/16")
        try roundTrip(inspect)
        #expect(try decode(NetworkInspect.self, #"{"Name":"n","Id":"x"}"#).ipam == NetworkIPAM())
    }

    @Test func connectDisconnectPruneAndCreateResponse() throws {
        let connect = try decode(NetworkConnectRequest.self, """
            {"Container":"web","EndpointConfig":{"IPAMConfig":{"IPv4Address":"172.20.0.9"},"Aliases":["db","primary"]}}
            """)
        #expect(connect.container == "web")
        #expect(connect.endpointConfig?.ipamConfig?.ipv4Address == "172.20.0.9")
        #expect(connect.endpointConfig?.aliases == ["db", "primary"])
        try roundTrip(connect)
        #expect(try decode(NetworkConnectRequest.self, #"{"Container":"x"}"#).endpointConfig == nil)
        let disconnect = try decode(NetworkDisconnectRequest.self, #"{"Container":"web","Force":true}"#)
        #expect(disconnect == NetworkDisconnectRequest(container: "web", force: true))
        #expect(try decode(NetworkPruneResponse.self, #"{"NetworksDeleted":null}"#).networksDeleted.isEmpty)
        #expect(try json(NetworkPruneResponse(networksDeleted: ["a"]))["NetworksDeleted"] as? [String] == ["a"])
        #expect(try json(NetworkCreateResponse(id: "abc")).keys.sorted() == ["Id", "Warning"])
        try roundTrip(NetworkCreateResponse(id: "abc", warning: "w"))
    }

    @Test func endpointSettingsPrintsNullsLikeDocker() throws {
        let settings = EndpointSettings(
            networkID: "n", endpointID: "e", gateway: "172.18.0.1", ipAddress: "172.18.0.2", ipPrefixLen: 16,
            macAddress: "02:42:ac:12:00:02", dnsNames: ["web", "0123456789ab"])
        let object = try json(settings)
        #expect(object["IPAMConfig"] is NSNull && object["Links"] is NSNull && object["Aliases"] is NSNull)
        #expect(object["IPPrefixLen"] as? Int == 16 && object["DNSNames"] as? [String] == ["web", "0123456789ab"])
        #expect(object["IPv6Gateway"] as? String == "" && object["GlobalIPv6PrefixLen"] as? Int == 0)
        try roundTrip(settings)
        let ipam = try json(EndpointIPAMConfig(ipv4Address: "10.0.0.5"))
        #expect(ipam.keys.sorted() == ["IPv4Address"])
    }

    @Test func createRequestCarriesPortsAndNetworks() throws {
        let request = try decode(ContainerCreateRequest.self, """
            {"Image":"busybox","ExposedPorts":{"80/tcp":{},"53/udp":{}},
             "HostConfig":{"PortBindings":{"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}],"53/udp":null},
                           "PublishAllPorts":true,"NetworkMode":"backend"},
             "NetworkingConfig":{"EndpointsConfig":{"backend":{"IPAMConfig":{"IPv4Address":"10.5.0.9"},"Aliases":["api"]}}}}
            """)
        #expect(request.exposedPorts == ["53/udp", "80/tcp"])
        #expect(request.hostConfig.portBindings == ["80/tcp": [PortBinding(hostIP: "127.0.0.1", hostPort: "8080")], "53/udp": []])
        #expect(request.hostConfig.publishAllPorts)
        #expect(request.networkingConfig?.endpointsConfig["backend"]?.aliases == ["api"])
        #expect(request.networkingConfig?.endpointsConfig["backend"]?.ipamConfig?.ipv4Address == "10.5.0.9")
        try roundTrip(request)

        let object = try json(request)
        let exposed = try #require(object["ExposedPorts"] as? [String: Any])
        #expect(exposed.keys.sorted() == ["53/udp", "80/tcp"])
        #expect((exposed["80/tcp"] as? [String: Any])?.isEmpty == true)
        let host = try #require(object["HostConfig"] as? [String: Any])
        #expect(host["PublishAllPorts"] as? Bool == true)
        let bindings = try #require(host["PortBindings"] as? [String: Any])
        #expect(((bindings["80/tcp"] as? [[String: Any]])?.first)?["HostIp"] as? String == "127.0.0.1")

        // Old requests (stored before these fields existed) still decode.
        let old = try decode(ContainerCreateRequest.self, #"{"Image":"x","HostConfig":{}}"#)
        #expect(old.exposedPorts.isEmpty && old.networkingConfig == nil && old.hostConfig.portBindings.isEmpty)
        #expect(try json(old)["ExposedPorts"] == nil && json(old)["NetworkingConfig"] == nil)
    }

    @Test func inspectNetworkSettings() throws {
        let settings = NetworkSettings(
            sandboxKey: "/run/stack/netns/abc",
            ports: ["80/tcp": [PortBinding(hostIP: "0.0.0.0", hostPort: "32768")], "443/tcp": nil],
            gateway: "172.17.0.1", ipAddress: "172.17.0.2", ipPrefixLen: 16, macAddress: "02:42:ac:11:00:02",
            networks: ["bridge": EndpointSettings(networkID: "n", ipAddress: "172.17.0.2")])
        let object = try json(settings)
        let ports = try #require(object["Ports"] as? [String: Any])
        #expect(ports["443/tcp"] is NSNull)
        #expect(((ports["80/tcp"] as? [[String: Any]])?.first)?["HostPort"] as? String == "32768")
        #expect(object["SandboxKey"] as? String == "/run/stack/netns/abc" && object["IPPrefixLen"] as? Int == 16)
        #expect(((object["Networks"] as? [String: Any])?["bridge"] as? [String: Any])?["IPAddress"] as? String == "172.17.0.2")
        try roundTrip(settings)

        let inspect = ContainerInspect(
            id: "x", created: "", path: "sh", args: [], state: ContainerStateInfo(
                status: "running", running: true, paused: false, restarting: false, oomKilled: false, dead: false,
                pid: 1, exitCode: 0, error: "", startedAt: "", finishedAt: ""),
            image: "sha256:x", name: "/web", restartCount: 0, logPath: "", hostConfig: HostConfig(),
            config: ContainerConfigInfo(
                hostname: "h", domainname: "", user: "", tty: false, openStdin: false, env: [], cmd: [],
                entrypoint: nil, image: "busybox", workingDir: "", labels: [:], stopSignal: nil),
            networkSettings: settings)
        let encoded = try JSONEncoder().encode(inspect)
        let decoded = try JSONDecoder().decode(ContainerInspect.self, from: encoded)
        #expect(decoded.networkSettings == settings)
        #expect(try json(inspect)["NetworkSettings"] != nil)
    }
}
