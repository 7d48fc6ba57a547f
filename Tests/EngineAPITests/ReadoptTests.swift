import APIServer
import Engine
import EngineAPI
import Foundation
import Monitor
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A new engine on the same store (stackd restarted) re-adopts what still runs and records the
/// exits of what ended meanwhile.
@Suite struct ReadoptTests {
    @Test func aRestartedEngineRecordsEndedContainersAndWatchesLiveOnes() async throws {
        let harness = try EngineAPIHarness()
        let ended = try await harness.run(name: "ended")
        let alive = try await harness.run(name: "alive")
        let aliveEntry = try #require(harness.runtime.entry(alive))
        // While "no daemon runs": one container's monitor recorded its exit and went away.
        let record = ExitRecord(pid: 1, exitCode: 42, finishedAt: TimeText.rfc3339(TimeText.now()))
        _ = FileManager.default.createFile(
            atPath: harness.paths.exitFile(ended), contents: try JSONEncoder().encode(record))

        // The new daemon's drivers know only the monitor that still runs.
        let exits = FakeExitNotifier()
        let runtime = FakeRuntime(exits: exits)
        runtime.created(
            id: alive, monitorPID: aliveEntry.monitorPID, pid: aliveEntry.pid, directory: harness.paths.container(alive))
        try runtime.start(alive)
        let engine = try ContainerEngine(
            paths: harness.paths, store: harness.store, images: harness.images, runtime: runtime,
            monitors: FakeMonitor(runtime: runtime), rootfs: harness.rootfs, exits: exits, network: harness.network)
        let router = Router()
        ContainerRoutes.register(on: router, engine: engine)
        await engine.readopt()

        let endedState = try await engine.inspect(ended).state
        #expect(endedState.status == "exited")
        #expect(endedState.exitCode == 42)
        #expect(try await engine.inspect(alive).state.status == "running")
        #expect(exits.watched == [aliveEntry.monitorPID], "the live monitor is watched again")

        runtime.end(alive, code: 5)
        let waited = await router.respond(to: APIRequest(method: "POST", path: "/containers/alive/wait"))
        guard case .bytes(let body) = waited.body else {
            Issue.record("wait answered without a body")
            return
        }
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
        #expect(object?["StatusCode"] as? Int == 5)
        #expect(try await engine.list(all: false).isEmpty)
    }

    @Test func aMonitorThatEndedWithoutAnExitRecordIsReportedAs255() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run()
        let exits = FakeExitNotifier()
        let runtime = FakeRuntime(exits: exits)
        let engine = try ContainerEngine(
            paths: harness.paths, store: harness.store, images: harness.images, runtime: runtime,
            monitors: FakeMonitor(runtime: runtime), rootfs: harness.rootfs, exits: exits, network: harness.network)
        await engine.readopt()
        let state = try await engine.inspect(id).state
        #expect(state.status == "exited")
        #expect(state.exitCode == 255)
        #expect(state.error.contains("without recording an exit status"))
        #expect(harness.rootfs.mounted.isEmpty)
    }
}
