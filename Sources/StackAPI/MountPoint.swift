/// One entry of an inspected container's `Mounts`: what is mounted where, after resolution.
public struct MountPoint: Codable, Sendable, Hashable {
    /// `bind`, `volume` or `tmpfs`.
    public var type: String
    /// The volume's name; empty for binds and tmpfs.
    public var name: String
    /// The host path (a bind's source, a volume's `_data`); empty for tmpfs.
    public var source: String
    public var destination: String
    /// `local` for volumes, empty otherwise.
    public var driver: String
    /// The `-v` mode text (`ro,z`), or empty.
    public var mode: String
    /// False when mounted read-only.
    public var rw: Bool
    /// Binds: `rprivate` unless asked otherwise; empty for volumes and tmpfs.
    public var propagation: String

    public init(
        type: String, name: String = "", source: String, destination: String, driver: String = "", mode: String = "",
        rw: Bool = true, propagation: String = ""
    ) {
        self.type = type
        self.name = name
        self.source = source
        self.destination = destination
        self.driver = driver
        self.mode = mode
        self.rw = rw
        self.propagation = propagation
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type", name = "Name", source = "Source", destination = "Destination", driver = "Driver"
        case mode = "Mode", rw = "RW", propagation = "Propagation"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        destination = try c.decodeIfPresent(String.self, forKey: .destination) ?? ""
        driver = try c.decodeIfPresent(String.self, forKey: .driver) ?? ""
        mode = try c.decodeIfPresent(String.self, forKey: .mode) ?? ""
        rw = try c.decodeIfPresent(Bool.self, forKey: .rw) ?? true
        propagation = try c.decodeIfPresent(String.self, forKey: .propagation) ?? ""
    }
}
