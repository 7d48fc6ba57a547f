import StackAPI
import StackCore
import StackModel

/// The engine requests `up` sends for a project: a service's containers, the project's networks and
/// volumes, in the Docker Engine API's shapes. Pure: the desired state in, request values out.
///
/// Two kinds of gaps between a stack file and the engine:
/// - What the engine cannot do and the container would be wrong without (a service with `build` but
///   no image, secrets, devices, an image or npipe mount, a volume `subpath`…) throws a `StackError`
///   (`.unsupported`, or `.invalidStackFile` for a bad value) whose path names the field,
///   e.g. `services.web.secrets`. `check(_:project:)` finds these before anything is created.
/// - What the engine has no field for but the container still runs without (dns, extra_hosts,
///   links, mac_address, group_add, …) is left out; `warnings(for:)` lists it, one warning per field.
public enum ServiceRequests {
    /// The name and create request of replica `number` of `service`.
    ///
    /// `desired` resolves what the service refers to: the engine names of networks and named volumes,
    /// and the container of another service (`network_mode: service:x`, `volumes_from: [x]` use its
    /// container number 1, as Compose).
    public static func container(
        for service: DesiredService, number: Int, desired: DesiredState
    ) throws(StackError) -> (name: String, request: ContainerCreateRequest) {
        let spec = service.service
        let container = service.container(number: number)
        var request = ContainerCreateRequest(image: try image(of: service))
        try rejectUnsupported(spec)
        request.cmd = spec.command
        request.entrypoint = spec.entrypoint
        request.env = spec.environment.keys.sorted().compactMap { key in
            spec.environment[key].flatMap { $0 }.map { "\(key)=\($0)" }
        }
        request.workingDir = spec.workingDir ?? ""
        request.user = spec.user ?? ""
        request.hostname = spec.hostname ?? ""
        request.domainname = spec.domainname ?? ""
        request.labels = container.labels
        request.tty = spec.tty
        request.openStdin = spec.stdinOpen
        request.stopSignal = spec.stopSignal
        // Compose truncates to whole seconds.
        request.stopTimeout = spec.stopGracePeriod.map { Int($0.components.seconds) }
        request.healthcheck = healthConfig(spec.healthcheck)

        var host = HostConfig()
        host.initProcess = spec.useInit
        host.privileged = spec.privileged
        host.readonlyRootfs = spec.readOnly
        host.capAdd = spec.capAdd
        host.capDrop = spec.capDrop
        host.securityOpt = spec.securityOpt
        host.sysctls = spec.sysctls
        host.shmSize = spec.shmSize ?? 0
        host.restartPolicy = restartPolicy(spec.effectiveRestartPolicy)
        if spec.restart == nil, let deployPolicy = spec.deploy?.restartPolicy {
            host.restartPolicy.delay = deployPolicy.delay.map(nanoseconds)
            host.restartPolicy.window = deployPolicy.window.map(nanoseconds)
        }
        host.logConfig = logConfig(spec.logging)
        try applyResources(spec, to: &host)
        try applyMounts(spec, to: &host, desired: desired)
        try applyNetworking(service, containerName: container.name, to: &request, host: &host, desired: desired)
        request.hostConfig = host
        return (container.name, request)
    }

    /// Every service's first container built (so `up` can fail before it changes anything), every
    /// network and volume request checked, and the warnings of all services, in service order.
    public static func check(_ desired: DesiredState, project: Project) throws(StackError) -> [StackWarning] {
        var warnings: [StackWarning] = []
        for service in desired.services {
            _ = try container(for: service, number: 1, desired: desired)
            warnings += self.warnings(for: service)
        }
        for network in desired.networks where !network.external {
            _ = try self.network(for: network, definition: project.network(forKey: network.key))
        }
        for volume in desired.volumes where !volume.external {
            _ = try self.volume(for: volume, definition: project.volume(forKey: volume.key))
        }
        return warnings
    }

    /// The image to create from: `image`, else the resolved image ID (a built image), else an error
    /// naming `build` (building is not supported yet) or `image`.
    static func image(of service: DesiredService) throws(StackError) -> String {
        if let image = service.service.image, !image.isEmpty { return image }
        if let id = service.imageID, !id.isEmpty { return id }
        if service.service.build != nil {
            throw unsupported(service.name, "build", "building images is not supported yet: give the service an image")
        }
        throw StackError(
            .invalidStackFile, "service has neither an image nor a build section",
            path: "services.\(service.name).image")
    }

    /// Fields the engine cannot honour and the service cannot do without.
    static func rejectUnsupported(_ spec: Service) throws(StackError) {
        if !spec.secrets.isEmpty { throw unsupported(spec.name, "secrets", "secrets are not supported yet") }
        if !spec.configs.isEmpty { throw unsupported(spec.name, "configs", "configs are not supported yet") }
        if !spec.devices.isEmpty { throw unsupported(spec.name, "devices", "devices are not supported yet") }
        if spec.deploy?.resources?.reservations?.devices.isEmpty == false {
            throw unsupported(
                spec.name, "deploy.resources.reservations.devices", "device requests (GPUs) are not supported yet")
        }
        if let mode = spec.deploy?.mode, mode != "replicated", mode != "global" {
            throw StackError(
                .invalidStackFile, "unknown deploy mode \"\(mode)\"", path: "services.\(spec.name).deploy.mode")
        }
    }

    /// `.unsupported` at `services.<service>.<field>`.
    static func unsupported(_ service: String, _ field: String, _ message: String) -> StackError {
        StackError(.unsupported, message, path: "services.\(service).\(field)")
    }

    /// `.invalidStackFile` at `services.<service>.<field>`, keeping a parser's message.
    static func invalid(_ service: String, _ field: String, _ error: StackError) -> StackError {
        StackError(.invalidStackFile, error.message, path: "services.\(service).\(field)")
    }
}
