/// A message's operation (RFC 1035 4.1.1).
public struct DNSOpcode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0f }

    public static let query = DNSOpcode(rawValue: 0)
    public static let inverseQuery = DNSOpcode(rawValue: 1)
    public static let status = DNSOpcode(rawValue: 2)
    public static let notify = DNSOpcode(rawValue: 4)
    public static let update = DNSOpcode(rawValue: 5)
}

/// A response code (the header's 4 bits).
public struct DNSRcode: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue & 0x0f }

    public static let noError = DNSRcode(rawValue: 0)
    public static let formatError = DNSRcode(rawValue: 1)
    public static let serverFailure = DNSRcode(rawValue: 2)
    public static let nameError = DNSRcode(rawValue: 3)
    public static let notImplemented = DNSRcode(rawValue: 4)
    public static let refused = DNSRcode(rawValue: 5)
}

/// The fixed 12-byte header without its four counts (those follow from the sections).
public struct DNSHeader: Hashable, Sendable {
    public var id: UInt16
    /// QR: set in responses.
    public var isResponse: Bool
    public var opcode: DNSOpcode
    /// AA
    public var authoritative: Bool
    /// TC
    public var truncated: Bool
    /// RD
    public var recursionDesired: Bool
    /// RA
    public var recursionAvailable: Bool
    /// The Z, AD and CD bits (RFC 1035's reserved 3 bits, given meaning by RFC 4035), kept as they came.
    public var reservedBits: UInt8
    public var rcode: DNSRcode

    public init(
        id: UInt16, isResponse: Bool = false, opcode: DNSOpcode = .query, authoritative: Bool = false,
        truncated: Bool = false, recursionDesired: Bool = false, recursionAvailable: Bool = false,
        reservedBits: UInt8 = 0, rcode: DNSRcode = .noError
    ) {
        self.id = id
        self.isResponse = isResponse
        self.opcode = opcode
        self.authoritative = authoritative
        self.truncated = truncated
        self.recursionDesired = recursionDesired
        self.recursionAvailable = recursionAvailable
        self.reservedBits = reservedBits & 0x07
        self.rcode = rcode
    }

    /// The 16 flag bits as on the wire.
    public var flags: UInt16 {
        var value: UInt16 = 0
        if isResponse { value |= 0x8000 }
        value |= UInt16(opcode.rawValue) << 11
        if authoritative { value |= 0x0400 }
        if truncated { value |= 0x0200 }
        if recursionDesired { value |= 0x0100 }
        if recursionAvailable { value |= 0x0080 }
        value |= UInt16(reservedBits & 0x07) << 4
        value |= UInt16(rcode.rawValue)
        return value
    }

    /// A header from its ID and wire flags.
    public init(id: UInt16, flags: UInt16) {
        self.init(
            id: id, isResponse: flags & 0x8000 != 0, opcode: DNSOpcode(rawValue: UInt8(flags >> 11 & 0x0f)),
            authoritative: flags & 0x0400 != 0, truncated: flags & 0x0200 != 0,
            recursionDesired: flags & 0x0100 != 0, recursionAvailable: flags & 0x0080 != 0,
            reservedBits: UInt8(flags >> 4 & 0x07), rcode: DNSRcode(rawValue: UInt8(flags & 0x0f)))
    }
}

/// A DNS message (RFC 1035 section 4): header, questions and the three record sections.
/// An EDNS0 OPT record, if any, stays in `additionals` (see `edns`).
public struct DNSMessage: Hashable, Sendable {
    public var header: DNSHeader
    public var questions: [DNSQuestion]
    public var answers: [DNSRecord]
    public var authorities: [DNSRecord]
    public var additionals: [DNSRecord]

    /// The UDP size limit for messages without EDNS0 (RFC 1035 4.2.1).
    public static let classicUDPLimit = 512

    public init(
        header: DNSHeader, questions: [DNSQuestion] = [], answers: [DNSRecord] = [], authorities: [DNSRecord] = [],
        additionals: [DNSRecord] = []
    ) {
        self.header = header
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A recursion-desired query for one name and type.
    public static func query(id: UInt16, name: DNSName, type: DNSType, edns: DNSEDNS? = nil) -> DNSMessage {
        DNSMessage(
            header: DNSHeader(id: id, recursionDesired: true), questions: [DNSQuestion(name: name, type: type)],
            additionals: edns.map { [$0.record] } ?? [])
    }

    /// The EDNS0 fields of the first OPT record in the additional section; setting replaces or removes it.
    public var edns: DNSEDNS? {
        get { additionals.lazy.compactMap(DNSEDNS.init).first }
        set {
            additionals.removeAll { $0.type == .opt }
            if let newValue { additionals.append(newValue.record) }
        }
    }

    /// An empty response to this message: same ID, opcode, RD and questions; QR set, RA as given.
    public func response(rcode: DNSRcode = .noError, authoritative: Bool = false, recursionAvailable: Bool = true) -> DNSMessage {
        var reply = DNSMessage(
            header: DNSHeader(
                id: header.id, isResponse: true, opcode: header.opcode, authoritative: authoritative,
                recursionDesired: header.recursionDesired, recursionAvailable: recursionAvailable, rcode: rcode),
            questions: questions)
        if edns != nil { reply.edns = DNSEDNS() }
        return reply
    }
}
