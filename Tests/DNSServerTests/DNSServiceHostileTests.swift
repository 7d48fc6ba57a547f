import DNS
import DNSServer
import StackCore
import Testing

/// Mutated queries against the running server: no crash, at most one reply per query, small replies,
/// only responses, and the server keeps answering.
@Suite struct DNSServiceHostileTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state ^ (state >> 29)
        }
    }

    @Test func mutatedQueriesGetAtMostOneSmallReplyEach() throws {
        let service = DNSService(upstreams: [])
        defer { service.shutdown() }
        let subnet = try #require(CIDR("127.0.0.0/8"))
        let endpoint = RecordTable.Endpoint(
            container: "web", network: "n", names: [try TestNet.name("web")], addresses: [try TestNet.ip("10.9.0.2")])
        service.update { table in
            table.setNetwork("n", subnets: [subnet])
            table.add(endpoint)
        }
        let port = try service.listen(on: try TestNet.ip("127.0.0.1"), port: 0)
        let client = try UDPClient(source: "127.0.0.7", server: port)
        let seeds = [
            DNSMessage.query(id: 0, name: try TestNet.name("web"), type: .a).encoded(),
            DNSMessage.query(id: 0, name: try TestNet.name("web.example.test"), type: .aaaa, edns: DNSEDNS(udpPayloadSize: 4096)).encoded(),
            DNSMessage.query(id: 0, name: DNSName.reverse(try TestNet.ip("10.9.0.2")), type: .ptr).encoded(),
        ]
        var generator = Generator(state: 99)
        var replies: [UInt16: Int] = [:]
        var sent = 0
        for burst in 0..<40 {
            for i in 0..<50 {
                let id = UInt16(burst * 50 + i)
                var packet = seeds[Int(id) % seeds.count]
                for _ in 0...Int.random(in: 0..<3, using: &generator) {
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0 where packet.count > 2:
                        packet[Int.random(in: 2..<packet.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                    case 1: packet = Array(packet.prefix(Int.random(in: 2...packet.count, using: &generator)))
                    case 0: break
                    default: packet.insert(UInt8.random(in: 0...255, using: &generator), at: Int.random(in: 2...packet.count, using: &generator))
                    }
                }
                packet[0] = UInt8(id >> 8)
                packet[1] = UInt8(id & 0xff)
                client.send(packet)
                sent += 1
            }
            while let reply = client.receive(milliseconds: 50) {
                #expect(reply.count >= 12 && reply.count <= 512)
                #expect(reply[2] & 0x80 != 0, "a reply that is not a response")
                replies[UInt16(reply[0]) << 8 | UInt16(reply[1]), default: 0] += 1
            }
        }
        #expect(replies.values.allSatisfy { $0 == 1 })
        #expect(replies.count > 0 && replies.count < sent)
        let reply = try #require(try client.ask("web", .a))
        #expect(reply.answers.count == 1)
    }
}
