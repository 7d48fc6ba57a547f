import ContainerConfig
import StackAPI
import StackCore
import Testing

@Suite struct PortSpecParsingTests {
    private func one(_ text: String) throws -> PortSpec {
        let specs = try PortSpecParsing.parse(text)
        try #require(specs.count == 1, "\(specs)")
        return specs[0]
    }

    @Test func everySingleForm() throws {
        #expect(try one("80") == PortSpec(containerPort: 80...80))
        #expect(try one("8080:80") == PortSpec(containerPort: 80...80, hostPort: 8080...8080))
        #expect(try one("127.0.0.1:8080:80") == PortSpec(containerPort: 80...80, hostIP: "127.0.0.1", hostPort: 8080...8080))
        #expect(try one("127.0.0.1::80") == PortSpec(containerPort: 80...80, hostIP: "127.0.0.1"))
        #expect(try one("[::1]:8080:80") == PortSpec(containerPort: 80...80, hostIP: "::1", hostPort: 8080...8080))
        #expect(try one("[::1]::80/udp") == PortSpec(containerPort: 80...80, proto: "udp", hostIP: "::1"))
        #expect(try one("::1:8080:80").hostIP == "::1")
        #expect(try one("53/udp") == PortSpec(containerPort: 53...53, proto: "udp"))
        #expect(try one("5353:53/UDP").proto == "udp")
        #expect(try one("9000/sctp").proto == "sctp")
        #expect(try one("80/").proto == "tcp")
        // Host port 0 means "pick one", as an empty host port does.
        #expect(try one("0:80").hostPort == nil)
    }

    @Test func rangesExpandPerContainerPort() throws {
        let specs = try PortSpecParsing.parse("8000-8002:80-82/udp")
        #expect(specs == [
            PortSpec(containerPort: 80...80, proto: "udp", hostPort: 8000...8000),
            PortSpec(containerPort: 81...81, proto: "udp", hostPort: 8001...8001),
            PortSpec(containerPort: 82...82, proto: "udp", hostPort: 8002...8002),
        ])
        #expect(try PortSpecParsing.parse("80-81").map(\.hostPort) == [nil, nil])
        #expect(try PortSpecParsing.parse("127.0.0.1::80-81").map(\.key) == ["80/tcp", "81/tcp"])
        // A host range for one container port: a free one is picked from it.
        let picked = try one("8000-8010:80")
        #expect(picked.hostPort == 8000...8010)
        #expect(picked.binding == PortBinding(hostIP: "", hostPort: "8000-8010"))
        #expect(try PortSpecParsing.parse("65535:65535").count == 1)
    }

    @Test func portBindingsInDockerShape() throws {
        let specs = try PortSpecParsing.parse("127.0.0.1:8080:80") + PortSpecParsing.parse("[::1]:8080:80")
            + PortSpecParsing.parse("53/udp")
        #expect(PortSpecParsing.portBindings(specs) == [
            "80/tcp": [PortBinding(hostIP: "127.0.0.1", hostPort: "8080"), PortBinding(hostIP: "::1", hostPort: "8080")],
            "53/udp": [PortBinding(hostIP: "", hostPort: "")],
        ])
    }

    @Test func specsFromARequestsPortBindings() throws {
        let specs = try PortSpecParsing.specs(portBindings: [
            "80/tcp": [PortBinding(hostIP: "127.0.0.1", hostPort: "8080"), PortBinding(hostIP: "[::1]", hostPort: "0")],
            "53/udp": [],
            "443": [PortBinding(hostPort: "8000-8010")],
        ])
        #expect(specs == [
            PortSpec(containerPort: 53...53, proto: "udp"),
            PortSpec(containerPort: 80...80, hostIP: "127.0.0.1", hostPort: 8080...8080),
            PortSpec(containerPort: 80...80, hostIP: "::1"),
            PortSpec(containerPort: 443...443, hostPort: 8000...8010),
        ])
        // What -p produces, the engine reads back the same.
        let parsed = try PortSpecParsing.parse("127.0.0.1:8000-8001:80-81/udp")
        #expect(try PortSpecParsing.specs(portBindings: PortSpecParsing.portBindings(parsed)) == parsed)
        let badKey = thrownError { () throws(StackError) in try PortSpecParsing.specs(portBindings: ["http": []]) }
        #expect(badKey?.path == "HostConfig.PortBindings" && badKey?.message == "invalid port http")
        let badPort = thrownError { () throws(StackError) in
            try PortSpecParsing.specs(portBindings: ["80/tcp": [PortBinding(hostPort: "x")]])
        }
        #expect(badPort?.message == "invalid hostPort x for 80/tcp")
        let badIP = thrownError { () throws(StackError) in
            try PortSpecParsing.specs(portBindings: ["80/tcp": [PortBinding(hostIP: "localhost")]])
        }
        #expect(badIP?.message == "invalid IP address localhost for 80/tcp")
        #expect(try PortSpecParsing.portKey("53/UDP") == (53, "udp"))
        #expect(thrownError { () throws(StackError) in try PortSpecParsing.portKey("80/icmp") }?.path == "ExposedPorts")
        #expect(thrownError { () throws(StackError) in try PortSpecParsing.portKey("80-81/tcp") } != nil)
    }

    @Test(arguments: [
        ("abc", "invalid containerPort: abc"),
        ("8080:abc", "invalid containerPort: abc"),
        ("80:0", "invalid containerPort: 0"),
        ("70000", "invalid containerPort: 70000"),
        ("90-80", "invalid containerPort: 90-80"),
        ("+80", "invalid containerPort: +80"),
        ("x:80", "invalid hostPort: x"),
        ("99999:80", "invalid hostPort: 99999"),
        ("0-5:80", "invalid hostPort: 0-5"),
        ("80/tcpx", "invalid proto: tcpx"),
        ("8000-8001:80-82", "invalid ranges specified for container and host Ports: 80-82 and 8000-8001"),
        ("1.2.3:80:80", "invalid IP address: 1.2.3"),
        ("[::1:80:80", "invalid IP address"),
        ("8080:", "no port specified: 8080:<empty>"),
        ("", "no port specified: <empty>"),
        ("/udp", "no port specified"),
    ])
    func rejects(text: String, reason: String) {
        let error = thrownError { () throws(StackError) in try PortSpecParsing.parse(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("invalid argument \"\(text)\" for \"-p, --publish\" flag: ") == true, "\(String(describing: error))")
        #expect(error?.message.contains(reason) == true, "\(String(describing: error))")
    }

    @Test func exposed() throws {
        #expect(try PortSpecParsing.exposed("80") == ["80/tcp"])
        #expect(try PortSpecParsing.exposed("53/UDP") == ["53/udp"])
        #expect(try PortSpecParsing.exposed("8000-8002/udp") == ["8000/udp", "8001/udp", "8002/udp"])
        let colon = thrownError { () throws(StackError) in try PortSpecParsing.exposed("8080:80") }
        #expect(colon?.message == "invalid port format for --expose: 8080:80")
        let range = thrownError { () throws(StackError) in try PortSpecParsing.exposed("90-80") }
        #expect(range?.message == "invalid range format for --expose: 90-80")
        #expect(thrownError { () throws(StackError) in try PortSpecParsing.exposed("80/icmp") }?.message.contains("--expose") == true)
    }
}
