/// An `extra_hosts` entry: a line added to the containers' `/etc/hosts`.
public struct ExtraHost: Sendable, Hashable, Codable, CustomStringConvertible {
    public var hostname: String
    public var address: String

    public init(hostname: String, address: String) {
        self.hostname = hostname
        self.address = address
    }

    /// Parses `host=address` or the legacy `host:address` (split at the first colon).
    public init?(parsing text: String) {
        let separator = text.firstIndex(of: "=") ?? text.firstIndex(of: ":")
        guard let separator else { return nil }
        let hostname = String(text[..<separator])
        var address = String(text[text.index(after: separator)...])
        if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
        guard !hostname.isEmpty, !address.isEmpty else { return nil }
        self.init(hostname: hostname, address: address)
    }

    /// `host=address`, as Compose prints it.
    public var description: String { "\(hostname)=\(address)" }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let host = ExtraHost(parsing: text) else {
            throw container.invalid("invalid extra_hosts entry \"\(text)\"; expected \"host=address\"")
        }
        self = host
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension KeyedDecodingContainer {
    /// `extra_hosts` as a list of `host=address` strings, or a mapping of host to an address or
    /// a list of addresses (sorted by host).
    func extraHosts(_ key: Key) throws -> [ExtraHost] {
        do {
            return try decodeIfPresent([ExtraHost].self, forKey: key) ?? []
        } catch {
            guard let map = try? nestedContainer(keyedBy: AnyCodingKey.self, forKey: key) else { throw error }
            var hosts: [ExtraHost] = []
            for host in map.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                let addresses: [String]
                if let list = try? map.decode([String].self, forKey: host) {
                    addresses = list
                } else {
                    addresses = [try map.decode(String.self, forKey: host)]
                }
                hosts += addresses.map { ExtraHost(hostname: host.stringValue, address: $0) }
            }
            return hosts
        }
    }
}

/// A host device made available in the containers (`devices:`).
public struct DeviceMapping: Sendable, Hashable, Codable {
    public var source: String
    public var target: String
    /// cgroup permissions: some of `r`, `w`, `m`.
    public var permissions: String

    public init(source: String, target: String? = nil, permissions: String = "rwm") {
        self.source = source
        self.target = target ?? source
        self.permissions = permissions
    }

    /// Parses `source[:target[:permissions]]`; nil when malformed.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...3).contains(parts.count), !parts[0].isEmpty else { return nil }
        if parts.count == 2, parts[1].allSatisfy({ "rwm".contains($0) }), !parts[1].hasPrefix("/") {
            self.init(source: parts[0], permissions: parts[1])
        } else {
            self.init(
                source: parts[0], target: parts.count > 1 ? parts[1] : nil,
                permissions: parts.count > 2 ? parts[2] : "rwm")
        }
    }

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            guard let device = DeviceMapping(parsing: text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: decoder.codingPath, debugDescription: "invalid device \"\(text)\""))
            }
            self = device
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            source: try c.decode(String.self, forKey: .source), target: try c.optional(.target),
            permissions: try c.value(.permissions, or: "rwm"))
    }
}

/// A service's `logging` section.
public struct LoggingConfig: Sendable, Hashable, Codable {
    public var driver: String?
    public var options: [String: String]

    public init(driver: String? = nil, options: [String: String] = [:]) {
        self.driver = driver
        self.options = options
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        driver = try c.optional(.driver)
        options = try c.stringMap(.options)
    }
}
