import APIServer
import Daemon
import Engine
import EngineAPI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Images
import StackCore
import Store

/// Builds the engine for a daemon's paths: the store, the image store on it, the container
/// engine, their routes; then re-adopts what ran while no daemon did.
enum EngineSetup {
    struct Started: Sendable {
        var engine: ContainerEngine
        var summary: String
    }

    static func start(paths: DaemonPaths, router: Router, log: DaemonLog) async throws -> Started {
        let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent().path
        let enginePaths = EnginePaths(root: paths.root, run: paths.run, binaries: binaries)
        for binary in [enginePaths.runtimeBinary, enginePaths.monitorBinary, enginePaths.proxyBinary] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw StackError(.notFound, "stackd needs \(binary) (it is built with stackd)")
        }
        let store = try StateStore(path: enginePaths.database)
        let images = try ImageStore(root: enginePaths.images, metadata: SQLiteImageMetadata(store: store))
        let scratch = enginePaths.images + "/uploads"
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let networkConfig = try NetworkConfig.from(environment: ProcessInfo.processInfo.environment)
        let engine = try ContainerEngine(paths: enginePaths, store: store, images: images, networkConfig: networkConfig)
        ContainerRoutes.register(on: router, engine: engine)
        NetworkRoutes.register(on: router, engine: engine)
        ImageRoutes.register(on: router, images: images, engine: engine, scratch: scratch)
        EventRoutes.register(on: router, engine: engine)
        VolumeRoutes.register(on: router, engine: engine)
        let deployments = Deployments(store: store, runner: DeploymentRunner(target: engine)) { log.info($0) }
        DeploymentRoutes.register(on: router, deployments: deployments)
        await engine.readopt()
        for line in await engine.reconcileNetworking() { log.info("reconcile: \(line)") }
        await engine.resumeSupervision()
        // A plan a crash interrupted is finished in the background: its waits may take a while.
        Task {
            for line in await deployments.resumeInterrupted() { log.info(line) }
        }
        let running = (try? await engine.list(all: false).count) ?? 0
        return Started(engine: engine, summary: "\(running) running container(s) re-adopted")
    }
}
