import DNS
import StackCore
import Testing

/// Name compression byte for byte (the writer's suffix search must keep choosing the same pointers).
@Suite struct DNSCompressionGoldenTests {
    static func message() throws -> DNSMessage {
        let name = { (text: String) throws -> DNSName in try #require(DNSName(text)) }
        var reply = DNSMessage.query(id: 0x1234, name: try name("Web.Stack.Internal"), type: .a, edns: DNSEDNS()).response(authoritative: true)
        reply.answers = [
            DNSRecord.address(try name("web.stack.internal"), try #require(IPAddress("172.30.0.2")), ttl: 5),
            DNSRecord(name: try name("WEB.stack.internal"), type: .cname, ttl: 5, data: .cname(try name("db.stack.internal"))),
            DNSRecord(name: try name("db.stack.internal"), type: .ptr, ttl: 5, data: .ptr(try name("x.db.stack.internal"))),
            DNSRecord(name: try name("other.example"), type: .ns, ttl: 5, data: .ns(try name("ns.other.example"))),
        ]
        reply.authorities = [
            DNSRecord(name: try name("stack.internal"), type: .soa, ttl: 5, data: .soa(DNSSOA(
                primary: try name("ns.stack.internal"), mailbox: try name("host.other.example"), serial: 1, refresh: 2,
                retry: 3, expire: 4, minimum: 5))),
        ]
        return reply
    }

    static let golden = "1234858000010004000100010357656205537461636b08496e7465726e616c0000010001c00c00010001000000050004"
        + "ac1e0002c00c00050001000000050005026462c010c040000c00010000000500040178c040056f74686572076578616d"
        + "706c650000020001000000050005026e73c055c01000060001000000050020026e73c01004686f7374c0550000000100"
        + "00000200000003000000040000000500002904d0000000000000"

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0f)]] })
    }

    @Test func compressedBytesStayTheSame() throws {
        let bytes = try Self.message().encoded()
        #expect(Self.hex(bytes) == Self.golden)
        #expect(try DNSMessage(decoding: bytes) == (try Self.message()))
    }

    @Test func repeatedLabelsInOneName() throws {
        var message = DNSMessage.query(id: 1, name: try #require(DNSName("a.a.a")), type: .a).response()
        message.answers = [DNSRecord(name: try #require(DNSName("a.a")), type: .cname, ttl: 1, data: .cname(try #require(DNSName("b.a.a.a"))))]
        let bytes = message.encoded()
        // Question a.a.a at 12 (01 61 01 61 01 61 00); the answer's owner a.a points at 14, the target is b + pointer to 12.
        #expect(Self.hex(Array(bytes[12..<19])) == "01610161016100")
        #expect(Self.hex(Array(bytes[23..<25])) == "c00e")
        #expect(Self.hex(Array(bytes[(bytes.count - 4)...])) == "0162c00c")
        #expect(try DNSMessage(decoding: bytes) == message)
    }
}
