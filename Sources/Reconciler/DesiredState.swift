import StackCore
import StackModel

/// What the desired state is built with besides the project.
public struct DesiredOptions: Sendable, Hashable {
    /// `--scale SERVICE=N`: replica counts that override `deploy.replicas` and `scale`.
    public var scale: [String: Int]
    /// The stack files, for `com.docker.compose.project.config_files`.
    public var configFiles: [String]
    /// Resolved image IDs by service (after pull or build), when known. A container whose image
    /// ID differs is recreated; the ID also goes into `com.docker.compose.image`.
    public var imageIDs: [String: String]
    /// The value of `com.docker.compose.version`.
    public var version: String

    public init(
        scale: [String: Int] = [:], configFiles: [String] = [], imageIDs: [String: String] = [:],
        version: String = "stack"
    ) {
        self.scale = scale
        self.configFiles = configFiles
        self.imageIDs = imageIDs
        self.version = version
    }
}

/// The desired state of a project: every container, network and volume `up` should leave
/// behind, with the labels each carries.
public struct DesiredState: Sendable, Hashable {
    public var project: String
    public var workingDirectory: String
    /// Services in dependency order (a service after the services it depends on; ties by name).
    public var services: [DesiredService]
    /// Networks, sorted by key.
    public var networks: [DesiredNetwork]
    /// Named volumes, sorted by key.
    public var volumes: [DesiredVolume]

    public init(
        project: String, workingDirectory: String, services: [DesiredService], networks: [DesiredNetwork],
        volumes: [DesiredVolume]
    ) {
        self.project = project
        self.workingDirectory = workingDirectory
        self.services = services
        self.networks = networks
        self.volumes = volumes
    }

    /// The service called `name`, if any.
    public func service(named name: String) -> DesiredService? { services.first { $0.name == name } }

    /// Builds the desired state of `project`.
    ///
    /// Throws `.invalidArgument` for a `--scale` of an unknown service or a negative count,
    /// `.invalidStackFile` for `container_name` with more than one replica or a dependency cycle.
    public init(project source: Project, options: DesiredOptions = DesiredOptions()) throws(StackError) {
        var project = source
        project.resolveResourceNames()
        for (name, count) in options.scale.sorted(by: { $0.key < $1.key }) {
            guard project.service(named: name) != nil else {
                throw StackError(.invalidArgument, "--scale: no such service: \(name)")
            }
            guard count >= 0 else { throw StackError(.invalidArgument, "--scale \(name)=\(count): must be 0 or more") }
        }
        let version = options.version
        let networkNames = Dictionary(project.networks.map { ($0.key, $0.name) }, uniquingKeysWith: { a, _ in a })
        let volumeNames = Dictionary(project.volumes.map { ($0.key, $0.name) }, uniquingKeysWith: { a, _ in a })

        var services: [DesiredService] = []
        for service in try project.dependencyOrder() {
            let replicas = options.scale[service.name] ?? service.replicas
            if service.containerName != nil, replicas > 1 {
                throw StackError(
                    .invalidStackFile,
                    "cannot run \(replicas) replicas with container_name set: container names must be unique",
                    path: "services.\(service.name).container_name")
            }
            let attached = service.networkMode == nil
                ? service.networks.keys.map { networkNames[$0] ?? "\(project.name)_\($0)" }.sorted() : []
            var mounted: Set<String> = []
            for mount in service.volumes where mount.type == .volume {
                if let source = mount.source { mounted.insert(volumeNames[source] ?? source) }
            }
            services.append(
                DesiredService(
                    project: project, service: service, replicas: max(0, replicas),
                    imageID: options.imageIDs[service.name], networks: attached, volumes: mounted.sorted(),
                    configFiles: options.configFiles, version: version))
        }
        let networks = project.networks.map { network in
            DesiredNetwork(
                key: network.key, name: network.name, external: network.external,
                labels: network.external ? [:] : network.labels.merging([
                    ComposeLabel.project: project.name, ComposeLabel.network: network.key, ComposeLabel.version: version,
                    ComposeLabel.configHash: ConfigHash.digest(of: network),
                ]) { _, compose in compose })
        }
        let volumes = project.volumes.map { volume in
            DesiredVolume(
                key: volume.key, name: volume.name, external: volume.external,
                labels: volume.external ? [:] : volume.labels.merging([
                    ComposeLabel.project: project.name, ComposeLabel.volume: volume.key, ComposeLabel.version: version,
                    ComposeLabel.configHash: ConfigHash.digest(of: volume),
                ]) { _, compose in compose })
        }
        self.init(
            project: project.name, workingDirectory: project.workingDirectory, services: services,
            networks: networks, volumes: volumes)
    }
}

/// A network the project uses.
public struct DesiredNetwork: Sendable, Hashable {
    /// The key under `networks:`.
    public var key: String
    /// The engine's name: `<project>_<key>`, or `name:`.
    public var name: String
    /// Created outside the project: must exist, never created or removed.
    public var external: Bool
    /// The labels to create it with (none for an external network).
    public var labels: [String: String]

    public init(key: String, name: String, external: Bool = false, labels: [String: String] = [:]) {
        self.key = key
        self.name = name
        self.external = external
        self.labels = labels
    }
}

/// A named volume the project uses.
public struct DesiredVolume: Sendable, Hashable {
    /// The key under `volumes:`.
    public var key: String
    /// The engine's name: `<project>_<key>`, or `name:`.
    public var name: String
    /// Created outside the project: must exist, never created or removed.
    public var external: Bool
    /// The labels to create it with (none for an external volume).
    public var labels: [String: String]

    public init(key: String, name: String, external: Bool = false, labels: [String: String] = [:]) {
        self.key = key
        self.name = name
        self.external = external
        self.labels = labels
    }
}
