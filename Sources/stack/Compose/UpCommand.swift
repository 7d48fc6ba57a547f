import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI
import StackCore
import StackFile
import StackModel

/// `stack up`: the desired state of the stack file against what the engine runs, planned by the
/// Reconciler (`--dry-run` prints the plan, with the changed fields behind every recreate) and
/// carried out step by step. Containers run in the background (`-d`); following their logs in
/// the foreground is not there yet, so `up` without `-d` says so.
struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up", abstract: "Create and start the stack's containers (-d; --dry-run prints the plan).")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Detached mode: run containers in the background.") var detach = false
    @Flag(name: .customLong("dry-run"), help: "Print the plan and change nothing.") var dryRun = false
    @Flag(name: .long, help: "Wait for services to be running|healthy (one-shots: completed). Implies -d.") var wait = false
    @Option(name: .customLong("wait-timeout"), help: "Maximum seconds to wait with --wait.") var waitTimeout: Int?
    @Flag(name: .customLong("force-recreate"), help: "Recreate containers even if unchanged.") var forceRecreate = false
    @Flag(name: .customLong("no-recreate"), help: "Do not recreate existing containers.") var noRecreate = false
    @Flag(name: .customLong("no-start"), help: "Create but do not start.") var noStart = false
    @Flag(name: .customLong("no-deps"), help: "Do not start linked services.") var noDeps = false
    @Flag(name: .customLong("remove-orphans"), help: "Remove containers of services not in the stack file.")
    var removeOrphans = false
    @Option(name: .customLong("scale"), help: "Scale SERVICE to NUM instances (SERVICE=NUM).") var scale: [String] = []
    @Argument(help: "Services (default: all).") var services: [String] = []

    func validate() throws {
        if forceRecreate && noRecreate { throw ValidationError("--force-recreate and --no-recreate are incompatible") }
    }

    func run() async throws {
        let loaded: LoadedStack
        do {
            loaded = try StackLoader().load(global.loadOptions(interpolate: true, services: services))
        } catch {
            throw ExitCode(Terminal.fail(error))
        }
        Terminal.warn(loaded.warnings)
        var scales: [String: Int] = [:]
        for item in scale {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let count = Int(parts[1]) else {
                throw ValidationError("--scale: expected SERVICE=NUM, got \"\(item)\"")
            }
            scales[String(parts[0])] = count
        }
        var options = PlanOptions()
        options.recreate = forceRecreate ? .force : noRecreate ? .never : .diverged
        options.noStart = noStart
        options.noDeps = noDeps
        options.services = services
        options.removeOrphans = removeOrphans
        let project = loaded.project
        let files = loaded.files
        if !dryRun && !detach && !wait {
            Terminal.err("stack: up: following the containers' logs in the foreground is not implemented yet; use -d (or --dry-run)\n")
            throw ExitCode(1)
        }
        let dryRun = self.dryRun
        let waitTimeout = wait ? Double(self.waitTimeout ?? 300) : nil
        try await EngineConnection.with { client in
            let (_, executor) = try await Self.converge(
                project: project, files: files, options: options, scales: scales, client: client, dryRun: dryRun)
            if let waitTimeout, !dryRun { try await executor.waitForStack(timeout: waitTimeout) }
        }
    }

    /// Plan `project` against what the engine runs and carry the plan out (only print it with
    /// `dryRun`): what `up` does before it waits or attaches, and what `run` uses to bring up a
    /// service's dependencies. Every request is checked before anything changes.
    @discardableResult
    static func converge(
        project: Project, files: [String], options: PlanOptions, scales: [String: Int] = [:], client: APIClient,
        dryRun: Bool = false
    ) async throws -> (Plan, PlanExecutor) {
        if !dryRun { try await PlanExecutor.awaitRunningDeployment(client, project: project.name) }
        let observed = try await Self.observe(client, project: project.name)
        var imageIDs: [String: String] = [:]
        for service in project.services {
            guard let image = service.image else { continue }
            if let response = try? await client.request("GET", "/images/inspect", query: [("name", image)]),
                let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any],
                let id = object["Id"] as? String
            {
                imageIDs[service.name] = id
            }
        }
        let desired = try DesiredState(
            project: project,
            options: DesiredOptions(scale: scales, configFiles: files, imageIDs: imageIDs, version: "stack"))
        let plan = try Planner.plan(desired: desired, observed: observed, options: options)
        let executor = PlanExecutor(client: client, desired: desired, project: project)
        if dryRun {
            Output.write(1, Array(plan: plan))
            return (plan, executor)
        }
        for warning in try ServiceRequests.check(desired, project: project) {
            Terminal.err("warning: \(warning)\n")
        }
        for warning in plan.warnings { Terminal.err("warning: \(warning)\n") }
        try await executor.run(plan)
        return (plan, executor)
    }

    /// What the engine holds for `project`: its containers (inspected for networks, volumes and
    /// image), and every network and volume.
    static func observe(_ client: APIClient, project: String) async throws -> ObservedState {
        let summaries = try EngineConnection.decode(
            [ContainerSummary].self, try await client.request("GET", "/containers/json", query: [("all", "1")]))
        var containers: [ObservedContainer] = []
        for summary in summaries where summary.labels[ComposeLabel.project] == project {
            let inspect = try EngineConnection.decode(
                ContainerInspect.self, try await client.request("GET", "/containers/\(summary.id)/json"))
            containers.append(
                ObservedContainer(
                    id: summary.id, name: summary.names.first.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? "",
                    labels: summary.labels, state: ObservedContainerState(rawValue: summary.state) ?? .exited,
                    exitCode: Int(summary.exitCode), imageID: inspect.image,
                    networks: Array((inspect.networkSettings?.networks ?? [:]).keys).sorted(),
                    volumes: inspect.mounts.filter { $0.type == "volume" }.map(\.name)))
        }
        let networks = try EngineConnection.decode([NetworkInspect].self, try await client.request("GET", "/networks"))
        let volumes = try EngineConnection.decode(VolumeListResponse.self, try await client.request("GET", "/volumes"))
        return ObservedState(
            containers: containers,
            networks: networks.map { ObservedNetwork(id: $0.id, name: $0.name, labels: $0.labels) },
            volumes: volumes.volumes.map { ObservedVolume(name: $0.name, labels: $0.labels) })
    }
}

extension Array where Element == UInt8 {
    /// A plan's text, ending in a newline.
    init(plan: Plan) {
        let text = plan.render()
        self = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
    }
}
