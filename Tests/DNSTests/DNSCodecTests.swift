import DNS
import StackCore
import Testing

func name(_ text: String) throws -> DNSName {
    try #require(DNSName(text))
}

func ip(_ text: String) throws -> IPAddress {
    try #require(IPAddress(text))
}

@Suite struct DNSCodecTests {
    // RFC 1035 4.1: ID 0x1234, RD, one question example.com A IN.
    static let goldenQuery: [UInt8] =
        [0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]
        + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0x00, 0x01, 0x00, 0x01]
    // The answer: QR RD RA, one answer whose owner is a pointer to offset 12, TTL 3600, 93.184.216.34.
    static let goldenAnswer: [UInt8] =
        [0x12, 0x34, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]
        + [7] + Array("example".utf8) + [3] + Array("com".utf8) + [0, 0x00, 0x01, 0x00, 0x01]
        + [0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10, 0x00, 0x04, 93, 184, 216, 34]

    @Test func goldenQueryBytes() throws {
        let query = DNSMessage.query(id: 0x1234, name: try name("example.com"), type: .a)
        #expect(query.encoded() == Self.goldenQuery)
        let decoded = try DNSMessage(decoding: Self.goldenQuery)
        #expect(decoded == query)
        #expect(decoded.header.recursionDesired)
        #expect(!decoded.header.isResponse)
    }

    @Test func goldenAnswerBytes() throws {
        let query = DNSMessage.query(id: 0x1234, name: try name("example.com"), type: .a)
        var answer = query.response()
        answer.answers = [DNSRecord.address(try name("example.com"), try ip("93.184.216.34"), ttl: 3600)]
        #expect(answer.encoded() == Self.goldenAnswer)
        let decoded = try DNSMessage(decoding: Self.goldenAnswer)
        #expect(decoded == answer)
        #expect(decoded.header.isResponse && decoded.header.recursionAvailable && !decoded.header.authoritative)
    }

    @Test func headerFlagsRoundTrip() {
        let header = DNSHeader(
            id: 7, isResponse: true, opcode: .status, authoritative: true, truncated: true, recursionDesired: false,
            recursionAvailable: true, reservedBits: 0b011, rcode: .refused)
        #expect(DNSHeader(id: 7, flags: header.flags) == header)
        #expect(header.flags == 0b1_0010_1_1_0_1_011_0101)
    }

    @Test func responseWithEveryRecordTypeRoundTrips() throws {
        let owner = try name("web.stack.internal")
        var message = DNSMessage.query(id: 99, name: owner, type: .any, edns: DNSEDNS(udpPayloadSize: 1400, dnssecOK: true, options: [0, 10, 0, 2, 0xab, 0xcd]))
        message.header.isResponse = true
        message.header.authoritative = true
        message.answers = [
            DNSRecord(name: owner, type: .a, ttl: 5, data: .a(try ip("172.20.0.2"))),
            DNSRecord(name: owner, type: .aaaa, ttl: 5, data: .aaaa(try ip("fd00::2"))),
            DNSRecord(name: try name("db.stack.internal"), type: .cname, ttl: 5, data: .cname(owner)),
            DNSRecord(name: DNSName.reverse(try ip("172.20.0.2")), type: .ptr, ttl: 5, data: .ptr(owner)),
            DNSRecord(name: owner, type: .txt, ttl: 5, data: .txt([Array("hello".utf8), [], Array("x".utf8)])),
            DNSRecord(name: owner, type: .mx, ttl: 5, data: .raw([0, 10] + [3] + Array("mx1".utf8) + [0])),
        ]
        message.authorities = [
            DNSRecord(name: try name("stack.internal"), type: .ns, ttl: 60, data: .ns(try name("ns.stack.internal"))),
            DNSRecord(
                name: try name("stack.internal"), type: .soa, ttl: 60,
                data: .soa(DNSSOA(primary: try name("ns.stack.internal"), mailbox: try name("admin.stack.internal"), serial: 1, refresh: 2, retry: 3, expire: 4, minimum: 5))),
        ]
        let bytes = message.encoded()
        let decoded = try DNSMessage(decoding: bytes)
        #expect(decoded == message)
        #expect(decoded.edns == DNSEDNS(udpPayloadSize: 1400, dnssecOK: true, options: [0, 10, 0, 2, 0xab, 0xcd]))
        #expect(decoded.encoded() == bytes)
    }

    @Test func namesAreCompressed() throws {
        var message = DNSMessage.query(id: 1, name: try name("web.stack.internal"), type: .a).response()
        for last in 2...6 {
            message.answers.append(DNSRecord.address(try name("WEB.stack.internal"), try ip("172.20.0.\(last)"), ttl: 5))
        }
        message.answers.append(DNSRecord(name: try name("db.stack.internal"), type: .cname, ttl: 5, data: .cname(try name("web.stack.internal"))))
        let bytes = message.encoded()
        // Question 12 + 20 + 4; each A answer: pointer 2 + 10 + 4; the CNAME: "db" label 3 + pointer 2 + 10 + pointer 2.
        #expect(bytes.count == 12 + 24 + 5 * 16 + 17)
        let decoded = try DNSMessage(decoding: bytes)
        #expect(decoded == message)
        // Case is not preserved through a pointer, but equality ignores case anyway.
        #expect(decoded.answers[0].name.description == "web.stack.internal.")
    }

    @Test func bigUDPAnswersAreTruncatedWithTC() throws {
        var message = DNSMessage.query(id: 2, name: try name("many.example"), type: .a).response()
        for i in 0..<100 {
            message.answers.append(DNSRecord.address(try name("many.example"), try ip("10.0.\(i / 256).\(i % 256)"), ttl: 5))
        }
        let udp = message.encodedForUDP()
        #expect(udp.count <= 512)
        let decoded = try DNSMessage(decoding: udp)
        #expect(decoded.header.truncated)
        #expect(decoded.answers.count == (512 - 12 - 18) / 16)
        #expect(decoded.answers == Array(message.answers.prefix(decoded.answers.count)))
        // Over TCP (no limit) everything goes and TC stays clear.
        let full = try DNSMessage(decoding: message.encoded())
        #expect(!full.header.truncated)
        #expect(full.answers.count == 100)
    }

    @Test func ednsRaisesTheLimitAndTheOPTRecordIsKept() throws {
        var message = DNSMessage.query(id: 3, name: try name("many.example"), type: .a, edns: DNSEDNS()).response()
        for i in 0..<100 {
            message.answers.append(DNSRecord.address(try name("many.example"), try ip("10.0.0.\(i)"), ttl: 5))
        }
        let small = try DNSMessage(decoding: message.encodedForUDP())
        #expect(small.header.truncated)
        #expect(small.edns != nil)
        let large = message.encodedForUDP(ednsLimit: 1232)
        #expect(large.count <= 1232 && large.count > 512)
        let decoded = try DNSMessage(decoding: large)
        #expect(decoded.edns == DNSEDNS())
        #expect(decoded.header.truncated)
        let all = try DNSMessage(decoding: message.encodedForUDP(ednsLimit: 4096))
        #expect(!all.header.truncated && all.answers.count == 100)
    }

    @Test func questionsThatDoNotFitLeaveABareHeaderWithTC() throws {
        var message = DNSMessage.query(id: 6, name: try name("a.example"), type: .a).response()
        for i in 0..<40 { message.questions.append(DNSQuestion(name: try name("question-number-\(i).example"), type: .a)) }
        let udp = message.encodedForUDP()
        #expect(udp.count == 12)
        let decoded = try DNSMessage(decoding: udp)
        #expect(decoded.header.truncated && decoded.header.id == 6 && decoded.questions.isEmpty)
    }

    @Test func droppedAdditionalRecordsDoNotSetTC() throws {
        var message = DNSMessage.query(id: 4, name: try name("a.example"), type: .a).response()
        message.answers = [DNSRecord.address(try name("a.example"), try ip("10.0.0.1"), ttl: 5)]
        for i in 0..<60 {
            message.additionals.append(DNSRecord.address(try name("extra\(i).example"), try ip("10.1.0.\(i)"), ttl: 5))
        }
        let decoded = try DNSMessage(decoding: message.encodedForUDP())
        #expect(!decoded.header.truncated)
        #expect(decoded.answers.count == 1)
        #expect(decoded.additionals.count < 60)
    }
}
