import Networking
import StackCore
import Testing

/// Golden text of the generated table (tabs, as `nft list table` prints it).
@Suite struct NFTRulesetTests {
    func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }
    func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

    @Test func emptyRulesetOnlyDeletesTheTable() {
        let ruleset = NFTRuleset(table: "stk", networks: [], ports: [])
        #expect(ruleset.isEmpty)
        #expect(ruleset.script() == "add table ip stk\ndelete table ip stk\n")
    }

    @Test func oneNetworkMasqueradesItsSubnet() throws {
        let ruleset = NFTRuleset(table: "stack",
            networks: [NFTNetwork(bridge: "stack0", subnet: try cidr("172.17.0.0/16"), internal: false)], ports: [])
        #expect(!ruleset.isEmpty)
        #expect(ruleset.script() == """
            add table ip stack
            delete table ip stack
            table ip stack {
            \tchain prerouting {
            \t\ttype nat hook prerouting priority dstnat; policy accept;
            \t}

            \tchain output {
            \t\ttype nat hook output priority -100; policy accept;
            \t}

            \tchain postrouting {
            \t\ttype nat hook postrouting priority srcnat; policy accept;
            \t\tip saddr 172.17.0.0/16 oifname != "stack0" masquerade
            \t}

            \tchain forward {
            \t\ttype filter hook forward priority filter; policy accept;
            \t\tct state established,related accept
            \t}
            }

            """)
    }

    /// Three networks (one internal) and published ports of every kind the generator handles.
    static func fullRuleset() throws -> NFTRuleset {
        func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }
        func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }
        let web = NFTPortMapping(proto: "tcp", hostIP: nil, hostPort: 8080, containerIP: try ip("10.213.1.2"),
            containerPort: 80, bridge: "stk0")
        return NFTRuleset(table: "stk",
            networks: [
                NFTNetwork(bridge: "stk0", subnet: try cidr("10.213.1.0/24"), internal: false),
                NFTNetwork(bridge: "stk-a1", subnet: try cidr("10.213.2.7/24"), internal: false),  // host bits dropped
                NFTNetwork(bridge: "stk-i1", subnet: try cidr("10.213.3.0/24"), internal: true),
                NFTNetwork(bridge: "stk-b2", subnet: try cidr("10.213.4.0/24"), internal: false),
                NFTNetwork(bridge: "stk0", subnet: try cidr("10.213.9.0/24"), internal: false),  // same bridge: ignored
            ],
            ports: [
                web,
                NFTPortMapping(proto: "udp", hostIP: try ip("192.168.7.5"), hostPort: 5353,
                    containerIP: try ip("10.213.2.2"), containerPort: 53, bridge: "stk-a1"),
                NFTPortMapping(proto: "tcp", hostIP: try ip("0.0.0.0"), hostPort: 8443,
                    containerIP: try ip("10.213.1.2"), containerPort: 443, bridge: "stk0"),
                web,  // duplicate
                NFTPortMapping(proto: "tcp", hostIP: try ip("127.0.0.1"), hostPort: 9000,
                    containerIP: try ip("10.213.1.3"), containerPort: 9000, bridge: "stk0"),  // loopback: proxy only
                NFTPortMapping(proto: "tcp", hostIP: try ip("::1"), hostPort: 9001,
                    containerIP: try ip("10.213.1.3"), containerPort: 9001, bridge: "stk0"),  // IPv6 host IP
                NFTPortMapping(proto: "icmp", hostIP: nil, hostPort: 1,
                    containerIP: try ip("10.213.1.3"), containerPort: 1, bridge: "stk0"),  // unknown protocol
            ])
    }

    static let fullDefinition = """
        table ip stk {
        \tchain prerouting {
        \t\ttype nat hook prerouting priority dstnat; policy accept;
        \t\tiifname != "stk0" fib daddr type local tcp dport 8080 dnat to 10.213.1.2:80
        \t\tiifname != "stk-a1" ip daddr 192.168.7.5 fib daddr type local udp dport 5353 dnat to 10.213.2.2:53
        \t\tiifname != "stk0" fib daddr type local tcp dport 8443 dnat to 10.213.1.2:443
        \t}

        \tchain output {
        \t\ttype nat hook output priority -100; policy accept;
        \t\tip daddr != 127.0.0.0/8 fib daddr type local tcp dport 8080 dnat to 10.213.1.2:80
        \t\tip daddr 192.168.7.5 fib daddr type local udp dport 5353 dnat to 10.213.2.2:53
        \t\tip daddr != 127.0.0.0/8 fib daddr type local tcp dport 8443 dnat to 10.213.1.2:443
        \t}

        \tchain postrouting {
        \t\ttype nat hook postrouting priority srcnat; policy accept;
        \t\tip saddr 10.213.1.0/24 oifname != "stk0" masquerade
        \t\tip saddr 10.213.2.0/24 oifname != "stk-a1" masquerade
        \t\tip saddr 10.213.4.0/24 oifname != "stk-b2" masquerade
        \t\tip saddr 10.213.1.2 ip daddr 10.213.1.2 tcp dport 80 masquerade
        \t\tip saddr 10.213.2.2 ip daddr 10.213.2.2 udp dport 53 masquerade
        \t\tip saddr 10.213.1.2 ip daddr 10.213.1.2 tcp dport 443 masquerade
        \t}

        \tchain forward {
        \t\ttype filter hook forward priority filter; policy accept;
        \t\tct state established,related accept
        \t\tiifname "stk-i1" oifname != "stk-i1" drop
        \t\toifname "stk-i1" iifname != "stk-i1" drop
        \t\tct status dnat accept
        \t\tiifname "stk0" oifname { "stk-a1", "stk-b2" } drop
        \t\tiifname "stk-a1" oifname { "stk0", "stk-b2" } drop
        \t\tiifname "stk-b2" oifname { "stk0", "stk-a1" } drop
        \t}
        }

        """

    @Test func networksAndPublishedPorts() throws {
        let ruleset = try Self.fullRuleset()
        #expect(ruleset.definition() == Self.fullDefinition)
        #expect(ruleset.script() == "add table ip stk\ndelete table ip stk\n" + Self.fullDefinition)
    }

    @Test func twoNetworksIsolateEachOtherWithSingleNames() throws {
        let ruleset = NFTRuleset(table: "t", networks: [
            NFTNetwork(bridge: "t0", subnet: try cidr("10.213.5.0/24"), internal: false),
            NFTNetwork(bridge: "t-1", subnet: try cidr("10.213.6.0/24"), internal: false),
        ], ports: [])
        let forward = ruleset.definition().split(separator: "chain forward")[1]
        #expect(forward.contains("\t\tiifname \"t0\" oifname \"t-1\" drop\n"))
        #expect(forward.contains("\t\tiifname \"t-1\" oifname \"t0\" drop\n"))
        #expect(!forward.contains("ct status dnat accept"))
    }

    @Test func internalNetworkIsNeitherMasqueradedNorIsolatedTwice() throws {
        let ruleset = NFTRuleset(table: "t", networks: [
            NFTNetwork(bridge: "t-i", subnet: try cidr("10.213.7.0/24"), internal: true),
        ], ports: [])
        let text = ruleset.definition()
        #expect(!text.contains("masquerade"))
        #expect(text.contains("\t\tiifname \"t-i\" oifname != \"t-i\" drop\n\t\toifname \"t-i\" iifname != \"t-i\" drop\n\t}"))
    }

    @Test func onlyUnservedPortsGiveChainsWithoutRules() throws {
        let ruleset = NFTRuleset(table: "t", networks: [], ports: [
            NFTPortMapping(proto: "tcp", hostIP: try ip("127.0.0.1"), hostPort: 80, containerIP: try ip("10.213.8.2"),
                containerPort: 80, bridge: "t0"),
        ])
        #expect(!ruleset.isEmpty)
        #expect(!ruleset.definition().contains("dnat"))
    }
}
