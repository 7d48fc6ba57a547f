import Foundation
import Testing

/// kill -9 of stackd in the middle of `up`: the deployment is journaled, the next `stack`
/// command starts stackd, which finishes it; the containers that ran keep running.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct CrashSafeUpCLITests {
    @Test func anUpInterruptedByKillNineIsFinishedByTheNextStackd() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let flags = engine.directory + "/flags"
        try FileManager.default.createDirectory(atPath: flags, withIntermediateDirectories: true)
        let file = engine.directory + "/compose.yaml"
        try """
            name: crashtest
            services:
              db:
                image: \(engine.image)
                command: sleep 1000
                volumes: ["\(flags):/flags"]
                healthcheck:
                  test: ["CMD", "test", "-e", "/flags/ready"]
                  interval: 200ms
                  retries: 1000
              app:
                image: \(engine.image)
                command: sleep 1000
                depends_on:
                  db: {condition: service_healthy}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        // `up` in the background: it waits for db to become healthy, which it cannot yet.
        let up = Process()
        up.executableURL = URL(fileURLWithPath: EngineHarness.binaries + "/stack")
        up.arguments = ["-f", file, "up", "-d"]
        up.environment = engine.environment
        up.standardOutput = FileHandle.nullDevice
        _ = FileManager.default.createFile(atPath: engine.directory + "/up.err", contents: nil)
        up.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: engine.directory + "/up.err"))
        up.standardInput = FileHandle.nullDevice
        try up.run()
        let waiting = engine.eventually(60) {
            let lines = ((try? engine.stack(["container", "ls", "-a"]).stdout) ?? "").split(separator: "\n")
            return lines.contains { $0.hasSuffix("crashtest-db-1") && $0.contains(" Up ") }
                && lines.contains { $0.hasSuffix("crashtest-app-1") && $0.contains(" Created ") }
        }
        #expect(waiting, "\((try? engine.stack(["container", "ls", "-a"]))?.description ?? "") \((try? String(contentsOfFile: engine.directory + "/up.err", encoding: .utf8)) ?? "")")
        let daemon = try #require(engine.daemonPid)
        kill(daemon, SIGKILL)
        #expect(engine.eventually { kill(daemon, 0) != 0 })
        up.waitUntilExit()
        #expect(up.terminationStatus != 0)
        // db is now allowed to become healthy; the next command's stackd finishes the plan.
        _ = FileManager.default.createFile(atPath: flags + "/ready", contents: nil)
        let again = try engine.stack(["-f", file, "up", "-d"])
        #expect(again.status == 0, "\(again)")
        let states = try engine.stack(["-f", file, "ps", "--format", "json"])
        #expect(states.stdout.contains("\"Name\":\"crashtest-app-1\""), "\(states)")
        let listed = try engine.stack(["container", "ls"]).stdout
        #expect(listed.contains("crashtest-app-1") && listed.contains("crashtest-db-1"), "\(listed)")
        let log = (try? String(contentsOfFile: engine.run + "/stackd.log", encoding: .utf8)) ?? ""
        #expect(log.contains("step(s) left after a crash; finished"), "\(log)")
        // The db container was never restarted: it kept running through the crash.
        let inspect = try engine.stack(["container", "inspect", "crashtest-db-1"])
        let object = (try? JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]])?.first ?? [:]
        #expect(object["RestartCount"] as? Int == 0, "\(inspect)")
        #expect((object["State"] as? [String: Any])?["Status"] as? String == "running", "\(inspect)")
        #expect(try engine.stack(["-f", file, "down", "-t", "0"]).status == 0)
    }
}
