/// One container as `GET /containers/json` lists it (Docker's list shape, PascalCase keys).
public struct ContainerSummary: Codable, Sendable, Hashable {
    public var id: String
    /// Docker's form: `["/name"]`.
    public var names: [String]
    /// The reference the container was created from, as the user wrote it.
    public var image: String
    public var imageID: String
    /// The command line, joined with spaces (entrypoint then command).
    public var command: String
    /// Seconds since the epoch.
    public var created: Int64
    /// created, running, paused, restarting, removing, exited, dead.
    public var state: String
    /// Human status: `Up 3 seconds`, `Exited (0) 2 minutes ago`, `Created`.
    public var status: String
    public var exitCode: Int32
    public var labels: [String: String]
    /// Published ports of a running container (Docker's `Ports`).
    public var ports: [ContainerPortSummary]
    /// The networks the container is on, by name (Docker's `NetworkSettings.Networks` keys).
    public var networks: [String]
    /// Its volume, bind and tmpfs mounts, as inspect's `Mounts`.
    public var mounts: [MountPoint]

    public init(
        id: String, names: [String], image: String, imageID: String, command: String, created: Int64,
        state: String, status: String, exitCode: Int32, labels: [String: String], ports: [ContainerPortSummary] = [],
        networks: [String] = [], mounts: [MountPoint] = []
    ) {
        self.ports = ports
        self.networks = networks
        self.mounts = mounts
        self.id = id
        self.names = names
        self.image = image
        self.imageID = imageID
        self.command = command
        self.created = created
        self.state = state
        self.status = status
        self.exitCode = exitCode
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", names = "Names", image = "Image", imageID = "ImageID", command = "Command"
        case created = "Created", state = "State", status = "Status", exitCode = "ExitCode", labels = "Labels"
        case ports = "Ports", networks = "Networks", mounts = "Mounts"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        names = try c.decodeIfPresent([String].self, forKey: .names) ?? []
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        imageID = try c.decodeIfPresent(String.self, forKey: .imageID) ?? ""
        command = try c.decodeIfPresent(String.self, forKey: .command) ?? ""
        created = try c.decodeIfPresent(Int64.self, forKey: .created) ?? 0
        state = try c.decodeIfPresent(String.self, forKey: .state) ?? ""
        status = try c.decodeIfPresent(String.self, forKey: .status) ?? ""
        exitCode = try c.decodeIfPresent(Int32.self, forKey: .exitCode) ?? 0
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        ports = try c.decodeIfPresent([ContainerPortSummary].self, forKey: .ports) ?? []
        networks = try c.decodeIfPresent([String].self, forKey: .networks) ?? []
        mounts = try c.decodeIfPresent([MountPoint].self, forKey: .mounts) ?? []
    }
}

/// One published port in a container list (`0.0.0.0:8080->80/tcp`).
public struct ContainerPortSummary: Codable, Sendable, Hashable {
    public var ip: String
    public var privatePort: UInt16
    public var publicPort: UInt16?
    public var type: String

    public init(ip: String, privatePort: UInt16, publicPort: UInt16?, type: String) {
        self.ip = ip
        self.privatePort = privatePort
        self.publicPort = publicPort
        self.type = type
    }

    enum CodingKeys: String, CodingKey {
        case ip = "IP", privatePort = "PrivatePort", publicPort = "PublicPort", type = "Type"
    }

    /// Docker's PORTS column text.
    public var text: String {
        guard let publicPort else { return "\(privatePort)/\(type)" }
        return "\(ip.isEmpty ? "0.0.0.0" : ip):\(publicPort)->\(privatePort)/\(type)"
    }
}
