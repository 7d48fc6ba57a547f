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
/// carried out step by step. With `-d` (or `--wait`) the containers run in the background;
/// without, `up` follows their output in the foreground until they exit or Ctrl-C stops them
/// (`ForegroundUp`).
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
    @Flag(name: .customLong("abort-on-container-exit"), help: "Stop all containers if any container exits. Incompatible with -d.")
    var abortOnExit = false
    @Flag(name: .customLong("abort-on-container-failure"), help: "Stop all containers if any container exits with a failure. Incompatible with -d.")
    var abortOnFailure = false
    @Option(name: .customLong("exit-code-from"), help: "Return the exit code of SERVICE's container. Implies --abort-on-container-exit.")
    var exitCodeFrom: String?
    @Option(name: [.customShort("t"), .customLong("timeout")], help: "Shutdown timeout in seconds when attached.") var timeout: Int?
    @Option(name: .customLong("attach"), help: "Show only SERVICE's output (repeatable).") var attach: [String] = []
    @Option(name: .customLong("no-attach"), help: "Do not show SERVICE's output (repeatable).") var noAttach: [String] = []
    @Flag(name: .customLong("attach-dependencies"), help: "Show the output of the services' dependencies too.")
    var attachDependencies = false
    @Flag(name: .customLong("no-log-prefix"), help: "Don't print the prefix in logs.") var noLogPrefix = false
    @Flag(name: .customLong("no-color"), help: "Produce monochrome output.") var noColor = false
    @Flag(name: .customLong("timestamps"), help: "Show timestamps in the output.") var timestamps = false
    @Flag(name: .customLong("build"), help: "Build images before starting (refused: stack has no image builder).") var build = false
    @Flag(name: .customLong("no-build"), help: "Don't build images (stack never does).") var noBuild = false
    /// Compose's interactive shortcuts: accepted (`--menu`, `--menu=false`) and ignored.
    @Option(name: .customLong("menu"), defaultAsFlag: "true", parsing: .next, help: "Accepted and ignored (no menu).")
    var menu: String? = nil
    @Argument(help: "Services (default: all).") var services: [String] = []

    /// Compose's rules for which flags go together.
    func validate() throws {
        if forceRecreate && noRecreate { throw ValidationError("--force-recreate and --no-recreate are incompatible") }
        let cascadeStop = abortOnExit || (exitCodeFrom != nil && !abortOnFailure)
        if cascadeStop && abortOnFailure {
            throw ValidationError("--abort-on-container-failure cannot be combined with --abort-on-container-exit")
        }
        if wait && (attachDependencies || cascadeStop || !attach.isEmpty) {
            throw ValidationError("--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies")
        }
        if build && noBuild { throw ValidationError("--build and --no-build are incompatible") }
        if detach && (attachDependencies || cascadeStop || abortOnFailure || !attach.isEmpty) {
            throw ValidationError(
                "--detach cannot be combined with --abort-on-container-exit, --abort-on-container-failure, --attach or --attach-dependencies")
        }
        if !attach.isEmpty && attachDependencies { throw ValidationError("cannot combine --attach and --attach-dependencies") }
        if let timeout, timeout < 0 { throw ValidationError("--timeout must not be negative") }
    }

    /// `--menu SERVICE` takes SERVICE as the menu's value (a Go boolean flag would not): a value
    /// that is not a boolean is a service.
    var allServices: [String] {
        guard let menu, !["true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False"].contains(menu) else { return services }
        return [menu] + services
    }

    func run() async throws {
        let loaded: LoadedStack
        do {
            loaded = try StackLoader().load(global.loadOptions(interpolate: true, services: allServices))
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
        options.services = allServices
        options.removeOrphans = removeOrphans
        let project = loaded.project
        let files = loaded.files
        if build { try ForegroundOptions.checkBuild(project) }
        let foreground = detach || wait || noStart ? nil : try ForegroundOptions(foregroundFlags, project: project)
        let started = Date()
        let dryRun = self.dryRun
        let waitTimeout = wait ? Double(self.waitTimeout ?? 300) : nil
        // In the foreground Ctrl-C stops the stack, even while the plan runs (once it is through).
        let signals = foreground != nil && !dryRun ? SignalEvents(notice: ForegroundUp.stoppingNotice) : nil
        defer { signals?.cancel() }
        try await EngineConnection.with { client in
            let (_, executor) = try await Self.converge(
                project: project, files: files, options: options, scales: scales, client: client, dryRun: dryRun)
            if let waitTimeout, !dryRun { try await executor.waitForStack(timeout: waitTimeout) }
            guard let foreground else { return }
            guard let signals, !dryRun else {
                Output.line("end of 'stack up' output, interactive run is not supported in dry-run mode")
                return
            }
            let code = try await ForegroundUp(
                client: client, desired: executor.desired, options: foreground, since: started, signals: signals
            ).run()
            if code != 0 { throw ExitCode(code) }
        }
    }

    /// The flags the foreground uses.
    private var foregroundFlags: ForegroundOptions.Flags {
        ForegroundOptions.Flags(
            services: allServices, attach: attach, noAttach: noAttach, attachDependencies: attachDependencies,
            abortOnExit: abortOnExit, abortOnFailure: abortOnFailure, exitCodeFrom: exitCodeFrom, timeout: timeout,
            noLogPrefix: noLogPrefix, noColor: noColor, timestamps: timestamps)
    }

    /// Plan `project` against what the engine runs and carry the plan out (only print it with
    /// `dryRun`): what `up` does before it waits or attaches, and what `run` uses to bring up a
    /// service's dependencies. Every request is checked before anything changes. Progress lines
    /// go to `report` (stdout by default).
    @discardableResult
    static func converge(
        project: Project, files: [String], options: PlanOptions, scales: [String: Int] = [:], client: APIClient,
        dryRun: Bool = false, report: @escaping @Sendable (String) -> Void = { Output.line($0) }
    ) async throws -> (Plan, PlanExecutor) {
        if !dryRun { try await PlanExecutor.awaitRunningDeployment(client, project: project.name) }
        let observed = try await Self.observe(client, project: project.name)
        var imageIDs: [String: String] = [:]
        var byReference: [String: String?] = [:]
        for service in project.services {
            guard let image = service.image else { continue }
            if byReference[image] == nil {
                var id: String?
                if let response = try? await client.request("GET", "/images/inspect", query: [("name", image)]),
                    let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any]
                {
                    id = object["Id"] as? String
                }
                byReference[image] = .some(id)
            }
            if let id = byReference[image] ?? nil { imageIDs[service.name] = id }
        }
        let desired = try DesiredState(
            project: project,
            options: DesiredOptions(scale: scales, configFiles: files, imageIDs: imageIDs, version: "stack"))
        let plan = try Planner.plan(desired: desired, observed: observed, options: options)
        var executor = PlanExecutor(client: client, desired: desired, project: project)
        executor.report = report
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
        // The list carries image, networks and mounts: one request, however many containers.
        for summary in summaries where summary.labels[ComposeLabel.project] == project {
            containers.append(
                ObservedContainer(
                    id: summary.id, name: summary.names.first.map { $0.hasPrefix("/") ? String($0.dropFirst()) : $0 } ?? "",
                    labels: summary.labels, state: ObservedContainerState(rawValue: summary.state) ?? .exited,
                    exitCode: Int(summary.exitCode), imageID: summary.imageID, networks: summary.networks.sorted(),
                    volumes: summary.mounts.filter { $0.type == "volume" }.map(\.name)))
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
