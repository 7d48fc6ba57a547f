/// What the engine has for a project, as it lists it: the input the plan is compared with.
public struct ObservedState: Sendable, Hashable {
    public var containers: [ObservedContainer]
    public var networks: [ObservedNetwork]
    public var volumes: [ObservedVolume]

    public init(containers: [ObservedContainer] = [], networks: [ObservedNetwork] = [], volumes: [ObservedVolume] = []) {
        self.containers = containers
        self.networks = networks
        self.volumes = volumes
    }
}

/// A container's run state, as the engine reports it.
public enum ObservedContainerState: String, Sendable, Hashable, CaseIterable {
    case created, running, paused, restarting, removing, exited, dead
}

/// A container as the engine lists it.
public struct ObservedContainer: Sendable, Hashable {
    public var id: String
    /// The name, without a leading `/`.
    public var name: String
    public var labels: [String: String]
    public var state: ObservedContainerState
    /// The exit code of the last run, when it has exited.
    public var exitCode: Int?
    /// The ID of the image the container was created from.
    public var imageID: String?
    /// Names of the networks it is attached to.
    public var networks: [String]
    /// Names of the named volumes it mounts.
    public var volumes: [String]

    public init(
        id: String, name: String, labels: [String: String], state: ObservedContainerState, exitCode: Int? = nil,
        imageID: String? = nil, networks: [String] = [], volumes: [String] = []
    ) {
        self.id = id
        self.name = name
        self.labels = labels
        self.state = state
        self.exitCode = exitCode
        self.imageID = imageID
        self.networks = networks
        self.volumes = volumes
    }

    /// `com.docker.compose.project`.
    public var project: String? { labels[ComposeLabel.project] }
    /// `com.docker.compose.service`.
    public var service: String? { labels[ComposeLabel.service] }
    /// `com.docker.compose.container-number`, when it is a number.
    public var number: Int? { labels[ComposeLabel.containerNumber].flatMap { Int($0) } }
    /// `com.docker.compose.config-hash`.
    public var configHash: String? { labels[ComposeLabel.configHash] }
    /// True for `run` containers (`com.docker.compose.oneoff` = `True`), which `up` leaves alone.
    public var isOneOff: Bool { labels[ComposeLabel.oneOff]?.lowercased() == "true" }
    /// True while it runs (running or restarting).
    public var isRunning: Bool { state == .running || state == .restarting }
}

/// A network as the engine lists it.
public struct ObservedNetwork: Sendable, Hashable {
    public var id: String
    public var name: String
    public var labels: [String: String]

    public init(id: String, name: String, labels: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.labels = labels
    }
}

/// A volume as the engine lists it.
public struct ObservedVolume: Sendable, Hashable {
    public var name: String
    public var labels: [String: String]

    public init(name: String, labels: [String: String] = [:]) {
        self.name = name
        self.labels = labels
    }
}
