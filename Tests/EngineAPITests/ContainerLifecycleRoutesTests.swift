import APIServer
import Engine
import Foundation
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// start, kill, stop, wait, rm, pause, restart and exits through the routes, against fake drivers.
@Suite struct ContainerLifecycleRoutesTests {
    @Test func startMountsLaunchesAndStartsThen304WhenRunning() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create(name: "app")
        #expect(try await harness.send("POST", "/containers/app/start").status == 204)
        #expect(harness.rootfs.mounted == [harness.paths.rootfs(id)])
        let overlay = try #require(harness.rootfs.mounts.first)
        #expect(overlay.lowerDirectories == (try harness.images.layerPaths(harness.imageID)))
        #expect(overlay.upperDirectory == harness.paths.upper(id))
        let launch = try #require(harness.monitor.launches.first)
        #expect(launch.id == id)
        #expect(launch.bundle == harness.paths.container(id))
        #expect(launch.logFile == harness.paths.log(id))
        #expect(harness.runtime.entry(id)?.status == .running)
        #expect(harness.exits.watched == [try #require(harness.runtime.entry(id)).monitorPID])

        #expect(try await harness.send("POST", "/containers/app/start").status == 304)
        #expect(harness.monitor.launches.count == 1, "no second monitor")
        #expect(try await harness.send("POST", "/containers/nosuch/start").status == 404)
    }

    @Test func killDeliversTheSignalToTheRuntime() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run()
        harness.runtime.ignore([SIGHUP])
        #expect(try await harness.send("POST", "/containers/\(id)/kill", query: [("signal", "HUP")]).status == 204)
        #expect(harness.runtime.signals == [.init(id: id, signal: SIGHUP, all: false)])
        #expect(try await harness.state(id)["Running"] as? Bool == true)
        #expect(try await harness.send("POST", "/containers/\(id)/kill", query: [("signal", "SIGNOPE")]).status == 400)

        #expect(try await harness.send("POST", "/containers/\(id)/kill").status == 204, "SIGKILL by default")
        #expect(harness.runtime.signals.last == .init(id: id, signal: SIGKILL, all: false))
        #expect(try await harness.eventually { try await harness.state(id)["Status"] as? String == "exited" })
        let state = try await harness.state(id)
        #expect(state["ExitCode"] as? Int == 137)
        #expect(state["OOMKilled"] as? Bool == false)
        #expect(state["Pid"] as? Int == 0)
        #expect(try await harness.send("POST", "/containers/\(id)/kill").status == 409, "not running")
    }

    @Test func stopSendsTheStopSignalThenSIGKILLAfterTheTimeout() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(["StopSignal": "SIGUSR1"])
        harness.runtime.ignore([SIGUSR1])
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try await harness.send("POST", "/containers/\(id)/stop", query: [("t", "1")]).status == 204)
        #expect(clock.now - started >= .milliseconds(900), "waited the timeout first")
        #expect(harness.runtime.signals == [.init(id: id, signal: SIGUSR1, all: false), .init(id: id, signal: SIGKILL, all: true)])
        #expect(try await harness.eventually { try await harness.state(id)["Status"] as? String == "exited" })
        #expect(try await harness.state(id)["ExitCode"] as? Int == 137)
        #expect(try await harness.send("POST", "/containers/\(id)/stop").status == 304)
    }

    @Test func stopWithoutTimeoutKillsAtOnceAndAHeededSignalNeedsNoKill() async throws {
        let harness = try EngineAPIHarness()
        let stubborn = try await harness.run()
        harness.runtime.ignore([SIGTERM])
        #expect(try await harness.send("POST", "/containers/\(stubborn)/stop", query: [("t", "0")]).status == 204)
        #expect(try await harness.eventually { try await harness.state(stubborn)["Status"] as? String == "exited" })
        #expect(harness.runtime.signals.map(\.signal) == [SIGTERM, SIGKILL])

        harness.runtime.ignore([])
        let polite = try await harness.run()
        // A long timeout: only a stop that misses the exit waits it out (a loaded parallel run can
        // hold tasks back for tens of seconds, so no wall-clock bound is asserted).
        #expect(try await harness.send("POST", "/containers/\(polite)/stop", query: [("t", "60")]).status == 204)
        // Had stop waited out its timeout (its exit missed), a SIGKILL would follow.
        #expect(harness.runtime.signals.filter { $0.id == polite }.map(\.signal) == [SIGTERM])
        #expect(try await harness.state(polite)["ExitCode"] as? Int == 128 + Int(SIGTERM))
    }

    @Test func waitResolvesWithTheExitCodeAndAtOnceOnceExited() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run()
        let pending = Task { try await harness.send("POST", "/containers/\(id)/wait") }
        try await Task.sleep(nanoseconds: 100_000_000)
        harness.runtime.end(id, code: 3)
        let reply = try await pending.value
        #expect(reply.status == 200)
        #expect(try reply.object()["StatusCode"] as? Int == 3)
        let state = try await harness.state(id)
        #expect(state["Status"] as? String == "exited")
        #expect(state["ExitCode"] as? Int == 3)
        #expect((state["FinishedAt"] as? String)?.hasPrefix("0001") == false)
        // Waiters are woken first; the clean-up follows off the actor.
        #expect(await harness.eventually { harness.runtime.deleted == [id] }, "the runtime's container is deleted")
        #expect(await harness.eventually { harness.rootfs.mounted.isEmpty }, "unmounted after the exit")

        let again = try await harness.send("POST", "/containers/\(id)/wait")
        #expect(try again.object()["StatusCode"] as? Int == 3)
        #expect(try await harness.send("POST", "/containers/nosuch/wait").status == 404)
    }

    @Test func rmRefusesARunningContainerForceKillsItThen404() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(name: "victim")
        let refused = try await harness.send("DELETE", "/containers/victim")
        #expect(refused.status == 409)
        #expect((try refused.object()["message"] as? String)?.contains("container is running") == true)
        #expect(harness.runtime.signals.isEmpty)

        #expect(try await harness.send("DELETE", "/containers/victim", query: [("force", "1")]).status == 204)
        #expect(harness.runtime.signals == [.init(id: id, signal: SIGKILL, all: true)])
        #expect(try await harness.send("GET", "/containers/\(id)/json").status == 404)
        #expect(try await harness.send("DELETE", "/containers/victim").status == 404)
        #expect(!FileManager.default.fileExists(atPath: harness.paths.container(id)), "its directory is gone")
        #expect(harness.rootfs.mounted.isEmpty)
        #expect(!harness.runtime.exists(id))

        let stopped = try await harness.run()
        harness.runtime.end(stopped, code: 0)
        #expect(try await harness.eventually { try await harness.state(stopped)["Status"] as? String == "exited" })
        #expect(try await harness.send("DELETE", "/containers/\(stopped)").status == 204, "a stopped one needs no force")
    }

    @Test func autoRemoveRemovesAfterTheExitAndALateWaitGetsTheCode() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(["HostConfig": ["AutoRemove": true], "Labels": ["com.docker.compose.service": "web"]])
        harness.runtime.end(id, code: 7)
        #expect(try await harness.eventually { try await harness.send("GET", "/containers/\(id)/json").status == 404 })
        #expect(!FileManager.default.fileExists(atPath: harness.paths.container(id)))
        #expect(harness.rootfs.mounted.isEmpty)
        let late = try await harness.send("POST", "/containers/\(id)/wait")
        #expect(late.status == 200)
        #expect(try late.object()["StatusCode"] as? Int == 7)
        #expect(try harness.events(id).suffix(2) == ["die", "destroy"])
        // Container events carry its labels and name, as Docker's (the destroy one too).
        let records = try harness.store.events.list().filter { $0.actorID == id }
        #expect(records.allSatisfy { $0.attributes["com.docker.compose.service"] == "web" && $0.attributes["name"] != nil })
    }

    @Test func aWaitOnAnAutoRemoveContainerReturnsOnceItIsGone() async throws {
        let harness = try EngineAPIHarness()
        for code: Int32 in [0, 4] {
            let id = try await harness.run(["HostConfig": ["AutoRemove": true]])
            let pending = Task { try await harness.send("POST", "/containers/\(id)/wait") }
            try await Task.sleep(nanoseconds: 50_000_000)
            harness.runtime.end(id, code: code)
            let reply = try await pending.value
            #expect(try reply.object()["StatusCode"] as? Int == Int(code))
            // What `run --rm` does next (`ls -a`) must not find it any more.
            #expect(try await harness.send("GET", "/containers/json", query: [("all", "1")]).array().isEmpty)
            #expect(harness.rootfs.mounted.isEmpty)
        }
    }

    @Test func forcedRemovalOfARunningAutoRemoveContainerSucceeds() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(["HostConfig": ["AutoRemove": true]])
        let reply = try await harness.send("DELETE", "/containers/\(id)", query: [("force", "1")])
        #expect(reply.status == 204, "\(reply.text)")
        #expect(try await harness.send("GET", "/containers/\(id)/json").status == 404)
        #expect(try harness.events(id).filter { $0 == "destroy" }.count == 1)
    }

    @Test func pauseAndUnpauseMoveTheStateAndRefuseWrongStates() async throws {
        let harness = try EngineAPIHarness()
        let created = try await harness.create()
        #expect(try await harness.send("POST", "/containers/\(created)/pause").status == 409, "not running")

        let id = try await harness.run()
        #expect(try await harness.send("POST", "/containers/\(id)/unpause").status == 409, "not paused")
        #expect(try await harness.send("POST", "/containers/\(id)/pause").status == 204)
        #expect(harness.runtime.entry(id)?.status == .paused)
        var state = try await harness.state(id)
        #expect(state["Status"] as? String == "paused")
        #expect(state["Paused"] as? Bool == true)
        #expect(state["Running"] as? Bool == true)
        let listed = try await harness.send("GET", "/containers/json").array()
        #expect((listed.first?["Status"] as? String)?.hasSuffix("(Paused)") == true)
        #expect(try await harness.send("POST", "/containers/\(id)/pause").status == 409, "already paused")
        #expect(try await harness.send("POST", "/containers/\(id)/start").status == 409, "start a paused one")

        #expect(try await harness.send("POST", "/containers/\(id)/unpause").status == 204)
        #expect(harness.runtime.entry(id)?.status == .running)
        state = try await harness.state(id)
        #expect(state["Status"] as? String == "running")
        #expect(state["Paused"] as? Bool == false)
        #expect(try harness.events(id).suffix(2) == ["pause", "unpause"])
    }

    @Test func restartStopsStartsAndCounts() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run()
        let firstPID = try #require(harness.runtime.entry(id)).pid
        #expect(try await harness.send("POST", "/containers/\(id)/restart", query: [("t", "60")]).status == 204)
        let inspect = try await harness.inspect(id)
        #expect(inspect["RestartCount"] as? Int == 1)
        let state = try #require(inspect["State"] as? [String: Any])
        #expect(state["Status"] as? String == "running")
        #expect(state["Pid"] as? Int != Int(firstPID), "a new process")
        #expect(harness.monitor.launches.count == 2)
        #expect(harness.runtime.signals.map(\.signal) == [SIGTERM])
        #expect(harness.rootfs.mounted == [harness.paths.rootfs(id)])
    }

    @Test func aSIGKILLWithTheOOMFlagIsOOMKilled() async throws {
        let harness = try EngineAPIHarness()
        let oom = try await harness.run()
        let killed = try await harness.run()
        harness.runtime.end(oom, code: 0, signal: SIGKILL, oomKilled: true)
        harness.runtime.end(killed, code: 0, signal: SIGKILL)
        #expect(try await harness.eventually {
            try await harness.send("GET", "/containers/json").array().isEmpty
        })
        let oomState = try await harness.state(oom)
        #expect(oomState["OOMKilled"] as? Bool == true)
        #expect(oomState["ExitCode"] as? Int == 137)
        #expect(try await harness.state(killed)["OOMKilled"] as? Bool == false)
        #expect(try await harness.state(killed)["ExitCode"] as? Int == 137)
        #expect(try harness.events(oom).last == "oom")
        #expect(try harness.events(killed).last == "die")
    }

    @Test func eventsAreRecordedInTheStore() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(name: "logged")
        #expect(try await harness.send("POST", "/containers/\(id)/kill", query: [("signal", "TERM")]).status == 204)
        _ = try await harness.send("POST", "/containers/\(id)/wait")
        #expect(try await harness.send("DELETE", "/containers/\(id)").status == 204)
        #expect(try harness.events(id) == ["create", "start", "kill", "die", "destroy"])
        let events = try harness.store.events.list().filter { $0.actorID == id }
        #expect(events.allSatisfy { $0.type == "container" })
        #expect(events.first?.attributes["name"] == "logged")
        #expect(events.first { $0.action == "kill" }?.attributes["signal"] == "\(SIGTERM)")
        #expect(events.first { $0.action == "die" }?.attributes["exitCode"] == "\(128 + SIGTERM)")
    }

    @Test func eventsStreamDockersJSONLines() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.run(name: "streamed")
        let until = String(Int(TimeText.now()) + 1)
        let reply = try await harness.send("GET", "/events", query: [("since", "0"), ("until", until)])
        #expect(reply.status == 200)
        let lines = reply.text.split(separator: "\n")
        let events = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
        #expect(events.compactMap { $0["Action"] as? String } == ["create", "start"])
        #expect(events.allSatisfy { $0["Type"] as? String == "container" })
        #expect(events.allSatisfy { ($0["Actor"] as? [String: Any])?["ID"] as? String == id })
        #expect(events.allSatisfy { ($0["time"] as? Int ?? 0) > 0 })
    }

    @Test func aMonitorFailureIsRecordedAndLeavesNothingMounted() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create()
        harness.monitor.fail("exec: \"/bin/hello\": permission denied")
        let reply = try await harness.send("POST", "/containers/\(id)/start")
        #expect(reply.status == 500)
        #expect((try reply.object()["message"] as? String)?.contains("permission denied") == true)
        let state = try await harness.state(id)
        #expect(state["Status"] as? String == "created")
        #expect((state["Error"] as? String)?.contains("permission denied") == true)
        #expect(harness.rootfs.mounted.isEmpty)
        let waited = try await harness.send("POST", "/containers/\(id)/wait").object()
        #expect(waited["StatusCode"] as? Int == -1)
        #expect((waited["Error"] as? String)?.contains("permission denied") == true)

        harness.monitor.fail(nil)
        #expect(try await harness.send("POST", "/containers/\(id)/start").status == 204, "a later start can succeed")
        let again = try await harness.state(id)
        #expect(again["Status"] as? String == "running")
        #expect(again["Error"] as? String == "")
    }

    @Test func aFailedStartOfAnAutoRemoveContainerRemovesIt() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create(["HostConfig": ["AutoRemove": true]])
        harness.monitor.fail("no such file")
        #expect(try await harness.send("POST", "/containers/\(id)/start").status == 500)
        #expect(try await harness.send("GET", "/containers/\(id)/json").status == 404)
        let waited = try await harness.send("POST", "/containers/\(id)/wait").object()
        #expect(waited["StatusCode"] as? Int == -1)
        #expect(harness.rootfs.mounted.isEmpty)
    }

    @Test func aRuntimeStartFailureKillsTheCreatedContainerAndRecordsTheError() async throws {
        let harness = try EngineAPIHarness()
        let id = try await harness.create()
        harness.runtime.failStart("container init exited before start")
        #expect(try await harness.send("POST", "/containers/\(id)/start").status == 500)
        #expect(harness.runtime.signals == [.init(id: id, signal: SIGKILL, all: true)])
        #expect(try await harness.eventually { try await harness.state(id)["Status"] as? String == "exited" })
        let state = try await harness.state(id)
        #expect((state["Error"] as? String)?.contains("init exited before start") == true)
        #expect(await harness.eventually { harness.rootfs.mounted.isEmpty && !harness.runtime.exists(id) })
    }
}
