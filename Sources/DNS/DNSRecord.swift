import StackCore

/// A resource record type (RFC 1035 3.2.2, RFC 3596, RFC 6891). Unknown values are kept as they are.
public struct DNSType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let a = DNSType(rawValue: 1)
    public static let ns = DNSType(rawValue: 2)
    public static let cname = DNSType(rawValue: 5)
    public static let soa = DNSType(rawValue: 6)
    public static let ptr = DNSType(rawValue: 12)
    public static let mx = DNSType(rawValue: 15)
    public static let txt = DNSType(rawValue: 16)
    public static let aaaa = DNSType(rawValue: 28)
    public static let opt = DNSType(rawValue: 41)
    public static let any = DNSType(rawValue: 255)

    public var description: String {
        switch self {
        case .a: "A"
        case .ns: "NS"
        case .cname: "CNAME"
        case .soa: "SOA"
        case .ptr: "PTR"
        case .mx: "MX"
        case .txt: "TXT"
        case .aaaa: "AAAA"
        case .opt: "OPT"
        case .any: "ANY"
        default: "TYPE\(rawValue)"
        }
    }
}

/// A record class; only IN matters here. For OPT records the field carries the UDP payload size instead.
public struct DNSClass: RawRepresentable, Hashable, Sendable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let internet = DNSClass(rawValue: 1)
    public static let any = DNSClass(rawValue: 255)
}

/// The start of authority fields (RFC 1035 3.3.13).
public struct DNSSOA: Hashable, Sendable {
    public var primary: DNSName
    public var mailbox: DNSName
    public var serial: UInt32
    public var refresh: UInt32
    public var retry: UInt32
    public var expire: UInt32
    public var minimum: UInt32

    public init(
        primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32,
        minimum: UInt32
    ) {
        self.primary = primary
        self.mailbox = mailbox
        self.serial = serial
        self.refresh = refresh
        self.retry = retry
        self.expire = expire
        self.minimum = minimum
    }
}

/// A record's data, decoded for the types the server uses and raw for every other type (and OPT).
public enum DNSRecordData: Hashable, Sendable {
    case a(IPAddress)
    case aaaa(IPAddress)
    case ptr(DNSName)
    case cname(DNSName)
    case ns(DNSName)
    case soa(DNSSOA)
    /// The character strings, each at most 255 bytes.
    case txt([[UInt8]])
    case raw([UInt8])
}

/// A resource record.
public struct DNSRecord: Hashable, Sendable {
    public var name: DNSName
    public var type: DNSType
    public var recordClass: DNSClass
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, type: DNSType, recordClass: DNSClass = .internet, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    /// An A or AAAA record for `address`, whichever fits its family.
    public static func address(_ name: DNSName, _ address: IPAddress, ttl: UInt32) -> DNSRecord {
        address.isIPv4
            ? DNSRecord(name: name, type: .a, ttl: ttl, data: .a(address))
            : DNSRecord(name: name, type: .aaaa, ttl: ttl, data: .aaaa(address))
    }
}

/// A question: the name, type and class asked for.
public struct DNSQuestion: Hashable, Sendable {
    public var name: DNSName
    public var type: DNSType
    public var questionClass: DNSClass

    public init(name: DNSName, type: DNSType, questionClass: DNSClass = .internet) {
        self.name = name
        self.type = type
        self.questionClass = questionClass
    }
}

/// The EDNS0 fields an OPT pseudo-record carries (RFC 6891 6.1.2); options stay raw.
public struct DNSEDNS: Hashable, Sendable {
    public var udpPayloadSize: UInt16
    public var extendedRcode: UInt8
    public var version: UInt8
    public var dnssecOK: Bool
    public var options: [UInt8]

    public init(udpPayloadSize: UInt16 = 1232, extendedRcode: UInt8 = 0, version: UInt8 = 0, dnssecOK: Bool = false, options: [UInt8] = []) {
        self.udpPayloadSize = udpPayloadSize
        self.extendedRcode = extendedRcode
        self.version = version
        self.dnssecOK = dnssecOK
        self.options = options
    }

    /// Reads an OPT record; nil for any other record.
    public init?(_ record: DNSRecord) {
        guard record.type == .opt else { return nil }
        udpPayloadSize = record.recordClass.rawValue
        extendedRcode = UInt8(truncatingIfNeeded: record.ttl >> 24)
        version = UInt8(truncatingIfNeeded: record.ttl >> 16)
        dnssecOK = record.ttl & 0x8000 != 0
        if case .raw(let bytes) = record.data { options = bytes } else { options = [] }
    }

    /// The OPT pseudo-record (owner: the root name).
    public var record: DNSRecord {
        let ttl = UInt32(extendedRcode) << 24 | UInt32(version) << 16 | (dnssecOK ? 0x8000 : 0)
        return DNSRecord(name: .root, type: .opt, recordClass: DNSClass(rawValue: udpPayloadSize), ttl: ttl, data: .raw(options))
    }
}
