/// Where the first question of a packet ends, read without decoding the rest, for matching upstream
/// replies to forwarded queries and for building short replies (SERVFAIL, TC) from a query's bytes.
enum QuestionSpan {
    /// The offset just past the first question's type and class, or nil when the packet has no
    /// question or its name is compressed, too long or cut off.
    static func end(of packet: [UInt8]) -> Int? {
        guard packet.count >= 12, packet[4] != 0 || packet[5] != 0 else { return nil }
        var cursor = 12
        var length = 1
        while true {
            guard cursor < packet.count else { return nil }
            let label = Int(packet[cursor])
            if label == 0 { break }
            guard label <= 63 else { return nil }  // pointers and extended labels: not in a first question
            length += label + 1
            guard length <= 255 else { return nil }
            cursor += label + 1
        }
        let end = cursor + 1 + 4
        return end <= packet.count ? end : nil
    }

    /// Whether two packets ask the same first question (name compared without ASCII case).
    static func same(_ a: [UInt8], _ aEnd: Int, _ b: [UInt8], _ bEnd: Int) -> Bool {
        guard aEnd == bEnd else { return false }
        for i in 12..<aEnd where lower(a[i]) != lower(b[i]) { return false }
        return true
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5a ? byte | 0x20 : byte }

    /// A reply built from a query's header and first question only: QR and RA set, RD copied, the
    /// given rcode and TC bit, no records (not even the query's OPT).
    static func bareReply(to query: [UInt8], questionEnd: Int, rcode: UInt8, truncated: Bool = false) -> [UInt8] {
        var reply = Array(query[0..<questionEnd])
        // QR, opcode and RD kept from the query; AA off; TC as asked.
        reply[2] = 0x80 | (query[2] & 0x79) | (truncated ? 0x02 : 0)
        reply[3] = 0x80 | (rcode & 0x0f)  // RA; Z/AD/CD cleared
        reply[4] = 0
        reply[5] = 1
        for i in 6..<12 { reply[i] = 0 }
        return reply
    }
}
