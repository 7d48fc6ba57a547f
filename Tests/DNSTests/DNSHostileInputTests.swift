import DNS
import StackCore
import Testing

/// SplitMix64: a seeded generator so the mutation test is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

@Suite struct DNSHostileInputTests {
    /// A header with one question and nothing else, followed by `body`.
    func oneQuestion(_ body: [UInt8]) -> [UInt8] {
        [0, 1, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0] + body
    }

    func decodeError(_ bytes: [UInt8]) -> DNSDecodeError? {
        do {
            _ = try DNSMessage(decoding: bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func pointerToItselfIsRefused() {
        // The name at 12 is a pointer to 12.
        #expect(decodeError(oneQuestion([0xc0, 12, 0, 1, 0, 1])) == .forwardPointer(offset: 12))
    }

    @Test func backwardPointersThatCycleAreRefused() {
        // Name at 12: label "a", then a pointer to 12 (backwards, but into the stretch that led to it).
        #expect(decodeError(oneQuestion([1, 0x61, 0xc0, 12, 0, 1, 0, 1])) == .pointerLoop(offset: 14))
        // In a later record: the answer's owner at 19 is label "b" then a pointer back to 19.
        var packet: [UInt8] = [0, 1, 0x81, 0x00, 0, 1, 0, 1, 0, 0, 0, 0]
        packet += [1, 0x61, 0, 0, 1, 0, 1]  // question a. A IN (12...18)
        packet += [1, 0x62, 0xc0, 19]  // answer owner at 19: "b" then a pointer to itself's start
        packet += [0, 1, 0, 1, 0, 0, 0, 5, 0, 4, 1, 2, 3, 4]
        #expect(decodeError(packet) == .pointerLoop(offset: 21))
    }

    @Test func forwardPointersAreRefused() {
        #expect(decodeError(oneQuestion([0xc0, 20, 0, 1, 0, 1, 0, 0, 0, 0])) == .forwardPointer(offset: 12))
    }

    @Test func labelsOver63BytesAreRefused() {
        let body: [UInt8] = [64] + Array(repeating: 0x61, count: 64) + [0, 0, 1, 0, 1]
        #expect(decodeError(oneQuestion(body)) == .labelTooLong(offset: 12))
        #expect(decodeError(oneQuestion([0x80, 0, 0, 1, 0, 1])) == .badLabelType(offset: 12))
    }

    @Test func namesOver255BytesAreRefused() {
        var body: [UInt8] = []
        for _ in 0..<5 { body += [63] + Array(repeating: 0x61, count: 63) }
        body += [0, 0, 1, 0, 1]
        #expect(decodeError(oneQuestion(body)) == .nameTooLong(offset: 12 + 3 * 64))
        // A pointer chain building a long name is counted too: 4 labels of 50 written once, then
        // names that prepend 50 more bytes each through pointers.
        var packet: [UInt8] = [0, 1, 0x01, 0x00, 0, 3, 0, 0, 0, 0, 0, 0]
        packet += [50] + Array(repeating: 0x61, count: 50) + [50] + Array(repeating: 0x62, count: 50)
            + [50] + Array(repeating: 0x63, count: 50) + [0, 0, 1, 0, 1]  // 12...169, a 154-byte name
        packet += [50] + Array(repeating: 0x64, count: 50) + [0xc0, 12, 0, 1, 0, 1]  // at 170: 205 bytes
        packet += [50] + Array(repeating: 0x65, count: 50) + [0xc0, 170, 0, 1, 0, 1]  // 256 bytes: too long
        #expect(decodeError(packet) == .nameTooLong(offset: 12 + 2 * 51))
    }

    @Test func truncatedPacketsAreRefused() {
        #expect(decodeError([]) == .truncated(offset: 0))
        #expect(decodeError([0, 1, 0x01, 0x00, 0, 1]) == .truncated(offset: 6))
        let query = DNSCodecTests.goldenQuery
        for length in 12..<query.count {
            #expect(decodeError(Array(query.prefix(length))) != nil, "prefix \(length)")
        }
        let answer = DNSCodecTests.goldenAnswer
        for length in 0..<answer.count {
            #expect(decodeError(Array(answer.prefix(length))) != nil, "prefix \(length)")
        }
    }

    @Test func countsLargerThanThePacketAreRefusedUpFront() {
        #expect(decodeError([0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) == .countTooLarge)
        var query = DNSCodecTests.goldenQuery
        query[7] = 3  // three answers announced, none present
        #expect(decodeError(query) == .countTooLarge)
    }

    @Test func recordDataMustMatchItsType() {
        var answer = DNSCodecTests.goldenAnswer
        answer[answer.count - 5] = 3  // RDLENGTH 3 for an A record
        #expect(decodeError(Array(answer.dropLast())) == .badRecordData(offset: answer.count - 4))
        var long = DNSCodecTests.goldenAnswer
        long[long.count - 5] = 200  // RDLENGTH past the end
        #expect(decodeError(long) == .truncated(offset: long.count - 4))
    }

    @Test func tenThousandMutationsNeverCrash() throws {
        var seeds: [[UInt8]] = [DNSCodecTests.goldenQuery, DNSCodecTests.goldenAnswer]
        var big = DNSMessage.query(id: 5, name: try name("web.stack.internal"), type: .any, edns: DNSEDNS()).response()
        big.answers = [
            DNSRecord.address(try name("web.stack.internal"), try ip("172.20.0.2"), ttl: 5),
            DNSRecord(name: try name("db.stack.internal"), type: .cname, ttl: 5, data: .cname(try name("web.stack.internal"))),
            DNSRecord(name: try name("stack.internal"), type: .txt, ttl: 5, data: .txt([Array("v=1".utf8)])),
        ]
        seeds.append(big.encoded())
        var generator = SeededGenerator(state: 42)
        var decoded = 0
        for round in 0..<10_000 {
            var packet = seeds[round % seeds.count]
            for _ in 0...Int.random(in: 0..<4, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0:  // flip a byte
                    let i = Int.random(in: 0..<packet.count, using: &generator)
                    packet[i] = UInt8.random(in: 0...255, using: &generator)
                case 1:  // truncate
                    packet = Array(packet.prefix(Int.random(in: 0...packet.count, using: &generator)))
                case 2:  // plant a compression pointer
                    if packet.count >= 2 {
                        let i = Int.random(in: 0..<(packet.count - 1), using: &generator)
                        packet[i] = 0xc0 | UInt8.random(in: 0...0x3f, using: &generator) & 0x01
                        packet[i + 1] = UInt8.random(in: 0...255, using: &generator)
                    }
                default:  // insert random bytes
                    let i = Int.random(in: 0...packet.count, using: &generator)
                    packet.insert(contentsOf: (0..<Int.random(in: 1...8, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }, at: i)
                }
                if packet.isEmpty { break }
            }
            if let message = try? DNSMessage(decoding: packet) {
                decoded += 1
                // Whatever decodes re-encodes and decodes to the same message.
                #expect((try? DNSMessage(decoding: message.encoded())) == message)
            }
        }
        #expect(decoded > 0)
    }

    @Test func mutatedPacketsThroughTheResolverGetSmallRepliesOrNone() async throws {
        var table = RecordTable()
        table.setNetwork("n", subnets: [try #require(CIDR("10.7.0.0/16"))])
        for i in 0..<40 {
            table.add(.init(container: "c\(i)", network: "n", names: [try name("svc")], addresses: [try ip("10.7.0.\(i)")]))
        }
        let resolver = DNSResolver(handlers: [table], upstream: FakeUpstream())
        let seed = DNSMessage.query(id: 8, name: try name("svc"), type: .a).encoded()
        var generator = SeededGenerator(state: 7)
        var replies = 0
        for _ in 0..<2_000 {
            var packet = seed
            for _ in 0...Int.random(in: 0..<3, using: &generator) {
                let i = Int.random(in: 0..<packet.count, using: &generator)
                packet[i] = UInt8.random(in: 0...255, using: &generator)
            }
            guard let reply = await resolver.respond(toPacket: packet, from: try ip("10.7.0.1")) else { continue }
            replies += 1
            #expect(reply.count <= 512)
            #expect(DNSMessage.peekHeader(reply)?.isResponse == true)
        }
        #expect(replies > 0)
    }
}
