import Foundation
import Testing

/// The daemon's lifecycle: started on demand, one per root, and containers that outlive it.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct DaemonRestartTests {
    @Test func killNineOfStackdLeavesTheContainerRunningAndItsExitIsRecorded() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack([
            "container", "run", "-d", "--name", "survivor", engine.image, "sh", "-c",
            "i=0; while [ $i -lt 30 ]; do echo beat$i; i=$((i+1)); sleep 0.1; done; exit 5",
        ])
        #expect(run.status == 0, "\(run)")
        let daemon = try #require(engine.daemonPid)
        kill(daemon, SIGKILL)
        #expect(engine.eventually { kill(daemon, 0) != 0 })
        let logPath = try #require(
            (try FileManager.default.contentsOfDirectory(atPath: engine.root + "/containers")).first.map {
                engine.root + "/containers/\($0)/\($0)-json.log"
            })
        let sizeBefore = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
        usleep(500_000)
        let sizeAfter = (try? FileManager.default.attributesOfItem(atPath: logPath)[.size] as? Int) ?? 0
        #expect(sizeAfter > sizeBefore, "the log stopped growing without the daemon")
        // The next command starts a new daemon, which re-adopts the container.
        let listed = try engine.stack(["container", "ls", "--format", "json"])
        #expect(listed.stdout.contains("survivor") || listed.status == 0, "\(listed)")
        #expect(engine.daemonPid != daemon)
        let waited = try engine.stack(["container", "wait", "survivor"])
        #expect(waited.stdout == "5\n", "\(waited)")
        let inspect = try engine.stack(["container", "inspect", "survivor"])
        #expect(inspect.stdout.contains("\"ExitCode\" : 5"), "\(inspect)")
        let logs = try engine.stack(["container", "logs", "survivor"])
        #expect(logs.stdout.contains("beat29"))
    }

    @Test func aSecondDaemonOnTheSameRootRefusesToStart() throws {
        let engine = try EngineHarness(importImage: false)
        defer { engine.tearDown() }
        #expect(try engine.stack(["container", "ls"]).status == 0)
        let second = try EngineHarness.execute(
            EngineHarness.binaries + "/stackd", ["--root", engine.root, "--run", engine.run], environment: engine.environment)
        #expect(second.status != 0)
        #expect(second.stderr.contains("another stackd"), "\(second)")
    }
}
