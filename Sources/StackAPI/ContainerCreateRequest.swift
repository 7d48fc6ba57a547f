/// The body of `POST /containers/create`, in the Docker Engine API's shape (PascalCase JSON keys).
///
/// Every key is optional on the wire: a missing key (or `null`) decodes to the default shown here.
/// `Cmd` and `Entrypoint` stay optional because "not given" (use the image's) differs from "given empty".
public struct ContainerCreateRequest: Codable, Sendable, Hashable {
    /// The image reference (name, name:tag or id).
    public var image: String
    /// The command; nil uses the image's (unless an entrypoint is given, see `OCISpecBuilder`).
    public var cmd: [String]?
    /// The entrypoint; nil uses the image's, `[]` or `[""]` clears it.
    public var entrypoint: [String]?
    /// `NAME=value` entries, overriding the image's by name; a bare `NAME` removes the variable.
    public var env: [String]
    /// Absolute working directory; empty uses the image's (or `/`).
    public var workingDir: String
    /// `user`, `uid`, `user:group` or `uid:gid`; empty uses the image's (or root).
    public var user: String
    /// Empty means the engine's default (the short id).
    public var hostname: String
    public var domainname: String
    public var labels: [String: String]
    /// Allocate a pseudoterminal.
    public var tty: Bool
    /// Keep stdin open (`-i`).
    public var openStdin: Bool
    /// Close stdin after the first attached client detaches.
    public var stdinOnce: Bool
    /// The signal `stop` sends (`SIGTERM` when nil).
    public var stopSignal: String?
    /// Seconds `stop` waits before SIGKILL (10 when nil).
    public var stopTimeout: Int?
    public var hostConfig: HostConfig
    /// Ports the container listens on (`--expose`, the image's EXPOSE): `80/tcp`, `53/udp`; sorted.
    /// Docker's JSON is a set: `"ExposedPorts": {"80/tcp": {}}`.
    public var exposedPorts: [String]
    /// The networks to attach at create time (`--network NAME --ip … --alias …`), by name or id.
    public var networkingConfig: NetworkingConfig?
    /// Anonymous volume paths (`-v /path`); JSON `"Volumes": {"/path": {}}`, sorted.
    public var volumes: [String] = []
    /// The healthcheck (`Healthcheck`); nil inherits the image's.
    public var healthcheck: HealthConfig?

    public init(
        image: String, cmd: [String]? = nil, entrypoint: [String]? = nil, env: [String] = [], workingDir: String = "",
        user: String = "", hostname: String = "", domainname: String = "", labels: [String: String] = [:],
        tty: Bool = false, openStdin: Bool = false, stdinOnce: Bool = false, stopSignal: String? = nil,
        stopTimeout: Int? = nil, hostConfig: HostConfig = HostConfig(), exposedPorts: [String] = [],
        networkingConfig: NetworkingConfig? = nil
    ) {
        self.image = image
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.env = env
        self.workingDir = workingDir
        self.user = user
        self.hostname = hostname
        self.domainname = domainname
        self.labels = labels
        self.tty = tty
        self.openStdin = openStdin
        self.stdinOnce = stdinOnce
        self.stopSignal = stopSignal
        self.stopTimeout = stopTimeout
        self.hostConfig = hostConfig
        self.exposedPorts = exposedPorts
        self.networkingConfig = networkingConfig
    }

    enum CodingKeys: String, CodingKey {
        case image = "Image", cmd = "Cmd", entrypoint = "Entrypoint", env = "Env", workingDir = "WorkingDir"
        case user = "User", hostname = "Hostname", domainname = "Domainname", labels = "Labels", tty = "Tty"
        case openStdin = "OpenStdin", stdinOnce = "StdinOnce", stopSignal = "StopSignal"
        case stopTimeout = "StopTimeout", hostConfig = "HostConfig", exposedPorts = "ExposedPorts"
        case networkingConfig = "NetworkingConfig"
        case volumes = "Volumes"
        case healthcheck = "Healthcheck"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        image = try c.decodeIfPresent(String.self, forKey: .image) ?? ""
        cmd = try Self.decodeStrings(c, .cmd)
        entrypoint = try Self.decodeStrings(c, .entrypoint)
        env = try c.decodeIfPresent([String].self, forKey: .env) ?? []
        workingDir = try c.decodeIfPresent(String.self, forKey: .workingDir) ?? ""
        user = try c.decodeIfPresent(String.self, forKey: .user) ?? ""
        hostname = try c.decodeIfPresent(String.self, forKey: .hostname) ?? ""
        domainname = try c.decodeIfPresent(String.self, forKey: .domainname) ?? ""
        labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        tty = try c.decodeIfPresent(Bool.self, forKey: .tty) ?? false
        openStdin = try c.decodeIfPresent(Bool.self, forKey: .openStdin) ?? false
        stdinOnce = try c.decodeIfPresent(Bool.self, forKey: .stdinOnce) ?? false
        stopSignal = try c.decodeIfPresent(String.self, forKey: .stopSignal)
        stopTimeout = try c.decodeIfPresent(Int.self, forKey: .stopTimeout)
        hostConfig = try c.decodeIfPresent(HostConfig.self, forKey: .hostConfig) ?? HostConfig()
        exposedPorts = try PortSet.decode(c, .exposedPorts)
        networkingConfig = try c.decodeIfPresent(NetworkingConfig.self, forKey: .networkingConfig)
        volumes = try c.decodeIfPresent([String: EmptyObject].self, forKey: .volumes)?.keys.sorted() ?? []
        healthcheck = try c.decodeIfPresent(HealthConfig.self, forKey: .healthcheck)
    }

    /// Docker accepts `Cmd`/`Entrypoint` as an array or as a single string (a one-element array).
    private static func decodeStrings(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String]? {
        if let single = try? c.decodeIfPresent(String.self, forKey: key) { return [single] }
        return try c.decodeIfPresent([String].self, forKey: key)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(image, forKey: .image)
        try c.encodeIfPresent(cmd, forKey: .cmd)
        try c.encodeIfPresent(entrypoint, forKey: .entrypoint)
        try c.encode(env, forKey: .env)
        try c.encode(workingDir, forKey: .workingDir)
        try c.encode(user, forKey: .user)
        try c.encode(hostname, forKey: .hostname)
        try c.encode(domainname, forKey: .domainname)
        try c.encode(labels, forKey: .labels)
        try c.encode(tty, forKey: .tty)
        try c.encode(openStdin, forKey: .openStdin)
        try c.encode(stdinOnce, forKey: .stdinOnce)
        try c.encodeIfPresent(stopSignal, forKey: .stopSignal)
        try c.encodeIfPresent(stopTimeout, forKey: .stopTimeout)
        try c.encode(hostConfig, forKey: .hostConfig)
        if !exposedPorts.isEmpty { try PortSet.encode(exposedPorts, &c, .exposedPorts) }
        try c.encodeIfPresent(networkingConfig, forKey: .networkingConfig)
        if !volumes.isEmpty {
            try c.encode(Dictionary(volumes.map { ($0, EmptyObject()) }, uniquingKeysWith: { a, _ in a }), forKey: .volumes)
        }
        try c.encodeIfPresent(healthcheck, forKey: .healthcheck)
    }
}

/// `{}`: the value of each key in Docker's set-like objects (`"Volumes": {"/data": {}}`).
public struct EmptyObject: Codable, Sendable, Hashable {
    public init() {}
}
