import StackModel

/// One `depends_on` entry as the plan uses it: whom to wait for, and for what.
public struct ServiceWait: Sendable, Hashable, CustomStringConvertible {
    public var service: String
    public var condition: Dependency.Condition
    /// False: a missing dependency is skipped instead of failing the start.
    public var required: Bool
    /// Restart the dependent when this dependency is restarted or recreated.
    public var restart: Bool

    public init(service: String, condition: Dependency.Condition, required: Bool = true, restart: Bool = false) {
        self.service = service
        self.condition = condition
        self.required = required
        self.restart = restart
    }

    /// `db:service_healthy`, with `?` behind an optional one.
    public var description: String { "\(service):\(condition.rawValue)" + (required ? "" : "?") }
}

/// The desired state of one service: its containers and what they attach to.
public struct DesiredService: Sendable, Hashable {
    /// The service as loaded.
    public var service: Service
    /// The services this one needs first: those it waits for and its parents, sorted (its
    /// `Service.serviceDependencies`).
    public var needs: [String] { service.serviceDependencies }
    public var project: String
    public var configHash: ConfigHash
    /// How many containers to run (`--scale`, `deploy.replicas`, `scale`, else 1).
    public var replicas: Int
    /// The resolved image ID, when known.
    public var imageID: String?
    /// Engine names of the networks every container must be attached to (none with `network_mode`).
    public var networks: [String]
    /// Engine names of the named volumes every container must mount.
    public var volumes: [String]
    /// The `depends_on` entries, sorted by service.
    public var waits: [ServiceWait]
    /// Services whose containers this one's containers are built on (`volumes_from`,
    /// `network_mode: service:`, `links`): when one is recreated, this one must be too.
    public var parents: [String]
    /// Labels every container of the service carries, but the container number.
    public var baseLabels: [String: String]

    public var name: String { service.name }

    /// A service that runs once: restart policy `no`. Exited 0 and unchanged, it is not run again.
    public var isOneShot: Bool { service.effectiveRestartPolicy == .no }

    public init(
        project: Project, service: Service, replicas: Int, imageID: String?, networks: [String], volumes: [String],
        configFiles: [String], version: String
    ) {
        self.service = service
        self.project = project.name
        self.configHash = ConfigHash(service: service)
        self.replicas = replicas
        self.imageID = imageID
        self.networks = networks
        self.volumes = volumes
        waits = service.dependsOn.keys.sorted().compactMap { key in
            service.dependsOn[key].map {
                ServiceWait(service: key, condition: $0.condition, required: $0.required, restart: $0.restart)
            }
        }
        // A new parent container (a new namespace, volumes or, for a link, address) means a new
        // container here too.
        self.parents = service.containerParents
        var labels = service.labels
        let compose: [String: String] = [
            ComposeLabel.project: project.name,
            ComposeLabel.service: service.name,
            ComposeLabel.configHash: configHash.digest,
            ComposeLabel.configFields: configHash.fieldsLabel,
            ComposeLabel.oneOff: "False",
            ComposeLabel.configFiles: configFiles.joined(separator: ","),
            ComposeLabel.workingDir: project.workingDirectory,
            ComposeLabel.dependsOn: waits.map { "\($0.service):\($0.condition.rawValue):\($0.restart)" }
                .joined(separator: ","),
            ComposeLabel.image: imageID ?? service.image ?? "",
            ComposeLabel.version: version,
        ]
        labels.merge(compose) { _, composeValue in composeValue }
        baseLabels = labels
    }

    /// The container name for replica `number`: `container_name`, else `<project>-<service>-<number>`.
    public func containerName(number: Int) -> String {
        service.containerName ?? "\(project)-\(service.name)-\(number)"
    }

    /// The container for replica `number`, with all its labels.
    public func container(number: Int) -> DesiredContainer {
        var labels = baseLabels
        labels[ComposeLabel.containerNumber] = String(number)
        return DesiredContainer(service: name, number: number, name: containerName(number: number), labels: labels)
    }

    /// The containers of a fresh start: numbers 1 through `replicas`.
    public var containers: [DesiredContainer] {
        replicas > 0 ? (1...replicas).map { container(number: $0) } : []
    }
}

/// One container the project should have.
public struct DesiredContainer: Sendable, Hashable {
    public var service: String
    /// The replica number, from 1.
    public var number: Int
    /// `<project>-<service>-<number>`, or the service's `container_name`.
    public var name: String
    /// Every label it is created with.
    public var labels: [String: String]

    public init(service: String, number: Int, name: String, labels: [String: String]) {
        self.service = service
        self.number = number
        self.name = name
        self.labels = labels
    }
}
