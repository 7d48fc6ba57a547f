import DNS
import StackCore
import Testing

@Suite struct DNSNameTests {
    @Test func parsesPresentationFormWithAndWithoutFinalDot() throws {
        let name = try #require(DNSName("Web.Example.com"))
        #expect(name.labels.map { String(decoding: $0, as: UTF8.self) } == ["Web", "Example", "com"])
        #expect(name.description == "Web.Example.com.")
        #expect(DNSName("web.example.com.") == name)
        #expect(DNSName(".")?.isRoot == true)
    }

    @Test func comparisonAndHashIgnoreASCIICase() throws {
        let a = try #require(DNSName("WEB.example"))
        let b = try #require(DNSName("web.EXAMPLE."))
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(DNSName("web2.example") != a)
    }

    @Test func refusesEmptyAndOversizedLabelsAndNames() {
        #expect(DNSName("") == nil)
        #expect(DNSName("a..b") == nil)
        #expect(DNSName(String(repeating: "a", count: 63)) != nil)
        #expect(DNSName(String(repeating: "a", count: 64)) == nil)
        // 4 labels of 63 = 4 * 64 + 1 = 257 bytes > 255.
        let label = String(repeating: "b", count: 63)
        #expect(DNSName([label, label, label, label].joined(separator: ".")) == nil)
        #expect(DNSName([label, label, label, String(repeating: "c", count: 61)].joined(separator: ".")) != nil)
    }

    @Test func escapesRoundTrip() throws {
        let name = try #require(DNSName("a\\.b.c\\009d"))
        #expect(name.labels.count == 2)
        #expect(name.labels[0] == Array("a.b".utf8))
        #expect(name.labels[1] == [0x63, 9, 0x64])
        #expect(name.description == "a\\.b.c\\009d.")
        #expect(DNSName(name.description) == name)
    }

    @Test func subdomain() throws {
        let zone = try #require(DNSName("Stack.Internal"))
        #expect(try #require(DNSName("web.stack.internal")).isSubdomain(of: zone))
        #expect(zone.isSubdomain(of: zone))
        #expect(!(try #require(DNSName("internal"))).isSubdomain(of: zone))
        #expect(!(try #require(DNSName("xstack.internal"))).isSubdomain(of: zone))
    }

    @Test func reverseNamesForIPv4() throws {
        let address = try #require(IPAddress("172.20.0.3"))
        let name = DNSName.reverse(address)
        #expect(name.description == "3.0.20.172.in-addr.arpa.")
        #expect(name.reverseAddress == address)
        #expect(DNSName("3.0.20.172.IN-ADDR.ARPA")?.reverseAddress == address)
        #expect(DNSName("0.20.172.in-addr.arpa")?.reverseAddress == nil)
        #expect(DNSName("300.0.20.172.in-addr.arpa")?.reverseAddress == nil)
        #expect(DNSName("03.0.20.172.in-addr.arpa")?.reverseAddress == nil)
    }

    @Test func reverseNamesForIPv6() throws {
        let address = try #require(IPAddress("2001:db8::567:89ab"))
        let name = DNSName.reverse(address)
        #expect(name.description == "b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
        #expect(name.reverseAddress == address)
        #expect(DNSName("x.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")?.reverseAddress == nil)
    }
}
