import StackCore

/// Why a packet could not be decoded. Decoding never reads past the packet and never traps.
public enum DNSDecodeError: Error, Hashable, Sendable {
    /// The packet ended inside the header, a name, a question or a record.
    case truncated(offset: Int)
    /// A compression pointer points at or after itself.
    case forwardPointer(offset: Int)
    /// A compression pointer points back into a part of the name already read (a loop).
    case pointerLoop(offset: Int)
    /// A label longer than 63 bytes.
    case labelTooLong(offset: Int)
    /// A name longer than 255 bytes in wire form.
    case nameTooLong(offset: Int)
    /// A label type other than plain (00) or pointer (11).
    case badLabelType(offset: Int)
    /// The header's counts need more bytes than the packet has.
    case countTooLarge
    /// RDATA whose length does not fit its type (A not 4 bytes, a name not ending at the RDATA's end, ...).
    case badRecordData(offset: Int)
}

extension DNSMessage {
    /// Decodes a message from wire form. Bytes after the last record are ignored.
    public init(decoding bytes: [UInt8]) throws(DNSDecodeError) {
        var reader = DNSReader(bytes: bytes)
        let id = try reader.u16()
        let flags = try reader.u16()
        let qd = Int(try reader.u16())
        let an = Int(try reader.u16())
        let ns = Int(try reader.u16())
        let ar = Int(try reader.u16())
        // Each question takes at least 5 bytes (root name, type, class), each record at least 11.
        guard qd * 5 + (an + ns + ar) * 11 <= bytes.count - reader.position else { throw .countTooLarge }
        var questions: [DNSQuestion] = []
        questions.reserveCapacity(qd)
        for _ in 0..<qd {
            let name = try reader.name()
            let type = DNSType(rawValue: try reader.u16())
            let questionClass = DNSClass(rawValue: try reader.u16())
            questions.append(DNSQuestion(name: name, type: type, questionClass: questionClass))
        }
        func records(_ count: Int) throws(DNSDecodeError) -> [DNSRecord] {
            var result: [DNSRecord] = []
            result.reserveCapacity(count)
            for _ in 0..<count { result.append(try reader.record()) }
            return result
        }
        let answers = try records(an)
        let authorities = try records(ns)
        let additionals = try records(ar)
        self.init(
            header: DNSHeader(id: id, flags: flags), questions: questions, answers: answers,
            authorities: authorities, additionals: additionals)
    }

    /// Reads only the 12-byte header (to answer FORMERR to a query whose body is broken); nil when shorter.
    public static func peekHeader(_ bytes: [UInt8]) -> DNSHeader? {
        guard bytes.count >= 12 else { return nil }
        return DNSHeader(id: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), flags: UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
    }
}

/// A bounds-checked cursor over a packet.
struct DNSReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() throws(DNSDecodeError) -> UInt8 {
        guard position < bytes.count else { throw .truncated(offset: position) }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func u16() throws(DNSDecodeError) -> UInt16 {
        guard position + 2 <= bytes.count else { throw .truncated(offset: position) }
        defer { position += 2 }
        return UInt16(bytes[position]) << 8 | UInt16(bytes[position + 1])
    }

    mutating func u32() throws(DNSDecodeError) -> UInt32 {
        UInt32(try u16()) << 16 | UInt32(try u16())
    }

    mutating func take(_ count: Int) throws(DNSDecodeError) -> [UInt8] {
        guard count >= 0, position + count <= bytes.count else { throw .truncated(offset: position) }
        defer { position += count }
        return Array(bytes[position..<position + count])
    }

    /// Reads a possibly compressed name. Every pointer must point before the start of the stretch
    /// that led to it, so offsets strictly decrease and a loop is impossible.
    mutating func name() throws(DNSDecodeError) -> DNSName {
        var labels: [[UInt8]] = []
        var wireLength = 1
        var cursor = position
        var limit = position  // pointers must point before this
        var jumped = false
        while true {
            guard cursor < bytes.count else { throw .truncated(offset: cursor) }
            let length = bytes[cursor]
            switch length & 0xc0 {
            case 0x00:
                if length == 0 {
                    if !jumped { position = cursor + 1 }
                    return DNSName(labels: labels)
                }
                let end = cursor + 1 + Int(length)
                guard end <= bytes.count else { throw .truncated(offset: cursor) }
                wireLength += 1 + Int(length)
                guard wireLength <= DNSName.maxWireLength else { throw .nameTooLong(offset: cursor) }
                labels.append(Array(bytes[(cursor + 1)..<end]))
                cursor = end
            case 0xc0:
                guard cursor + 1 < bytes.count else { throw .truncated(offset: cursor) }
                let target = Int(length & 0x3f) << 8 | Int(bytes[cursor + 1])
                if target >= cursor { throw .forwardPointer(offset: cursor) }
                if target >= limit { throw .pointerLoop(offset: cursor) }
                if !jumped { position = cursor + 2 }
                jumped = true
                limit = target
                cursor = target
            case 0x40:
                // Lengths 64...127 (the top bits 01 once meant extended labels, which RFC 6891 retired).
                throw .labelTooLong(offset: cursor)
            default:
                throw .badLabelType(offset: cursor)
            }
        }
    }

    mutating func record() throws(DNSDecodeError) -> DNSRecord {
        let name = try name()
        let type = DNSType(rawValue: try u16())
        let recordClass = DNSClass(rawValue: try u16())
        let ttl = try u32()
        let length = Int(try u16())
        let start = position
        let end = start + length
        guard end <= bytes.count else { throw .truncated(offset: start) }
        let data: DNSRecordData
        switch type {
        case .a, .aaaa:
            guard length == (type == .a ? 4 : 16), let address = IPAddress(wireBytes: try take(length)) else {
                throw .badRecordData(offset: start)
            }
            data = type == .a ? .a(address) : .aaaa(address)
        case .ptr, .cname, .ns:
            let target = try self.name()
            guard position == end else { throw .badRecordData(offset: start) }
            data = type == .ptr ? .ptr(target) : type == .cname ? .cname(target) : .ns(target)
        case .soa:
            let soa = DNSSOA(
                primary: try self.name(), mailbox: try self.name(), serial: try u32(), refresh: try u32(),
                retry: try u32(), expire: try u32(), minimum: try u32())
            guard position == end else { throw .badRecordData(offset: start) }
            data = .soa(soa)
        case .txt:
            var strings: [[UInt8]] = []
            while position < end {
                let count = Int(try u8())
                guard position + count <= end else { throw .badRecordData(offset: start) }
                strings.append(try take(count))
            }
            data = .txt(strings)
        default:
            data = .raw(try take(length))
        }
        guard position == end else { throw .badRecordData(offset: start) }
        return DNSRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    }
}
