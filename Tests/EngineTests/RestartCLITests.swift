import Foundation
import Testing

/// Restart policies with real containers: on-failure limits, manual stops, and a container that
/// died while stackd was down coming back when the next stackd starts.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct RestartCLITests {
    func inspect(_ engine: EngineHarness, _ name: String) throws -> [String: Any] {
        let result = try engine.stack(["container", "inspect", name])
        let objects = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return objects?.first ?? [:]
    }

    func state(_ engine: EngineHarness, _ name: String) throws -> [String: Any] {
        try inspect(engine, name)["State"] as? [String: Any] ?? [:]
    }

    @Test func onFailureRestartsUpToTheLimitAndAManualStopEndsAlways() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let flaky = try engine.stack(
            ["container", "run", "-d", "--name", "flaky", "--restart", "on-failure:2", engine.image, "sh", "-c", "exit 3"])
        #expect(flaky.status == 0, "\(flaky)")
        #expect(try engine.eventually(15) {
            let inspect = try inspect(engine, "flaky")
            let state = inspect["State"] as? [String: Any] ?? [:]
            return inspect["RestartCount"] as? Int == 2 && state["Status"] as? String == "exited"
        })
        #expect(try state(engine, "flaky")["ExitCode"] as? Int == 3)
        let rm = try engine.stack(["container", "run", "--rm", "--restart", "always", engine.image, "true"])
        #expect(rm.status != 0 && rm.stderr.contains("--restart and --rm"), "\(rm)")
        // `always` comes back after an exit, but not after `stop`.
        #expect(try engine.stack(["container", "run", "-d", "--name", "keeper", "--restart", "always", engine.image,
                                  "sh", "-c", "sleep 0.3; exit 0"]).status == 0)
        #expect(try engine.eventually(15) { try inspect(engine, "keeper")["RestartCount"] as? Int ?? 0 >= 2 })
        #expect(try engine.stack(["container", "stop", "-t", "1", "keeper"]).status == 0)
        let count = try inspect(engine, "keeper")["RestartCount"] as? Int ?? 0
        usleep(1_500_000)
        #expect(try state(engine, "keeper")["Running"] as? Bool == false)
        #expect(try inspect(engine, "keeper")["RestartCount"] as? Int == count)
    }

    @Test func aContainerThatDiedWhileStackdWasDownIsRestartedByTheNextOne() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        #expect(try engine.stack(
            ["container", "run", "-d", "--name", "phoenix", "--restart", "always", engine.image, "sleep", "300"]).status == 0)
        let pid = try #require(try state(engine, "phoenix")["Pid"] as? Int)
        let daemon = try #require(engine.daemonPid)
        kill(daemon, SIGKILL)
        #expect(engine.eventually { kill(daemon, 0) != 0 })
        kill(Int32(pid), SIGKILL)
        usleep(300_000)
        // The next command starts stackd, which records the exit and applies the policy.
        #expect(try engine.eventually(15) {
            let inspect = try inspect(engine, "phoenix")
            let state = inspect["State"] as? [String: Any] ?? [:]
            return state["Running"] as? Bool == true && inspect["RestartCount"] as? Int == 1
        })
        let log = (try? String(contentsOfFile: engine.run + "/stackd.log", encoding: .utf8)) ?? ""
        let now = try inspect(engine, "phoenix")
        #expect((now["State"] as? [String: Any])?["Pid"] as? Int != pid, "\(now)\n\(log)")
    }

    @Test func deployDelayIsHonouredAndPsShowsTheNextAttempt() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = engine.directory + "/compose.yaml"
        try """
            name: delaytest
            services:
              flaky:
                image: \(engine.image)
                command: ["sh", "-c", "exit 7"]
                deploy:
                  restart_policy: {condition: on-failure, delay: 30s}
            """.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try engine.stack(["-f", file, "up", "-d"]).status == 0)
        // It exited with 7 and waits 30 s (not the 100 ms back-off) for its next attempt.
        var row: [String: Any] = [:]
        #expect(try engine.eventually(10) {
            let ps = try engine.stack(["-f", file, "ps", "-a", "--format", "json"])
            row = ((try? JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]]) ?? []).first ?? [:]
            return row["State"] as? String == "restarting"
        })
        let status = row["Status"] as? String ?? ""
        let prefix = "Restarting (7), next attempt in "
        #expect(status.hasPrefix(prefix), "\(row)")
        let seconds = Double(status.dropFirst(prefix.count).dropLast()) ?? 0
        #expect(seconds > 20 && seconds <= 30, "\(status)")
        #expect((row["NextRestart"] as? String)?.isEmpty == false)
        #expect(row["RestartCount"] as? Int == 0)
        let table = try engine.stack(["-f", file, "ps", "-a"])
        #expect(table.stdout.contains("next attempt in"), "\(table)")
        #expect(try engine.stack(["-f", file, "down", "-t", "0"]).status == 0)
    }

    @Test func theBackOffDoublesBetweenRestarts() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack(["container", "run", "-d", "--name", "flappy", "--restart", "always", engine.image, "sh", "-c", "exit 1"])
        #expect(run.status == 0, "\(run)")
        // When each restart is seen: 100 ms, 200, 400, 800, 1600 ms of back-off apart (plus the run).
        var seen: [Date] = []
        var last = -1
        let deadline = Date().addingTimeInterval(12)
        while seen.count < 5 && Date() < deadline {
            let count = try inspect(engine, "flappy")["RestartCount"] as? Int ?? -1
            if count != last {
                if last >= 0 { seen.append(Date()) }
                last = count
            }
            usleep(10_000)
        }
        #expect(seen.count == 5, "restarts seen: \(seen.count)")
        let gaps = zip(seen.dropFirst(), seen).map { $0.timeIntervalSince($1) }
        #expect(gaps.count == 4 && gaps[3] > 2 * gaps[0] && gaps[2] > gaps[0], "gaps \(gaps)")
        #expect(gaps.allSatisfy { $0 < 4 }, "gaps \(gaps)")
        #expect(try engine.stack(["container", "stop", "-t", "0", "flappy"]).status == 0)
    }
}
