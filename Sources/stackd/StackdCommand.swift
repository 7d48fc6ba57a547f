import APIServer
import ArgumentParser
import Daemon
import Engine
import StackCore

/// `stackd`: the engine's daemon, in the foreground (for systemd), until SIGTERM or SIGINT.
struct StackdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stackd", abstract: "The stack engine daemon: serves the API on $STACK_RUN/stackd.sock.")

    /// The version `/version` reports.
    static let engineVersion = "0.1.0-dev"

    @Option(help: "State directory (default $STACK_ROOT, else /var/lib/stack).")
    var root: String?

    @Option(name: .customLong("run"), help: "Runtime directory for the socket and pid file (default $STACK_RUN, else /run/stack).")
    var runDirectory: String?

    @Flag(help: "Log requests and engine details.")
    var debug = false

    mutating func run() async throws { try await serve() }

    /// Serve until SIGTERM/SIGINT. (main.swift calls this directly: with `run()`, overload resolution
    /// can pick ParsableCommand's synchronous default.)
    func serve() async throws {
        let paths = DaemonPaths(root: root, run: runDirectory)
        let log = DaemonLog(debug: debug)
        let router = Router()
        DockerCompat.register(on: router, engineVersion: StackdCommand.engineVersion)
        let idle = IdleReclaimer()
        let debug = self.debug
        router.onResponse = { request, status, duration in
            idle.touch()
            if debug { log.debug("\(request.method) \(request.path) → \(status) in \(duration)") }
        }
        let reclaimer = Task { await idle.run() }
        defer { reclaimer.cancel() }

        // The engine opens the store only once the root lock is held (onStart runs after it),
        // registers its routes before the server starts, and re-adopts running containers.
        let started = StartedEngine()
        let hooks = DaemonHooks(
            onStart: { paths in
                let engine = try await EngineSetup.start(paths: paths, router: router, log: log)
                await started.set(engine.engine)
                log.info("engine ready: \(engine.summary)")
            },
            onShutdown: { _ in
                await started.engine?.shutdownNetworking()
            })

        do {
            try await DaemonRunner.run(paths: paths, router: router, hooks: hooks, log: log)
        } catch let error as StackError {
            log.error(error.description)
            throw ExitCode(1)
        }
    }
}

/// The engine once the start hook made it, for the shutdown hook.
actor StartedEngine {
    var engine: ContainerEngine?
    func set(_ engine: ContainerEngine) { self.engine = engine }
}
