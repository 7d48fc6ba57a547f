/// The desired state of one service: everything needed to create its containers.
///
/// Collections are empty rather than nil when the stack file leaves them out. Optionals are nil
/// when the image or engine default applies. Durations are `Swift.Duration`, byte sizes are bytes
/// (`Int64`).
public struct Service: Sendable, Hashable, Codable {
    /// The key under `services:`.
    public var name: String

    // MARK: Image and process
    public var image: String?
    public var build: BuildConfig?
    public var pullPolicy: PullPolicy?
    /// The command; nil means the image's `CMD`, `[]` means explicitly empty.
    public var command: [String]?
    /// The entrypoint; nil means the image's `ENTRYPOINT`, `[]` clears it.
    public var entrypoint: [String]?
    /// Variables; a nil value means "declared but unset", which Compose leaves out of the container.
    public var environment: [String: String?]
    /// The env files the environment was read from, resolved to absolute paths.
    public var envFiles: [EnvFile]
    public var workingDir: String?
    public var user: String?
    public var groupAdd: [String]
    /// Run an init process (`init:`) as PID 1.
    public var useInit: Bool?
    public var tty: Bool
    public var stdinOpen: Bool
    public var stopSignal: String?
    public var stopGracePeriod: Duration?
    public var healthcheck: HealthCheck?
    public var restart: RestartPolicy?
    public var postStart: [ServiceHook]
    public var preStop: [ServiceHook]

    // MARK: Identity
    public var containerName: String?
    public var hostname: String?
    public var domainname: String?
    public var labels: [String: String]
    public var annotations: [String: String]
    public var profiles: [String]
    public var platform: String?
    public var runtime: String?

    // MARK: Networking
    public var ports: [PortMapping]
    /// Ports exposed to other containers only (`"3000"`, `"8000-8010"`, `"53/udp"`).
    public var expose: [String]
    /// Networks to join, by their key under the top-level `networks:`.
    public var networks: [String: ServiceNetwork]
    public var networkMode: NetworkMode?
    public var dns: [String]
    public var dnsSearch: [String]
    public var dnsOpt: [String]
    public var extraHosts: [ExtraHost]
    public var macAddress: String?
    public var links: [String]
    public var externalLinks: [String]

    // MARK: Storage
    public var volumes: [ServiceMount]
    public var volumesFrom: [VolumesFrom]
    /// Paths mounted as tmpfs (`/run`, `/tmp:size=64m`).
    public var tmpfs: [String]
    public var secrets: [FileReference]
    public var configs: [FileReference]
    public var readOnly: Bool
    public var shmSize: Int64?

    // MARK: Dependencies and scale
    /// Services this one waits for, by name.
    public var dependsOn: [String: Dependency]
    public var deploy: DeployConfig?
    public var scale: Int?
    public var develop: DevelopConfig?

    // MARK: Resources
    public var memLimit: Int64?
    public var memReservation: Int64?
    /// Memory plus swap in bytes; -1 for unlimited swap.
    public var memswapLimit: Int64?
    public var memSwappiness: Int?
    public var cpus: Double?
    public var cpuShares: Int64?
    public var cpuQuota: Int64?
    public var cpuPeriod: Int64?
    public var cpuset: String?
    public var blkioConfig: BlkioConfig?
    public var pidsLimit: Int64?
    public var ulimits: [String: Ulimit]
    public var oomScoreAdj: Int?
    public var oomKillDisable: Bool?
    public var devices: [DeviceMapping]

    // MARK: Security and namespaces
    public var privileged: Bool
    public var capAdd: [String]
    public var capDrop: [String]
    public var securityOpt: [String]
    public var sysctls: [String: String]
    public var ipc: String?
    public var pid: String?
    public var uts: String?
    public var usernsMode: String?
    public var cgroup: String?
    public var cgroupParent: String?
    public var logging: LoggingConfig?

    /// A service with the given name and everything else at its default.
    public init(name: String, image: String? = nil) {
        self.name = name
        self.image = image
        environment = [:]
        envFiles = []
        groupAdd = []
        tty = false
        stdinOpen = false
        postStart = []
        preStop = []
        labels = [:]
        annotations = [:]
        profiles = []
        ports = []
        expose = []
        networks = [:]
        dns = []
        dnsSearch = []
        dnsOpt = []
        extraHosts = []
        links = []
        externalLinks = []
        volumes = []
        volumesFrom = []
        tmpfs = []
        secrets = []
        configs = []
        readOnly = false
        dependsOn = [:]
        ulimits = [:]
        devices = []
        privileged = false
        capAdd = []
        capDrop = []
        securityOpt = []
        sysctls = [:]
    }

    /// How many containers to run: `deploy.replicas`, else `scale`, else 1.
    public var replicas: Int { deploy?.replicas ?? scale ?? 1 }

    /// The restart policy in effect: `restart`, else `deploy.restart_policy`, else `no`.
    public var effectiveRestartPolicy: RestartPolicy {
        restart ?? deploy?.restartPolicy?.restartPolicy ?? .no
    }

    /// The services this one needs to exist first: `depends_on` keys, plus `containerParents`.
    /// Sorted, without duplicates.
    public var serviceDependencies: [String] {
        var names = Set(dependsOn.keys).union(containerParents)
        names.remove(name)
        return names.sorted()
    }

    /// The services whose containers this one's are built on: `network_mode: service:x`,
    /// `volumes_from` and `links` (a link is written into /etc/hosts with the target's address, and
    /// Compose adds it to depends_on). Sorted, without duplicates, never the service itself.
    public var containerParents: [String] {
        var names: Set<String> = []
        if let parent = networkMode?.serviceDependency { names.insert(parent) }
        for entry in volumesFrom {
            if case .service(let parent) = entry.source { names.insert(parent) }
        }
        for link in links {
            if let target = link.split(separator: ":").first { names.insert(String(target)) }
        }
        names.remove(name)
        return names.sorted()
    }
}
