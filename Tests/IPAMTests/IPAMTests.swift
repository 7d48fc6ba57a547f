import IPAM
import StackCore
import Testing

private func cidr(_ text: String) throws -> CIDR { try #require(CIDR(text)) }
private func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }

@Suite struct AddressPoolTests {
    @Test func defaultsMatchTheDocumentedText() throws {
        #expect(try AddressPool.parseList(AddressPool.defaultsText) == AddressPool.defaults)
        #expect(AddressPool.defaults.map(\.description) == [
            "172.17.0.0/16/16", "172.18.0.0/14/16", "172.22.0.0/15/16", "192.168.0.0/16/20",
        ])
        #expect(AddressPool.defaults[1].subnetCount == 4)
        // The base is where the block starts, not masked to its length: 172.18–172.21, then 172.22–172.23.
        #expect(AddressPool.defaults[1].subnet(0)?.description == "172.18.0.0/16")
        #expect(AddressPool.defaults[1].subnet(3)?.description == "172.21.0.0/16")
        #expect(AddressPool.defaults[2].subnet(1)?.description == "172.23.0.0/16")
        #expect(AddressPool.defaults[3].subnet(15)?.description == "192.168.240.0/20")
        #expect(AddressPool.defaults[3].subnet(16) == nil)
    }

    @Test func parsesSpacesAndSingleItems() throws {
        let pools = try AddressPool.parseList(" 10.10.0.0/16/24 , 10.20.0.0/16/16")
        #expect(pools.map(\.description) == ["10.10.0.0/16/24", "10.20.0.0/16/16"])
    }

    @Test(arguments: [
        ("", "no pools given"), ("10.0.0.0/8", "expected BASE/SIZE"), ("10.0.0.0/8/x", "expected BASE/SIZE"),
        ("10.0.0.1/8/16", "not the start of a /16 subnet"), ("255.255.0.0/8/16", "past 255.255.255.255"), ("10.0.0.0/16/8", "between"),
        ("10.0.0.0/16/31", "between"), ("fd00::/48/64", "only IPv4"), ("300.0.0.0/8/16", "expected BASE/SIZE"),
    ])
    func rejects(text: String, reason: String) {
        let error = #expect(throws: StackError.self) { try AddressPool.parseList(text) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "")")
    }
}

@Suite struct SubnetChooserTests {
    @Test func firstFreeSubnetInPoolOrder() throws {
        let pools = AddressPool.defaults
        #expect(try SubnetChooser.next(pools: pools, taken: []).description == "172.17.0.0/16")
        #expect(try SubnetChooser.next(pools: pools, taken: [cidr("172.17.0.0/16")]).description == "172.18.0.0/16")
        let taken = try [cidr("172.17.0.0/16"), cidr("172.18.0.0/16"), cidr("172.19.3.0/24")]
        #expect(try SubnetChooser.next(pools: pools, taken: taken).description == "172.20.0.0/16")
        // A route over 172.16/12 blocks every 172 pool: 192.168.0.0/20 is next.
        #expect(try SubnetChooser.next(pools: pools, taken: [cidr("172.16.0.0/12")]).description == "192.168.0.0/20")
        #expect(try SubnetChooser.next(pools: pools, taken: [cidr("0.0.0.0/0")]).description == "172.17.0.0/16")
    }

    @Test func skipsOverlapsWithRoutesOfAnySize() throws {
        let pools = try AddressPool.parseList("10.0.0.0/8/24")
        // A wide route covering the first 256 /24s, then a host route.
        let taken = try [cidr("10.0.0.0/16"), cidr("10.1.0.7/32")]
        #expect(try SubnetChooser.next(pools: pools, taken: taken).description == "10.1.1.0/24")
        // A route wider than the whole first pool moves on to the next pool.
        let second = try AddressPool.parseList("172.16.0.0/12/16,192.168.0.0/16/20")
        #expect(try SubnetChooser.next(pools: second, taken: [cidr("172.0.0.0/8")]).description == "192.168.0.0/20")
    }

    @Test func exhaustedPoolsAreAConflict() throws {
        let pools = try AddressPool.parseList("192.168.0.0/23/24")
        let error = #expect(throws: StackError.self) {
            try SubnetChooser.next(pools: pools, taken: [cidr("192.168.0.0/24"), cidr("192.168.1.128/25")])
        }
        #expect(error?.code == .conflict)
        #expect(error?.message == "all predefined address pools have been fully subnetted")
    }
}

@Suite struct SubnetPlanTests {
    @Test func defaultGatewayIsTheFirstHost() throws {
        let plan = try SubnetPlan(subnet: cidr("172.18.0.0/16"), gateway: nil, ipRange: nil)
        #expect(plan.gateway.description == "172.18.0.1")
        #expect(plan.gatewayCIDR.description == "172.18.0.1/16")
        #expect(try plan.interfaceCIDR(ip("172.18.0.9")).description == "172.18.0.9/16")
        let custom = try SubnetPlan(subnet: cidr("10.5.0.0/24"), gateway: ip("10.5.0.254"), ipRange: cidr("10.5.0.128/25"))
        #expect(custom.gateway.description == "10.5.0.254" && custom.ipRange?.description == "10.5.0.128/25")
    }

    @Test func rejectsBadAddressing() throws {
        func message(_ subnet: String, _ gateway: String? = nil, _ range: String? = nil) throws -> String? {
            let subnet = try cidr(subnet)
            let gateway = try gateway.map { try ip($0) }
            let range = try range.map { try cidr($0) }
            return #expect(throws: StackError.self) {
                try SubnetPlan(subnet: subnet, gateway: gateway, ipRange: range)
            }?.message
        }
        #expect(try message("172.28.5.1/16") == "invalid subnet 172.28.5.1/16: it should be 172.28.0.0/16")
        #expect(try message("10.0.0.0/24", "10.0.1.1") == "gateway 10.0.1.1 is not inside subnet 10.0.0.0/24")
        #expect(try message("10.0.0.0/24", "10.0.0.255")?.contains("broadcast") == true)
        #expect(try message("10.0.0.0/24", "10.0.0.0")?.contains("network") == true)
        #expect(try message("10.0.0.0/24", nil, "10.0.1.0/25") == "ip range 10.0.1.0/25 is not inside subnet 10.0.0.0/24")
        #expect(try message("10.0.0.0/24", nil, "10.0.0.0/23") == "ip range 10.0.0.0/23 is not inside subnet 10.0.0.0/24")
        #expect(try message("10.0.0.0/24", nil, "10.0.0.5/25")?.contains("it should be 10.0.0.0/25") == true)
        #expect(try message("fd00::/64")?.contains("IPv6") == true)
        #expect(try message("10.0.0.0/31")?.contains("/30") == true)
    }
}

@Suite struct AddressAllocatorTests {
    @Test func lowestFreeHostSkippingGatewayAndTaken() throws {
        let plan = try SubnetPlan(subnet: cidr("172.18.0.0/16"), gateway: nil, ipRange: nil)
        #expect(try AddressAllocator.next(in: plan, taken: []).description == "172.18.0.2")
        let taken: Set = try [ip("172.18.0.2"), ip("172.18.0.3"), ip("172.18.0.5")]
        #expect(try AddressAllocator.next(in: plan, taken: taken).description == "172.18.0.4")
        let high = try SubnetPlan(subnet: cidr("10.0.0.0/24"), gateway: ip("10.0.0.2"), ipRange: nil)
        #expect(try AddressAllocator.next(in: high, taken: []).description == "10.0.0.1")
        #expect(try AddressAllocator.next(in: high, taken: [ip("10.0.0.1")]).description == "10.0.0.3")
    }

    @Test func staysInsideTheRangeAndNeverUsesNetworkOrBroadcast() throws {
        let ranged = try SubnetPlan(subnet: cidr("10.0.0.0/24"), gateway: nil, ipRange: cidr("10.0.0.128/25"))
        #expect(try AddressAllocator.next(in: ranged, taken: []).description == "10.0.0.128")
        let low = try SubnetPlan(subnet: cidr("10.0.0.0/24"), gateway: ip("10.0.0.200"), ipRange: cidr("10.0.0.0/30"))
        // 10.0.0.0 is the subnet's network address: the range's first usable one is .1.
        #expect(try AddressAllocator.next(in: low, taken: []).description == "10.0.0.1")
        let error = #expect(throws: StackError.self) {
            try AddressAllocator.next(in: low, taken: [ip("10.0.0.1"), ip("10.0.0.2"), ip("10.0.0.3")])
        }
        #expect(error?.code == .conflict)
        #expect(error?.message == "no available IPv4 addresses in range 10.0.0.0/30 of subnet 10.0.0.0/24")
        let top = try SubnetPlan(subnet: cidr("10.0.0.0/24"), gateway: nil, ipRange: cidr("10.0.0.252/30"))
        #expect(try AddressAllocator.next(in: top, taken: [ip("10.0.0.252"), ip("10.0.0.253")]).description == "10.0.0.254")
        #expect(throws: StackError.self) {
            try AddressAllocator.next(in: top, taken: [ip("10.0.0.252"), ip("10.0.0.253"), ip("10.0.0.254")])
        }
    }

    @Test func tinySubnetFillsUp() throws {
        let plan = try SubnetPlan(subnet: cidr("192.168.9.0/30"), gateway: nil, ipRange: nil)
        let only = try AddressAllocator.next(in: plan, taken: [])
        #expect(only.description == "192.168.9.2")
        let error = #expect(throws: StackError.self) { try AddressAllocator.next(in: plan, taken: [only]) }
        #expect(error?.message == "no available IPv4 addresses in subnet 192.168.9.0/30")
    }

    @Test func checksStaticAddresses() throws {
        let plan = try SubnetPlan(subnet: cidr("172.20.0.0/16"), gateway: nil, ipRange: cidr("172.20.1.0/24"))
        let taken: Set = [try ip("172.20.0.9")]
        // Outside the range but inside the subnet is fine (static addresses may avoid the dynamic range).
        try AddressAllocator.check(ip("172.20.0.10"), in: plan, taken: taken)
        func failure(_ text: String) throws -> StackError? {
            let address = try ip(text)
            return #expect(throws: StackError.self) { try AddressAllocator.check(address, in: plan, taken: taken) }
        }
        #expect(try failure("172.20.0.9")?.message == "Address already in use: 172.20.0.9")
        #expect(try failure("172.20.0.9")?.code == .conflict)
        #expect(try failure("172.20.0.1")?.code == .conflict)
        #expect(try failure("172.21.0.1")?.message == "address 172.21.0.1 is not inside subnet 172.20.0.0/16")
        #expect(try failure("172.20.0.0")?.code == .invalidArgument)
        #expect(try failure("172.20.255.255")?.code == .invalidArgument)
        #expect(try failure("fd00::1")?.code == .invalidArgument)
    }
}

@Suite struct MACAddressTests {
    @Test func dockerStyle() throws {
        #expect(try MACAddress.forIPv4(ip("172.17.0.2")) == "02:42:ac:11:00:02")
        #expect(try MACAddress.forIPv4(ip("10.255.1.200")) == "02:42:0a:ff:01:c8")
    }
}
