import DNS
import DNSServer
import Foundation
import StackCore
import Testing

/// The server over real loopback sockets. 127.0.0.5 is a container on `front`, 127.0.0.6 one on `back`.
@Suite(.serialized) struct DNSServiceTests {
    func startService(upstreams: [DNSUpstream] = [], timeout: Duration = .milliseconds(400), cache: Bool = true) throws -> (DNSService, UInt16) {
        let service = DNSService(upstreams: upstreams, timeout: timeout, answerCache: cache)
        let front = try #require(CIDR("172.30.0.0/16"))
        let back = try #require(CIDR("172.31.0.0/16"))
        let n = TestNet.name
        let ip = TestNet.ip
        let endpoints: [RecordTable.Endpoint] = [
            .init(container: "client-a", network: "front", names: [try n("client-a")], addresses: [try ip("127.0.0.5")]),
            .init(container: "web-1", network: "front", names: [try n("app-web-1"), try n("web")], addresses: [try ip("172.30.0.2"), try ip("fd30::2")]),
            .init(container: "client-b", network: "back", names: [try n("client-b")], addresses: [try ip("127.0.0.6")]),
            .init(container: "db", network: "back", names: [try n("db")], addresses: [try ip("172.31.0.3")]),
        ]
        service.update { table in
            table.setNetwork("front", subnets: [front])
            table.setNetwork("back", subnets: [back])
            for endpoint in endpoints { table.add(endpoint) }
        }
        let port = try service.listen(on: try ip("127.0.0.1"), port: 0)
        #expect(port != 0)
        return (service, port)
    }

    func addresses(_ reply: DNSMessage?) -> [String] {
        (reply?.answers ?? []).compactMap { record in
            switch record.data {
            case .a(let address), .aaaa(let address): address.description
            default: nil
            }
        }
    }

    @Test(arguments: [true, false]) func answersLocalNamesScopedBySource(cache: Bool) throws {
        let (service, port) = try startService(cache: cache)
        defer { service.shutdown() }
        let a = try UDPClient(source: "127.0.0.5", server: port)
        let reply = try #require(try a.ask("web", .a, id: 501))
        #expect(reply.header.id == 501 && reply.header.isResponse && reply.header.authoritative)
        #expect(reply.header.rcode == .noError)
        #expect(addresses(reply) == ["172.30.0.2"])
        #expect(reply.answers.first?.ttl == 5)
        #expect(addresses(try a.ask("WEB", .aaaa)) == [try TestNet.ip("fd30::2").description])
        // db lives on back only: NXDOMAIN from front's client, an answer from back's.
        #expect(try a.ask("db", .a)?.header.rcode == .nameError)
        let b = try UDPClient(source: "127.0.0.6", server: port)
        #expect(addresses(try b.ask("db", .a)) == ["172.31.0.3"])
        #expect(try b.ask("web", .a)?.header.rcode == .nameError)
        // NXDOMAIN for unknown single labels, NODATA for a known name without the type.
        #expect(try a.ask("nosuch", .a)?.header.rcode == .nameError)
        let nodata = try #require(try a.ask("client-a", .aaaa))
        #expect(nodata.header.rcode == .noError && nodata.answers.isEmpty)
        // PTR for a visible container address.
        let ptr = try #require(try a.ask("2.0.30.172.in-addr.arpa", .ptr))
        #expect(ptr.answers.first?.data == .ptr(try TestNet.name("app-web-1")))
        // Outside names with no upstream: SERVFAIL.
        #expect(try a.ask("example.test", .a)?.header.rcode == .serverFailure)
    }

    @Test func repeatedQuestionsGetTheirOwnIDsAndEveryReplica() throws {
        let (service, port) = try startService()
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        for id: UInt16 in [10, 11, 12] {
            let reply = try #require(try client.ask("web", .a, id: id))
            #expect(reply.header.id == id && addresses(reply) == ["172.30.0.2"])
        }
        // Two replicas: both addresses every time, the order varying between answers.
        let replica = RecordTable.Endpoint(
            container: "web-2", network: "front", names: [try TestNet.name("web")], addresses: [try TestNet.ip("172.30.0.3")])
        service.update { $0.add(replica) }
        var orders = Set<[String]>()
        for id: UInt16 in 20..<60 {
            let found = addresses(try client.ask("web", .a, id: id))
            #expect(Set(found) == ["172.30.0.2", "172.30.0.3"] && found.count == 2)
            orders.insert(found)
        }
        #expect(orders.count == 2)
        // The same question from another container (other network) is not answered from the first one's reply.
        let other = try UDPClient(source: "127.0.0.6", server: port)
        #expect(try other.ask("web", .a, id: 20)?.header.rcode == .nameError)
    }

    @Test(arguments: [true, false]) func updatesAreVisibleAtOnce(cache: Bool) throws {
        let (service, port) = try startService(cache: cache)
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        #expect(try client.ask("cache", .a)?.header.rcode == .nameError)
        let endpoint = RecordTable.Endpoint(
            container: "cache-1", network: "front", names: [try TestNet.name("cache")], addresses: [try TestNet.ip("172.30.0.9")])
        service.update { $0.add(endpoint) }
        #expect(addresses(try client.ask("cache", .a)) == ["172.30.0.9"])
        service.update { $0.remove(container: "cache-1") }
        #expect(try client.ask("cache", .a)?.header.rcode == .nameError)
    }

    @Test func malformedPacketsAndResponsesGetNoReply() throws {
        let (service, port) = try startService()
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        var response = DNSMessage.query(id: 9, name: try TestNet.name("web"), type: .a)
        response.header.isResponse = true
        let loop: [UInt8] = [0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]
        let cut = Array(DNSMessage.query(id: 3, name: try TestNet.name("web"), type: .a).encoded().dropLast(3))
        let hostile: [[UInt8]] = [[1, 2, 3], [0, 7, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0], loop, cut, response.encoded(),
            [UInt8](repeating: 0xff, count: 300)]
        for packet in hostile {
            client.send(packet)
            #expect(client.receive(milliseconds: 200) == nil, "replied to \(packet.prefix(16))")
        }
        #expect(addresses(try client.ask("web", .a)) == ["172.30.0.2"])
    }

    @Test func forwardsOtherNamesToTheUpstream() throws {
        let upstream = try FakeDNSServer(.answer(["example.test.": "192.0.2.7"]))
        defer { upstream.stop() }
        let (service, port) = try startService(upstreams: [try #require(DNSUpstream(upstream.upstream))])
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        let first = try #require(try client.ask("example.test", .a, id: 1111))
        #expect(first.header.id == 1111 && first.header.rcode == .noError)
        #expect(addresses(first) == ["192.0.2.7"])
        #expect(first.questions.first?.name == (try TestNet.name("example.test")))
        let second = try #require(try client.ask("missing.test", .a, id: 2222))
        #expect(second.header.id == 2222 && second.header.rcode == .nameError)
        let seen = upstream.received.map(\.query.header.id)
        #expect(seen.count == 2)
        #expect(seen != [1111, 2222], "the forwarded queries kept the client's IDs")
        // Our own names never reach the upstream.
        _ = try client.ask("web", .a)
        #expect(upstream.received.count == 2)
    }

    @Test func manyForwardedQueriesInFlight() throws {
        let upstream = try FakeDNSServer(.answer(["example.test.": "192.0.2.7"]))
        defer { upstream.stop() }
        let (service, port) = try startService(upstreams: [try #require(DNSUpstream(upstream.upstream))])
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        for id: UInt16 in 1...200 {
            let name = id % 2 == 0 ? "example.test" : "n\(id).test"
            client.send(DNSMessage.query(id: id, name: try TestNet.name(name), type: .a).encoded())
        }
        var seen: [UInt16: Int] = [:]
        while let bytes = client.receive(milliseconds: 1000) {
            let reply = try DNSMessage(decoding: bytes)
            seen[reply.header.id, default: 0] += 1
            let expected: DNSRcode = reply.header.id % 2 == 0 ? .noError : .nameError
            #expect(reply.header.rcode == expected)
            #expect(reply.questions.first?.name == (try TestNet.name(reply.header.id % 2 == 0 ? "example.test" : "n\(reply.header.id).test")))
            if seen.count == 200 { break }
        }
        #expect(seen.count == 200 && seen.values.allSatisfy { $0 == 1 })
    }

    @Test func silentUpstreamGivesServfailInTimeAndDoesNotStallLocalAnswers() throws {
        let upstream = try FakeDNSServer(.silent)
        defer { upstream.stop() }
        let (service, port) = try startService(upstreams: [try #require(DNSUpstream(upstream.upstream))], timeout: .milliseconds(300))
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        let start = ContinuousClock.now
        client.send(DNSMessage.query(id: 70, name: try TestNet.name("slow.test"), type: .a).encoded())
        client.send(DNSMessage.query(id: 71, name: try TestNet.name("web"), type: .a).encoded())
        // The local answer comes first, long before the forwarded query times out.
        let local = try DNSMessage(decoding: try #require(client.receive()))
        #expect(local.header.id == 71)
        #expect(ContinuousClock.now - start < .milliseconds(250))
        let failed = try DNSMessage(decoding: try #require(client.receive()))
        let elapsed = ContinuousClock.now - start
        #expect(failed.header.id == 70 && failed.header.rcode == .serverFailure)
        #expect(failed.questions.first?.name == (try TestNet.name("slow.test")))
        #expect(elapsed >= .milliseconds(250) && elapsed < .milliseconds(1200))
        // Exactly one reply per query.
        #expect(client.receive(milliseconds: 500) == nil)
    }

    @Test func nextUpstreamAfterATimeout() throws {
        let silent = try FakeDNSServer(.silent)
        let good = try FakeDNSServer(.answer(["example.test.": "192.0.2.8"]))
        defer { silent.stop(); good.stop() }
        let upstreams = [try #require(DNSUpstream(silent.upstream)), try #require(DNSUpstream(good.upstream))]
        let (service, port) = try startService(upstreams: upstreams, timeout: .milliseconds(200))
        defer { service.shutdown() }
        let client = try UDPClient(source: "127.0.0.5", server: port)
        #expect(addresses(try client.ask("example.test", .a)) == ["192.0.2.8"])
        #expect(silent.received.count == 1 && good.received.count == 1)
    }

    @Test func largeUpstreamRepliesAreTruncatedOverUDPAndWholeOverTCP() throws {
        let upstream = try FakeDNSServer(.large(60))
        defer { upstream.stop() }
        let (service, port) = try startService(upstreams: [try #require(DNSUpstream(upstream.upstream))])
        defer { service.shutdown() }
        let udp = try UDPClient(source: "127.0.0.5", server: port)
        let cut = try #require(try udp.ask("big.test", .a, id: 5))
        #expect(cut.header.truncated && cut.answers.isEmpty && cut.header.id == 5)
        let tcp = try TCPClient(source: "127.0.0.5", server: port)
        let whole = try #require(try tcp.ask("big.test", .a, id: 6))
        #expect(whole.header.id == 6 && !whole.header.truncated && whole.answers.count == 60)
        #expect(upstream.received.map(\.tcp) == [false, true])
    }

    @Test func neverForwardsToItself() throws {
        // Find a free port, then make the server its own (only) upstream.
        let probe = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(TestNet.bind(probe, "127.0.0.1", 0))
        let port = TestNet.localPort(probe)
        close(probe)
        let service = DNSService(upstreams: [DNSUpstream(try TestNet.ip("127.0.0.1"), port: port)], timeout: .seconds(2))
        defer { service.shutdown() }
        #expect(try service.listen(on: try TestNet.ip("127.0.0.1"), port: port) == port)
        let client = try UDPClient(source: "127.0.0.5", server: port)
        let start = ContinuousClock.now
        #expect(try client.ask("example.test", .a, id: 3)?.header.rcode == .serverFailure)
        #expect(ContinuousClock.now - start < .milliseconds(500))
        #expect(client.receive(milliseconds: 300) == nil)
    }

    @Test func tcpQueriesSeveralPerConnection() throws {
        let (service, port) = try startService()
        defer { service.shutdown() }
        let tcp = try TCPClient(source: "127.0.0.6", server: port)
        #expect(addresses(try tcp.ask("db", .a, id: 1)) == ["172.31.0.3"])
        let second = try #require(try tcp.ask("web", .a, id: 2))
        #expect(second.header.id == 2 && second.header.rcode == .nameError)
        // A malformed message ends the connection without a reply.
        tcp.send([1, 2, 3, 4, 5])
        #expect(tcp.receive() == nil)
    }

    @Test func shutdownAndStopListeningReleaseThePorts() throws {
        let (service, port) = try startService()
        let other = try TestNet.ip("127.0.0.2")
        let otherPort = try service.listen(on: other, port: 0)
        #expect(!TestNet.portIsFree(port))
        #expect(try service.listen(on: try TestNet.ip("127.0.0.1"), port: 0) == port)  // already served
        service.stopListening(on: other)
        #expect(TestNet.portIsFree(otherPort, "127.0.0.2"))
        let client = try UDPClient(source: "127.0.0.5", server: port)
        #expect(addresses(try client.ask("web", .a)) == ["172.30.0.2"])
        service.shutdown()
        #expect(TestNet.portIsFree(port))
        #expect(throws: StackError.self) { try service.listen(on: try TestNet.ip("127.0.0.1"), port: 0) }
    }
}
