/// `POST /volumes/create`.
public struct VolumeCreateRequest: Codable, Sendable, Hashable {
    /// Empty: the daemon picks an anonymous name.
    public var name: String
    /// Empty or `local`.
    public var driver: String
    public var driverOpts: [String: String]
    public var labels: [String: String]

    public init(name: String = "", driver: String = "", driverOpts: [String: String] = [:], labels: [String: String] = [:]) {
        self.name = name
        self.driver = driver
        self.driverOpts = driverOpts
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", driverOpts = "DriverOpts", labels = "Labels"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? ""
        driverOpts = try c.decodeIfPresent([String: String].self, forKey: .driverOpts) ?? [:]
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
    }
}

/// A volume as `GET /volumes/{name}` and `docker volume inspect` show it.
public struct Volume: Codable, Sendable, Hashable {
    public var name: String
    public var driver: String
    /// The host path of the volume's files (`…/volumes/NAME/_data`).
    public var mountpoint: String
    /// RFC 3339.
    public var createdAt: String
    public var labels: [String: String]
    /// Always `local`.
    public var scope: String
    public var options: [String: String]
    /// Only filled by `GET /system/df`-style requests; nil otherwise (encoded as absent).
    public var usageData: UsageData?

    /// Size in bytes (-1: not computed) and the number of containers using the volume.
    public struct UsageData: Codable, Sendable, Hashable {
        public var size: Int64
        public var refCount: Int64

        public init(size: Int64, refCount: Int64) {
            self.size = size
            self.refCount = refCount
        }

        enum CodingKeys: String, CodingKey { case size = "Size", refCount = "RefCount" }
    }

    public init(
        name: String, driver: String = "local", mountpoint: String, createdAt: String, labels: [String: String] = [:],
        scope: String = "local", options: [String: String] = [:], usageData: UsageData? = nil
    ) {
        self.name = name
        self.driver = driver
        self.mountpoint = mountpoint
        self.createdAt = createdAt
        self.labels = labels
        self.scope = scope
        self.options = options
        self.usageData = usageData
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", driver = "Driver", mountpoint = "Mountpoint", createdAt = "CreatedAt", labels = "Labels"
        case scope = "Scope", options = "Options", usageData = "UsageData"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? "local"
        mountpoint = try c.decodeIfPresent(String.self, forKey: .mountpoint) ?? ""
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt) ?? ""
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        scope = try c.decodeIfPresent(String.self, forKey: .scope) ?? "local"
        options = try c.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
        usageData = try c.decodeIfPresent(UsageData.self, forKey: .usageData)
    }
}

/// `GET /volumes`.
public struct VolumeListResponse: Codable, Sendable, Hashable {
    public var volumes: [Volume]
    public var warnings: [String]

    public init(volumes: [Volume], warnings: [String] = []) {
        self.volumes = volumes
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey { case volumes = "Volumes", warnings = "Warnings" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        volumes = try c.decodeIfPresent([Volume].self, forKey: .volumes) ?? []
        warnings = try c.decodeIfPresent([String].self, forKey: .warnings) ?? []
    }
}

/// `POST /volumes/prune`.
public struct VolumePruneResponse: Codable, Sendable, Hashable {
    public var volumesDeleted: [String]
    /// Bytes.
    public var spaceReclaimed: UInt64

    public init(volumesDeleted: [String] = [], spaceReclaimed: UInt64 = 0) {
        self.volumesDeleted = volumesDeleted
        self.spaceReclaimed = spaceReclaimed
    }

    enum CodingKeys: String, CodingKey { case volumesDeleted = "VolumesDeleted", spaceReclaimed = "SpaceReclaimed" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        volumesDeleted = try c.decodeIfPresent([String].self, forKey: .volumesDeleted) ?? []
        spaceReclaimed = try c.decodeIfPresent(UInt64.self, forKey: .spaceReclaimed) ?? 0
    }
}
