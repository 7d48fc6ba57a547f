/// A container as `GET /containers/{id}/json` describes it: Docker's inspect shape (PascalCase keys),
/// so scripts written against `docker inspect` find the fields they use.
public struct ContainerInspect: Codable, Sendable {
    public var id: String
    /// RFC 3339 with nanoseconds, UTC.
    public var created: String
    public var path: String
    public var args: [String]
    public var state: ContainerStateInfo
    /// The image id (`sha256:…`).
    public var image: String
    /// Docker's form: `/name`.
    public var name: String
    public var restartCount: Int
    public var logPath: String
    public var hostConfig: HostConfig
    public var config: ContainerConfigInfo
    /// Published ports and the container's endpoints; nil from engines that do not report them.
    public var networkSettings: NetworkSettings?
    /// What is mounted where (`Mounts`); empty when the container has no mounts.
    public var mounts: [MountPoint] = []

    public init(
        id: String, created: String, path: String, args: [String], state: ContainerStateInfo, image: String,
        name: String, restartCount: Int, logPath: String, hostConfig: HostConfig, config: ContainerConfigInfo,
        networkSettings: NetworkSettings? = nil
    ) {
        self.id = id
        self.created = created
        self.path = path
        self.args = args
        self.state = state
        self.image = image
        self.name = name
        self.restartCount = restartCount
        self.logPath = logPath
        self.hostConfig = hostConfig
        self.config = config
        self.networkSettings = networkSettings
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", created = "Created", path = "Path", args = "Args", state = "State", image = "Image"
        case name = "Name", restartCount = "RestartCount", logPath = "LogPath", hostConfig = "HostConfig"
        case config = "Config", networkSettings = "NetworkSettings"
        case mounts = "Mounts"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        created = try c.decode(String.self, forKey: .created)
        path = try c.decode(String.self, forKey: .path)
        args = try c.decode([String].self, forKey: .args)
        state = try c.decode(ContainerStateInfo.self, forKey: .state)
        image = try c.decode(String.self, forKey: .image)
        name = try c.decode(String.self, forKey: .name)
        restartCount = try c.decode(Int.self, forKey: .restartCount)
        logPath = try c.decode(String.self, forKey: .logPath)
        hostConfig = try c.decode(HostConfig.self, forKey: .hostConfig)
        config = try c.decode(ContainerConfigInfo.self, forKey: .config)
        networkSettings = try c.decodeIfPresent(NetworkSettings.self, forKey: .networkSettings)
        mounts = try c.decodeIfPresent([MountPoint].self, forKey: .mounts) ?? []
    }
}

/// `State` of an inspected container.
public struct ContainerStateInfo: Codable, Sendable, Hashable {
    /// created, running, paused, restarting, removing, exited, dead.
    public var status: String
    public var running: Bool
    public var paused: Bool
    public var restarting: Bool
    public var oomKilled: Bool
    public var dead: Bool
    public var pid: Int32
    public var exitCode: Int32
    public var error: String
    /// RFC 3339 times; Docker's zero time `0001-01-01T00:00:00Z` when it never happened.
    public var startedAt: String
    public var finishedAt: String
    /// With a healthcheck: its status and last probes.
    public var health: HealthState?
    /// stack's extension: when a container waiting under its restart policy is started again
    /// (RFC 3339); nil when no restart is pending.
    public var nextRestartAt: String?

    public init(
        status: String, running: Bool, paused: Bool, restarting: Bool, oomKilled: Bool, dead: Bool, pid: Int32,
        exitCode: Int32, error: String, startedAt: String, finishedAt: String, health: HealthState? = nil,
        nextRestartAt: String? = nil
    ) {
        self.health = health
        self.nextRestartAt = nextRestartAt
        self.status = status
        self.running = running
        self.paused = paused
        self.restarting = restarting
        self.oomKilled = oomKilled
        self.dead = dead
        self.pid = pid
        self.exitCode = exitCode
        self.error = error
        self.startedAt = startedAt
        self.finishedAt = finishedAt
    }

    enum CodingKeys: String, CodingKey {
        case status = "Status", running = "Running", paused = "Paused", restarting = "Restarting"
        case oomKilled = "OOMKilled", dead = "Dead", pid = "Pid", exitCode = "ExitCode", error = "Error"
        case startedAt = "StartedAt", finishedAt = "FinishedAt", health = "Health", nextRestartAt = "NextRestartAt"
    }
}

/// `Config` of an inspected container: what it runs, after the image's defaults were applied.
public struct ContainerConfigInfo: Codable, Sendable, Hashable {
    public var hostname: String
    public var domainname: String
    public var user: String
    public var tty: Bool
    public var openStdin: Bool
    public var env: [String]
    public var cmd: [String]
    public var entrypoint: [String]?
    /// The reference the user asked for.
    public var image: String
    public var workingDir: String
    public var labels: [String: String]
    public var stopSignal: String?

    public init(
        hostname: String, domainname: String, user: String, tty: Bool, openStdin: Bool, env: [String], cmd: [String],
        entrypoint: [String]?, image: String, workingDir: String, labels: [String: String], stopSignal: String?
    ) {
        self.hostname = hostname
        self.domainname = domainname
        self.user = user
        self.tty = tty
        self.openStdin = openStdin
        self.env = env
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.image = image
        self.workingDir = workingDir
        self.labels = labels
        self.stopSignal = stopSignal
    }

    enum CodingKeys: String, CodingKey {
        case hostname = "Hostname", domainname = "Domainname", user = "User", tty = "Tty", openStdin = "OpenStdin"
        case env = "Env", cmd = "Cmd", entrypoint = "Entrypoint", image = "Image", workingDir = "WorkingDir"
        case labels = "Labels", stopSignal = "StopSignal"
    }
}
