import Testing
import StackCore
@testable import StackFile

@Suite struct CanonicalPortsTests {
    static let cases: [(input: String, expected: String)] = [
        (#"["80:8080"]"#, #"[{mode: ingress, target: 8080, published: "80", protocol: tcp}]"#),
        ("[8600]", "[{mode: ingress, target: 8600, protocol: tcp}]"),
        (#"["8600"]"#, "[{mode: ingress, target: 8600, protocol: tcp}]"),
        (#"["90:8090/udp"]"#, #"[{mode: ingress, target: 8090, published: "90", protocol: udp}]"#),
        (#"["53/UDP"]"#, "[{mode: ingress, target: 53, protocol: udp}]"),
        (#"["127.0.0.1:8001:8001"]"#,
         #"[{mode: ingress, host_ip: 127.0.0.1, target: 8001, published: "8001", protocol: tcp}]"#),
        (#"["127.0.0.1::80"]"#, "[{mode: ingress, host_ip: 127.0.0.1, target: 80, protocol: tcp}]"),
        (#"["[::1]:6001:6001"]"#, #"[{mode: ingress, host_ip: "::1", target: 6001, published: "6001", protocol: tcp}]"#),
        (#"["9090-9091:8080-8081"]"#,
         #"[{mode: ingress, target: 8080, published: "9090", protocol: tcp}, {mode: ingress, target: 8081, published: "9091", protocol: tcp}]"#),
        (#"["3001-3002"]"#, "[{mode: ingress, target: 3001, protocol: tcp}, {mode: ingress, target: 3002, protocol: tcp}]"),
        (#"["8000-8010:80"]"#, #"[{mode: ingress, target: 80, published: "8000-8010", protocol: tcp}]"#),
        // Compose orders expanded ports by the text of the port number.
        (#"["9-10:9-10"]"#,
         #"[{mode: ingress, target: 10, published: "10", protocol: tcp}, {mode: ingress, target: 9, published: "9", protocol: tcp}]"#),
        (#"[{target: "80", published: 8080}]"#, #"[{target: 80, published: "8080", protocol: tcp, mode: ingress}]"#),
        (#"[{target: 22, published: "10022-10030", mode: host, protocol: udp, x-note: true, name: ssh}]"#,
         #"[{target: 22, published: "10022-10030", mode: host, protocol: udp, x-note: true, name: ssh}]"#),
    ]

    @Test(arguments: cases)
    func shortAndLongSyntaxExpand(input: String, expected: String) throws {
        #expect(try CanonFixture.field("ports", input) == CanonFixture.plain(expected))
    }

    static let invalid: [(entry: String, message: String)] = [
        (#""80:8080-8081""#, "invalid ranges specified"),
        (#""abc""#, "invalid containerPort: abc"),
        (#""1.2.3:80:80""#, "invalid IP address: 1.2.3"),
        (#""[::1:80:80""#, "invalid IP address"),
        (#""80/xyz""#, "invalid proto: xyz"),
        (#""70000""#, "invalid containerPort"),
        (#""90-80""#, "invalid containerPort"),
        (#""80:""#, "no port specified"),
        ("true", "invalid type boolean for port"),
        ("1.5", "invalid type number for port"),
    ]

    @Test(arguments: invalid)
    func invalidEntriesNameTheirPosition(entry: String, message: String) throws {
        let yaml = "services:\n  web:\n    ports:\n      - 80\n      - \(entry)\n"
        let error = try #require(try CanonFixture.error(yaml))
        #expect(error.message.contains(message), "\(error.message)")
        #expect(error.path == "services.web.ports[1]")
        #expect(error.mark?.line == 5)
        #expect(error.mark?.column == 9)
        #expect(error.code == .invalidStackFile)
    }

    @Test func invalidLongTargetIsAnError() throws {
        let error = try #require(try CanonFixture.error("services:\n  web:\n    ports:\n      - target: http\n"))
        #expect(error.path == "services.web.ports[0].target")
        #expect(error.mark?.line == 4)
        #expect(error.mark?.column == 17)
    }

    @Test func ipv6LiteralsAreChecked() {
        #expect(IPLiteral.isValid("::1"))
        #expect(IPLiteral.isValid("2001:db8::8a2e:370:7334"))
        #expect(IPLiteral.isValid("::ffff:192.168.1.1"))
        #expect(IPLiteral.isValid("1:2:3:4:5:6:7:8"))
        #expect(!IPLiteral.isValid("1:2:3:4:5:6:7:8:9"))
        #expect(!IPLiteral.isValid("1::2::3"))
        #expect(!IPLiteral.isValid("fe80::1%eth0"))
        #expect(!IPLiteral.isValid("192.168.01.1"))
        #expect(!IPLiteral.isValid("256.1.1.1"))
    }
}
