/// A named volume of the project (top-level `volumes:`).
public struct Volume: Sendable, Hashable, Codable {
    /// The key under `volumes:`, which service mounts use as `source`.
    public var key: String
    /// The real name on the engine, e.g. `myproject_data` (after name resolution).
    public var name: String
    public var driver: String?
    public var driverOpts: [String: String]
    /// Created outside the project: never created or removed by it.
    public var external: Bool
    public var labels: [String: String]

    public init(
        key: String, name: String, driver: String? = nil, driverOpts: [String: String] = [:], external: Bool = false,
        labels: [String: String] = [:]
    ) {
        self.key = key
        self.name = name
        self.driver = driver
        self.driverOpts = driverOpts
        self.external = external
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name, driver, external, labels
        case driverOpts = "driver_opts"
    }

    /// Decodes a volume definition; `key` is the last key of the coding path.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: decoder.codingPath.last?.stringValue ?? "", name: try c.value(.name, or: ""),
            driver: try c.optional(.driver), driverOpts: try c.stringMap(.driverOpts),
            external: try c.externalFlag(.external), labels: try c.stringMap(.labels))
    }
}
