extension DNSMessage {
    /// Encodes the message with name compression, all of it.
    public func encoded() -> [UInt8] {
        encoded(limit: Int.max)
    }

    /// Encodes for a UDP reply: at most 512 bytes, or the EDNS0 payload size `ednsLimit` when the
    /// asker sent an OPT record (never below 512). Records that do not fit are left out; when an answer
    /// or authority record had to go, TC is set. The OPT record is always kept.
    public func encodedForUDP(ednsLimit: Int? = nil) -> [UInt8] {
        encoded(limit: max(Self.classicUDPLimit, ednsLimit ?? Self.classicUDPLimit))
    }

    /// Encodes into at most `limit` bytes (see `encodedForUDP`). When even the questions do not fit,
    /// the result is the header alone (plus OPT) with TC set.
    public func encoded(limit: Int) -> [UInt8] {
        var writer = DNSWriter()
        writer.u16(header.id)
        writer.u16(header.flags)
        writer.u16(UInt16(clamping: questions.count))
        writer.bytes += [0, 0, 0, 0, 0, 0]  // counts, filled in below
        for question in questions.prefix(Int(UInt16.max)) {
            writer.name(question.name)
            writer.u16(question.type.rawValue)
            writer.u16(question.questionClass.rawValue)
        }
        let opt = additionals.first { $0.type == .opt }
        let optSize = opt.map { 11 + Self.rdataSize($0) } ?? 0
        if writer.bytes.count + optSize > limit && !questions.isEmpty {
            // Not even the questions fit: a bare header with TC (the asker can retry over TCP).
            var bare = self
            bare.header.truncated = true
            bare.questions = []
            bare.answers = []
            bare.authorities = []
            bare.additionals = opt.map { [$0] } ?? []
            return bare.encoded(limit: limit)
        }
        var counts = [0, 0, 0]
        var truncated = false
        let sections = [answers, authorities, additionals.filter { $0.type != .opt }]
        sectionLoop: for (index, section) in sections.enumerated() {
            for record in section {
                guard counts[index] < Int(UInt16.max) else { break }
                let mark = writer.mark()
                writer.record(record)
                if writer.bytes.count + optSize > limit {
                    writer.rollBack(to: mark)
                    // RFC 2181 9: TC only when data the asker needs is missing, not for additional records.
                    truncated = index < 2
                    break sectionLoop
                }
                counts[index] += 1
            }
        }
        if let opt {
            writer.record(opt)
            counts[2] += 1
        }
        if truncated { writer.bytes[2] |= 0x02 }
        for (i, count) in counts.enumerated() {
            writer.bytes[6 + 2 * i] = UInt8(count >> 8)
            writer.bytes[7 + 2 * i] = UInt8(count & 0xff)
        }
        return writer.bytes
    }

    private static func rdataSize(_ record: DNSRecord) -> Int {
        if case .raw(let bytes) = record.data { return bytes.count }
        var writer = DNSWriter()
        writer.rdata(record.data, compress: false)
        return writer.bytes.count
    }
}

/// Builds a packet; remembers where each name suffix was written so later names can point to it.
struct DNSWriter {
    var bytes: [UInt8] = []
    /// Offsets of the name suffixes written so far, in the order written (only offsets that fit a
    /// 14-bit pointer, each suffix once: the first place it was written). A new name's suffix is
    /// matched by comparing labels in `bytes` itself, which keeps writing free of allocations.
    private var suffixes: [Int] = []

    init() {
        bytes.reserveCapacity(512)
    }

    struct Mark {
        let count: Int
    }

    func mark() -> Mark { Mark(count: bytes.count) }

    /// Forgets everything written after `mark`, compression targets included.
    mutating func rollBack(to mark: Mark) {
        bytes.removeSubrange(mark.count...)
        suffixes.removeAll { $0 >= mark.count }
    }
    mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xff))
    }

    mutating func u32(_ value: UInt32) {
        u16(UInt16(value >> 16))
        u16(UInt16(value & 0xffff))
    }

    mutating func name(_ name: DNSName, compress: Bool = true) {
        let labels = name.labels
        for i in 0..<labels.count {
            if compress {
                if let offset = suffixOffset(labels, from: i) {
                    u16(0xc000 | UInt16(offset))
                    return
                }
                if bytes.count < 0x4000 { suffixes.append(bytes.count) }
            }
            let label = labels[i].prefix(DNSName.maxLabelLength)
            bytes.append(UInt8(label.count))
            bytes += label
        }
        bytes.append(0)
    }

    /// The first recorded suffix spelling `labels[start...]` (ASCII case ignored), if any.
    private func suffixOffset(_ labels: [[UInt8]], from start: Int) -> Int? {
        for offset in suffixes where matches(labels, from: start, at: offset) { return offset }
        return nil
    }

    /// Whether the name written at `offset` (following pointers) is exactly `labels[start...]`.
    private func matches(_ labels: [[UInt8]], from start: Int, at offset: Int) -> Bool {
        var cursor = offset
        var index = start
        while true {
            // The name being written is recorded before its end is: it ends at the buffer's end, and
            // no suffix of it equals a shorter suffix of itself.
            guard cursor < bytes.count else { return false }
            var length = Int(bytes[cursor])
            while length & 0xc0 == 0xc0 {  // pointers written by us always point back to a label
                cursor = (length & 0x3f) << 8 | Int(bytes[cursor + 1])
                length = Int(bytes[cursor])
            }
            if length == 0 { return index == labels.count }
            guard index < labels.count else { return false }
            let label = labels[index]
            let written = min(label.count, DNSName.maxLabelLength)
            guard written == length else { return false }
            for j in 0..<length where DNSName.lowercase(bytes[cursor + 1 + j]) != DNSName.lowercase(label[j]) {
                return false
            }
            cursor += 1 + length
            index += 1
        }
    }

    mutating func record(_ record: DNSRecord) {
        name(record.name)
        u16(record.type.rawValue)
        u16(record.recordClass.rawValue)
        u32(record.ttl)
        let lengthAt = bytes.count
        u16(0)
        rdata(record.data, compress: true)
        let length = bytes.count - lengthAt - 2
        bytes[lengthAt] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[lengthAt + 1] = UInt8(truncatingIfNeeded: length)
    }

    /// RFC 3597 4: only the RFC 1035 types' names (CNAME, PTR, NS, SOA) may be compressed.
    mutating func rdata(_ data: DNSRecordData, compress: Bool) {
        switch data {
        case .a(let address), .aaaa(let address):
            bytes += address.bytes
        case .ptr(let target), .cname(let target), .ns(let target):
            name(target, compress: compress)
        case .soa(let soa):
            name(soa.primary, compress: compress)
            name(soa.mailbox, compress: compress)
            for value in [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum] { u32(value) }
        case .txt(let strings):
            for string in strings {
                let part = string.prefix(255)
                bytes.append(UInt8(part.count))
                bytes += part
            }
        case .raw(let raw):
            bytes += raw.prefix(Int(UInt16.max))
        }
    }
}
