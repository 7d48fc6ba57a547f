import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackCore
import StackFile

/// `stack run [flags] SERVICE [CMD…]`: a one-off container of SERVICE's configuration
/// (`<project>-<service>-run-<slug>`, `com.docker.compose.oneoff=True`; see `RunRequest`).
/// The services it depends on are brought up first (as `up SERVICE…` would) and their
/// `depends_on` conditions awaited, unless `--no-deps`; its networks and volumes are created
/// if missing. Then it is attached like `container run` (a terminal when stdin is one, unless
/// `-T`; without one, this process's signals are forwarded to it) and `run` exits with its
/// status; `--rm` removes it afterwards; `-d` starts it in the background and prints its id.
/// `ps` and the other service commands leave one-offs alone.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a one-off command on a service.", helpNames: [.long])

    /// `-p` is `--publish` here, as in Compose (see LongGlobalOptions).
    @OptionGroup var stackFile: LongGlobalOptions

    @Flag(name: .shortAndLong, help: "Run the container in the background and print its id.") var detach = false
    @Flag(name: .customLong("rm"), help: "Remove the container when it exits.") var rm = false
    @Option(name: .shortAndLong, help: "Set an environment variable (KEY=VALUE, or KEY to take its value from the environment or .env).")
    var env: [String] = []
    @Flag(name: .customLong("no-deps"), help: "Don't start the services it depends on.") var noDeps = false
    @Option(name: .long, help: "Override the entrypoint of the image.") var entrypoint: String?
    @Flag(name: [.customShort("T"), .customLong("no-TTY")], help: "Disable pseudo-TTY allocation (default: a TTY when stdin is one).")
    var noTTY = false
    @Flag(name: .shortAndLong, inversion: .prefixedNo, help: "Keep STDIN open and attached.") var interactive = true
    @Option(name: .shortAndLong, help: "Working directory inside the container.") var workdir: String?
    @Option(name: .shortAndLong, help: "Run as this user (name|uid[:group|gid]).") var user: String?
    @Option(name: .long, help: "Assign a name to the container.") var name: String?
    @Option(name: [.customShort("p"), .customLong("publish")], help: "Publish a container's port to the host.")
    var publish: [String] = []
    @Flag(name: .customLong("service-ports"), help: "Publish the service's ports.") var servicePorts = false
    @Option(name: [.customShort("v"), .customLong("volume")], help: "Bind mount a volume.") var volume: [String] = []
    @Option(name: [.customShort("l"), .customLong("label")], help: "Add or override a label (KEY=VALUE).") var label: [String] = []
    @Argument(help: "The service.") var service: String
    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments.") var command: [String] = []

    func run() async throws {
        let global = try stackFile.global()
        let compose = try ComposeProject.load(global, services: [service])
        try compose.check([service])
        guard let target = compose.desired.service(named: service) else { throw ExitCode(1) }

        let (name, request): (String, ContainerCreateRequest)
        do {
            (name, request) = try oneOffRequest(for: target, compose: compose)
        } catch let error as StackError {
            throw ExitCode(Terminal.fail(error))
        }

        let (detach, noDeps, rm) = (self.detach, self.noDeps, self.rm)
        let status: Int32 = try await EngineConnection.with { client in
            let needs = compose.needs(target.name)
            if !noDeps && !needs.isEmpty {
                var options = PlanOptions()
                options.services = needs
                // Progress goes to stderr, as Compose's: stdout is the one-off's output.
                try await UpCommand.converge(
                    project: compose.project, files: compose.files, options: options, client: client,
                    report: { Terminal.err($0 + "\n") })
                try await DependencyWait(client: client, project: compose.name).satisfy(target.waits, for: target.name)
            }
            try await Self.ensureResources(of: target, compose: compose, client: client)
            let id = try await ContainerCreate.create(client, request: request, name: name)
            if detach {
                _ = try await client.request("POST", "/containers/\(id)/start")
                Output.line(id)
                return 0
            }
            let attach = {
                try await ContainerRun.attachAndWait(
                    client, id: id, tty: request.tty, stdin: request.openStdin, start: true, untilRemoved: rm)
            }
            return request.tty ? try await attach() : try await SignalForwarding.forwarding(to: id, client: client, attach)
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// The one-off's name and request: the service's with this command's flags.
    private func oneOffRequest(for target: DesiredService, compose: ComposeProject) throws -> (String, ContainerCreateRequest) {
        var run = RunRequest(slug: RunRequest.randomSlug())
        run.name = name
        run.command = command
        if let entrypoint {
            do {
                run.entrypoint = try ShellWords.split(entrypoint)
            } catch {
                throw ValidationError("--entrypoint: \(error)")
            }
        }
        run.environment = Self.resolve(env, variables: compose.variables)
        for item in label {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            run.labels[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        run.workdir = workdir
        run.user = user
        run.interactive = interactive && !detach
        run.tty = !noTTY && !detach && isatty(0) == 1
        run.servicePorts = servicePorts
        run.publish = publish
        run.volumes = volume
        run.autoRemove = rm
        return try run.build(for: target, desired: compose.desired)
    }

    /// Create the service's networks and named volumes that do not exist yet (`run --no-deps`
    /// on a project that was never up); external ones are left to fail at create, by name.
    static func ensureResources(of service: DesiredService, compose: ComposeProject, client: APIClient) async throws {
        let networks = Set(try EngineConnection.decode([NetworkInspect].self, try await client.request("GET", "/networks")).map(\.name))
        for network in compose.desired.networks
        where service.networks.contains(network.name) && !network.external && !networks.contains(network.name) {
            let request = try ServiceRequests.network(for: network, definition: compose.project.network(forKey: network.key))
            _ = try await client.request("POST", "/networks/create", body: try EngineConnection.encode(request))
            Terminal.err("✔ Network \(network.name)  Created\n")
        }
        let volumes = Set(
            try EngineConnection.decode(VolumeListResponse.self, try await client.request("GET", "/volumes")).volumes.map(\.name))
        for volume in compose.desired.volumes
        where service.volumes.contains(volume.name) && !volume.external && !volumes.contains(volume.name) {
            let request = try ServiceRequests.volume(for: volume, definition: compose.project.volume(forKey: volume.key))
            _ = try await client.request("POST", "/volumes/create", body: try EngineConnection.encode(request))
            Terminal.err("✔ Volume \(volume.name)  Created\n")
        }
    }

    /// `-e` entries as `KEY=VALUE`; a bare `KEY` takes its value from the stack file's
    /// variables (the environment and `.env`) and is left out when it has none, as Compose.
    static func resolve(_ entries: [String], variables: [String: String]) -> [String] {
        entries.compactMap { entry in
            if entry.contains("=") { return entry }
            return variables[entry].map { "\(entry)=\($0)" }
        }
    }
}
