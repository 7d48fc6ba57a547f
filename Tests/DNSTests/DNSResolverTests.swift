import DNS
import StackCore
import Testing

@Suite struct DNSResolverTests {
    /// Two networks: `front` (web ×2 replicas, proxy) and `back` (db, and web-1 again with another address).
    func table(ttl: UInt32 = 5) throws -> RecordTable {
        var table = RecordTable(ttl: ttl, domains: [try name("stack.internal")])
        table.setNetwork("front", subnets: [try #require(CIDR("172.20.0.0/16")), try #require(CIDR("fd20::/64"))])
        table.setNetwork("back", subnets: [try #require(CIDR("172.21.0.0/16"))])
        table.add(.init(container: "web-1", network: "front", names: [try name("app-web-1"), try name("web")], addresses: [try ip("172.20.0.2"), try ip("fd20::2")]))
        table.add(.init(container: "web-2", network: "front", names: [try name("app-web-2"), try name("web")], addresses: [try ip("172.20.0.3")]))
        table.add(.init(container: "proxy", network: "front", names: [try name("proxy"), try name("edge.alias")], addresses: [try ip("172.20.0.4")]))
        table.add(.init(container: "web-1", network: "back", names: [try name("app-web-1"), try name("web")], addresses: [try ip("172.21.0.2")]))
        table.add(.init(container: "db", network: "back", names: [try name("app-db-1"), try name("db")], addresses: [try ip("172.21.0.3")]))
        return table
    }

    func ask(_ handler: any DNSHandler, _ text: String, _ type: DNSType, from source: String) throws -> DNSMessage? {
        handler.answer(DNSMessage.query(id: 77, name: try name(text), type: type), from: try ip(source))
    }

    func addresses(_ reply: DNSMessage?) -> Set<String> {
        Set((reply?.answers ?? []).compactMap { record -> String? in
            switch record.data {
            case .a(let address), .aaaa(let address): address.description
            default: nil
            }
        })
    }

    @Test func answersEveryReplicaOnTheAskersNetwork() throws {
        let reply = try #require(try ask(try table(), "web", .a, from: "172.20.0.4"))
        #expect(reply.header.rcode == .noError && reply.header.isResponse && reply.header.authoritative)
        #expect(reply.header.id == 77)
        #expect(addresses(reply) == ["172.20.0.2", "172.20.0.3"])
        #expect(reply.answers.allSatisfy { $0.ttl == 5 && $0.name == DNSName("web") })
        let six = try ask(try table(), "WEB", .aaaa, from: "172.20.0.4")
        #expect(addresses(six) == [try ip("fd20::2").description])
    }

    @Test func scopingFollowsTheAskersNetworks() throws {
        let table = try table()
        // db is only on back: proxy (front) cannot see it, gets NXDOMAIN, not a forward.
        #expect(try ask(table, "db", .a, from: "172.20.0.4")?.header.rcode == .nameError)
        #expect(addresses(try ask(table, "db", .a, from: "172.21.0.3")) == ["172.21.0.3"])
        // From back, web is only web-1's back address.
        #expect(addresses(try ask(table, "web", .a, from: "172.21.0.3")) == ["172.21.0.2"])
        // web-1 is on both networks and sees both: db and proxy.
        #expect(addresses(try ask(table, "db", .a, from: "172.21.0.2")) == ["172.21.0.3"])
        #expect(addresses(try ask(table, "proxy", .a, from: "172.21.0.2")) == ["172.20.0.4"])
        // An unknown source inside front's subnet sees front.
        #expect(addresses(try ask(table, "proxy", .a, from: "172.20.9.9")) == ["172.20.0.4"])
        #expect(table.visibleNetworks(from: try ip("172.21.0.2")) == ["front", "back"])
        #expect(table.visibleNetworks(from: try ip("10.9.9.9")).isEmpty)
    }

    @Test func aliasesWithDotsAndTheDomainSuffix() throws {
        let table = try table()
        #expect(addresses(try ask(table, "edge.alias", .a, from: "172.20.0.2")) == ["172.20.0.4"])
        #expect(addresses(try ask(table, "proxy.stack.internal", .a, from: "172.20.0.2")) == ["172.20.0.4"])
        // A dotted alias known only on front is NXDOMAIN (not forwarded) from back.
        #expect(try ask(table, "edge.alias", .a, from: "172.21.0.3")?.header.rcode == .nameError)
        #expect(try ask(table, "nothing.stack.internal", .a, from: "172.20.0.2")?.header.rcode == .nameError)
    }

    @Test func nodataForAKnownNameWithoutTheType() throws {
        let table = try table()
        let reply = try #require(try ask(table, "proxy", .aaaa, from: "172.20.0.2"))
        #expect(reply.header.rcode == .noError)
        #expect(reply.answers.isEmpty)
        let mx = try #require(try ask(table, "web", .mx, from: "172.20.0.2"))
        #expect(mx.header.rcode == .noError && mx.answers.isEmpty)
    }

    @Test func nxdomainForUnknownSingleLabelNamesAndNilForOutsideNames() throws {
        let table = try table()
        let reply = try #require(try ask(table, "nosuch", .a, from: "172.20.0.2"))
        #expect(reply.header.rcode == .nameError && reply.answers.isEmpty)
        #expect(try ask(table, "example.com", .a, from: "172.20.0.2") == nil)
    }

    @Test func ptrForKnownAddressesOnly() throws {
        let table = try table()
        let reverse = DNSName.reverse(try ip("172.20.0.3")).description
        let reply = try #require(try ask(table, reverse, .ptr, from: "172.20.0.4"))
        #expect(reply.answers.map(\.data) == [.ptr(try name("app-web-2"))])
        let six = try #require(try ask(table, DNSName.reverse(try ip("fd20::2")).description, .ptr, from: "172.20.0.4"))
        #expect(six.answers.map(\.data) == [.ptr(try name("app-web-1"))])
        // db's address from front: NXDOMAIN, ours but not visible.
        let hidden = DNSName.reverse(try ip("172.21.0.3")).description
        #expect(try ask(table, hidden, .ptr, from: "172.20.0.4")?.header.rcode == .nameError)
        // An unused address in our subnet: NXDOMAIN; an outside address: forwarded.
        #expect(try ask(table, DNSName.reverse(try ip("172.20.7.7")).description, .ptr, from: "172.20.0.4")?.header.rcode == .nameError)
        #expect(try ask(table, DNSName.reverse(try ip("8.8.8.8")).description, .ptr, from: "172.20.0.4") == nil)
    }

    @Test func shuffleKeepsEveryAddressAndVariesTheOrder() throws {
        var table = RecordTable()
        table.setNetwork("n", subnets: [try #require(CIDR("10.5.0.0/16"))])
        var all: Set<String> = []
        for i in 2..<10 {
            table.add(.init(container: "r\(i)", network: "n", names: [try name("svc")], addresses: [try ip("10.5.0.\(i)")]))
            all.insert("10.5.0.\(i)")
        }
        var orders: Set<[String]> = []
        for _ in 0..<50 {
            let reply = try #require(try ask(table, "svc", .a, from: "10.5.0.2"))
            #expect(reply.answers.count == 8)
            #expect(addresses(reply) == all)
            orders.insert(reply.answers.map { "\($0.data)" })
        }
        #expect(orders.count > 1)
    }

    @Test func ttlIsConfigurable() throws {
        let reply = try ask(try table(ttl: 1), "web", .a, from: "172.20.0.2")
        #expect(reply?.answers.allSatisfy { $0.ttl == 1 } == true)
    }

    @Test func updatesTakeEffectAtOnce() throws {
        var table = try table()
        table.remove(container: "web-2")
        #expect(addresses(try ask(table, "web", .a, from: "172.20.0.4")) == ["172.20.0.2"])
        table.remove(container: "web-1", network: "front")
        #expect(try ask(table, "web", .a, from: "172.20.0.4")?.header.rcode == .nameError)
        #expect(addresses(try ask(table, "web", .a, from: "172.21.0.3")) == ["172.21.0.2"])
    }

    @Test func resolverForwardsOutsideNamesAndFailsWithSERVFAIL() async throws {
        let upstream = FakeUpstream(records: [try name("example.com"): [DNSRecord.address(try name("example.com"), try ip("93.184.216.34"), ttl: 300)]])
        let resolver = DNSResolver(handlers: [try table()], upstream: upstream)
        let query = DNSMessage.query(id: 9, name: try name("example.com"), type: .a)
        let reply = await resolver.respond(to: query, from: try ip("172.20.0.2"))
        #expect(reply.header.id == 9 && reply.header.rcode == .noError)
        #expect(addresses(reply) == ["93.184.216.34"])
        // Our names never reach the upstream.
        let local = await resolver.respond(to: DNSMessage.query(id: 10, name: try name("db"), type: .a), from: try ip("172.20.0.4"))
        #expect(local.header.rcode == .nameError)
        let failing = DNSResolver(handlers: [try table()], upstream: FakeUpstream(failing: true))
        #expect(await failing.respond(to: query, from: try ip("172.20.0.2")).header.rcode == .serverFailure)
        let none = DNSResolver(handlers: [], upstream: nil)
        #expect(await none.respond(to: query, from: try ip("172.20.0.2")).header.rcode == .serverFailure)
    }

    @Test func refusedForOtherOpcodesAndFormerrForOddQueries() async throws {
        let resolver = DNSResolver(handlers: [try table()], upstream: nil)
        let source = try ip("172.20.0.2")
        var update = DNSMessage.query(id: 1, name: try name("web"), type: .a)
        update.header.opcode = .update
        #expect(await resolver.respond(to: update, from: source).header.rcode == .refused)
        var two = DNSMessage.query(id: 2, name: try name("web"), type: .a)
        two.questions.append(DNSQuestion(name: try name("db"), type: .a))
        let twoReply = await resolver.respond(to: two, from: source)
        #expect(twoReply.header.rcode == .formatError && twoReply.questions.isEmpty)
        let none = DNSMessage(header: DNSHeader(id: 3))
        #expect(await resolver.respond(to: none, from: source).header.rcode == .formatError)
        var withAnswer = DNSMessage.query(id: 4, name: try name("web"), type: .a)
        withAnswer.answers = [DNSRecord.address(try name("web"), source, ttl: 1)]
        #expect(await resolver.respond(to: withAnswer, from: source).header.rcode == .formatError)
        let future = DNSMessage.query(id: 5, name: try name("web"), type: .a, edns: DNSEDNS(version: 1))
        let badvers = await resolver.respond(to: future, from: source)
        #expect(badvers.header.rcode == .noError && badvers.answers.isEmpty)
        #expect(badvers.edns?.extendedRcode == 1)
    }

    @Test func packetsInPacketsOut() async throws {
        let resolver = DNSResolver(handlers: [try table()], upstream: nil)
        let source = try ip("172.20.0.4")
        let packet = DNSMessage.query(id: 0xbeef, name: try name("web"), type: .a).encoded()
        let reply = try DNSMessage(decoding: try #require(await resolver.respond(toPacket: packet, from: source)))
        #expect(reply.header.id == 0xbeef && addresses(reply) == ["172.20.0.2", "172.20.0.3"])
        // Responses and runts are dropped; an undecodable query gets a bare FORMERR of header size.
        var response = packet
        response[2] |= 0x80
        #expect(await resolver.respond(toPacket: response, from: source) == nil)
        #expect(await resolver.respond(toPacket: [1, 2, 3], from: source) == nil)
        let broken = Array(packet.prefix(15))
        let formerr = try #require(await resolver.respond(toPacket: broken, from: source))
        #expect(formerr.count == 12)
        #expect(DNSMessage.peekHeader(formerr)?.rcode == .formatError)
        #expect(DNSMessage.peekHeader(formerr)?.id == 0xbeef)
    }

    @Test func udpRepliesAreTruncatedWithTC() async throws {
        var table = RecordTable()
        table.setNetwork("n", subnets: [try #require(CIDR("10.6.0.0/16"))])
        for i in 0..<60 {
            table.add(.init(container: "c\(i)", network: "n", names: [try name("big")], addresses: [try ip("10.6.1.\(i)")]))
        }
        let resolver = DNSResolver(handlers: [table], upstream: nil)
        let packet = DNSMessage.query(id: 1, name: try name("big"), type: .a).encoded()
        let udp = try #require(await resolver.respond(toPacket: packet, from: try ip("10.6.1.1")))
        #expect(udp.count <= 512)
        #expect(try DNSMessage(decoding: udp).header.truncated)
        let tcp = try #require(await resolver.respond(toPacket: packet, from: try ip("10.6.1.1"), overUDP: false))
        let full = try DNSMessage(decoding: tcp)
        #expect(!full.header.truncated && full.answers.count == 60)
    }
}
