/// One host side of a published port (`HostConfig.PortBindings`, `NetworkSettings.Ports`):
/// `{"HostIp": "127.0.0.1", "HostPort": "8080"}`.
///
/// Both are strings as in Docker: an empty `HostIp` means every address, an empty `HostPort` a random port.
public struct PortBinding: Codable, Sendable, Hashable {
    public var hostIP: String
    public var hostPort: String

    public init(hostIP: String = "", hostPort: String = "") {
        self.hostIP = hostIP
        self.hostPort = hostPort
    }

    enum CodingKeys: String, CodingKey { case hostIP = "HostIp", hostPort = "HostPort" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hostIP = try c.decodeIfPresent(String.self, forKey: .hostIP) ?? ""
        hostPort = try c.decodeIfPresent(String.self, forKey: .hostPort) ?? ""
    }
}

/// A JSON object whose content is ignored: the `{}` values of Docker's port sets (`"ExposedPorts": {"80/tcp": {}}`).
struct EmptyJSONObject: Codable, Sendable, Hashable {
    init() {}
    init(from decoder: any Decoder) throws {}
    func encode(to encoder: any Encoder) throws {
        _ = encoder.container(keyedBy: EmptyCodingKey.self)
    }
}

/// No keys (an empty object's).
struct EmptyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Docker's port sets (`{"80/tcp": {}, "53/udp": {}}`) as a sorted list of their keys.
enum PortSet {
    static func decode<K: CodingKey>(_ c: KeyedDecodingContainer<K>, _ key: K) throws -> [String] {
        (try c.decodeIfPresent([String: EmptyJSONObject].self, forKey: key) ?? [:]).keys.sorted()
    }

    static func encode<K: CodingKey>(_ ports: [String], _ c: inout KeyedEncodingContainer<K>, _ key: K) throws {
        try c.encode(Dictionary(ports.map { ($0, EmptyJSONObject()) }, uniquingKeysWith: { first, _ in first }), forKey: key)
    }
}
