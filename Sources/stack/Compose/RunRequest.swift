import ArgumentParser
import Reconciler
import StackAPI
import StackCore

/// The create request of a one-off (`run`) container: the service's own request (as `up`
/// builds it) with Compose's `run` changes — its own name `<project>-<service>-run-<12 hex>`,
/// the service's labels plus `com.docker.compose.oneoff=True` and the slug, no restart policy,
/// no published ports unless asked (`--service-ports`, `-p`), the run's name as its only
/// network alias (the service's name stays with the service's containers), and the flags'
/// command, entrypoint, environment, labels, working directory, user and volumes.
struct RunRequest {
    var name: String?
    /// Replaces the service's command when not empty.
    var command: [String] = []
    /// Replaces the service's entrypoint (and, without a command, clears the command).
    var entrypoint: [String]?
    /// `KEY=VALUE` entries that override the service's environment.
    var environment: [String] = []
    var labels: [String: String] = [:]
    var workdir: String?
    var user: String?
    var tty = false
    var interactive = true
    var servicePorts = false
    /// `-p` specifications (`[IP:][HOST:]PORT[/PROTO]`).
    var publish: [String] = []
    /// `-v` specifications; a relative host path is taken from the project directory.
    var volumes: [String] = []
    var autoRemove = false
    /// 64 hex digits; the container name takes the first 12.
    var slug: String

    /// A new random slug, as Compose's (`com.docker.compose.slug`).
    static func randomSlug() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 15, radix: 16)
        }.joined()
    }

    /// The name and request for `service` of `desired`.
    func build(for service: DesiredService, desired: DesiredState) throws -> (name: String, request: ContainerCreateRequest) {
        var (_, request) = try ServiceRequests.container(for: service, number: 1, desired: desired)
        let name = self.name ?? "\(desired.project)-\(service.name)-run-\(slug.prefix(12))"
        request.labels[ComposeLabel.oneOff] = "True"
        request.labels["com.docker.compose.slug"] = slug
        request.labels.merge(labels) { _, flag in flag }
        if let entrypoint {
            request.entrypoint = entrypoint
            if command.isEmpty { request.cmd = [] }
        }
        if !command.isEmpty { request.cmd = command }
        request.env = Self.merge(request.env, environment)
        if let workdir { request.workingDir = workdir }
        if let user { request.user = user }
        request.tty = tty
        request.openStdin = interactive
        request.stdinOnce = interactive
        request.hostConfig.restartPolicy = HostConfig.RestartPolicy()
        request.hostConfig.autoRemove = autoRemove
        if !servicePorts { request.hostConfig.portBindings = [:] }
        // The flags go through `container run`'s parsing (CreateOptions), so they mean the same.
        let flags = try CreateOptions.parse(
            publish.flatMap { ["-p", $0] } + volumes.flatMap { ["-v", Self.absolute($0, in: desired.workingDirectory)] }
                + [request.image])
        var host = HostConfig()
        _ = try flags.networkingRequest(&host)
        for (port, bindings) in host.portBindings { request.hostConfig.portBindings[port, default: []] += bindings }
        request.exposedPorts = Array(Set(request.exposedPorts).union(host.portBindings.keys)).sorted()
        try flags.applyVolumeFlags(to: &request)
        if var networking = request.networkingConfig {
            for key in networking.endpointsConfig.keys { networking.endpointsConfig[key]?.aliases = [name] }
            request.networkingConfig = networking
        }
        return (name, request)
    }

    /// `base` with the `KEY=VALUE` entries of `overrides` replacing those of the same key.
    static func merge(_ base: [String], _ overrides: [String]) -> [String] {
        func key(_ entry: String) -> Substring { entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0] }
        let replaced = Set(overrides.map(key))
        return base.filter { !replaced.contains(key($0)) } + overrides
    }

    /// A `-v` whose source is a relative path (`./data:/data`), made absolute against `directory`.
    static func absolute(_ volume: String, in directory: String) -> String {
        guard volume.hasPrefix("./") || volume.hasPrefix("../") || volume.hasPrefix(".:") else { return volume }
        return directory + "/" + volume
    }
}
