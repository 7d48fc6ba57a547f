/// One row of `volumes`: a volume the daemon manages (its files live in the driver's directory).
public struct VolumeRecord: Sendable, Equatable {
    /// The volume's name (64 hex digits for an anonymous volume).
    public var name: String
    /// Always `local` for now.
    public var driver: String
    public var labels: [String: String]
    /// Driver options (`-o type=tmpfs`), kept as given.
    public var options: [String: String]
    /// RFC 3339 (`2026-01-02T03:04:05Z`), as Docker shows `CreatedAt`.
    public var createdAt: String
    /// Created for a container's `-v /path` or an image `VOLUME`, not by name.
    public var anonymous: Bool

    /// Creates a record.
    public init(
        name: String, driver: String = "local", labels: [String: String] = [:], options: [String: String] = [:],
        createdAt: String, anonymous: Bool = false
    ) {
        self.name = name
        self.driver = driver
        self.labels = labels
        self.options = options
        self.createdAt = createdAt
        self.anonymous = anonymous
    }
}
