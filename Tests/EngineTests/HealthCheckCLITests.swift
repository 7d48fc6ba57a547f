import Foundation
import Testing

/// Healthchecks run by stackd against a real container: starting → healthy → unhealthy, the
/// probe's output in inspect, the status in `ls`, and a probe that outlives its timeout.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct HealthCheckCLITests {
    func health(_ engine: EngineHarness, _ name: String) throws -> [String: Any] {
        let result = try engine.stack(["container", "inspect", name])
        let objects = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        return ((objects?.first?["State"] as? [String: Any])?["Health"] as? [String: Any]) ?? [:]
    }

    @Test func healthFollowsTheProbe() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack([
            "container", "run", "-d", "--name", "probed", "--health-cmd", "test -f /tmp/ok && echo fine",
            "--health-interval", "200ms", "--health-retries", "2", engine.image, "sh", "-c", "sleep 1; touch /tmp/ok; sleep 60",
        ])
        #expect(run.status == 0, "\(run)")
        #expect(try health(engine, "probed")["Status"] as? String == "starting")
        #expect(try engine.eventually(15) { try health(engine, "probed")["Status"] as? String == "healthy" })
        let log = try health(engine, "probed")["Log"] as? [[String: Any]] ?? []
        #expect(log.last?["Output"] as? String == "fine\n", "\(log)")
        #expect(log.last?["ExitCode"] as? Int == 0)
        #expect(try engine.stack(["container", "ls"]).stdout.contains("(healthy)"))
        #expect(try engine.stack(["container", "exec", "probed", "rm", "/tmp/ok"]).status == 0)
        #expect(try engine.eventually(15) { try health(engine, "probed")["Status"] as? String == "unhealthy" })
        #expect(try health(engine, "probed")["FailingStreak"] as? Int ?? 0 >= 2)
    }

    @Test func aProbeOverItsTimeoutFails() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack([
            "container", "run", "-d", "--name", "slow", "--health-cmd", "sleep 5", "--health-interval", "200ms",
            "--health-timeout", "300ms", "--health-retries", "1", engine.image, "sleep", "60",
        ])
        #expect(run.status == 0, "\(run)")
        #expect(try engine.eventually(15) { try health(engine, "slow")["Status"] as? String == "unhealthy" })
        let log = try health(engine, "slow")["Log"] as? [[String: Any]] ?? []
        #expect(log.last?["ExitCode"] as? Int == -1, "\(log)")
        // A timed-out probe is killed inside the container, not just its runtime process: it
        // ends at its timeout, not when `sleep 5` would have (its output pipe held it open).
        for entry in log {
            let start = ContainerTimeText.seconds(entry["Start"] as? String ?? "")
            let end = ContainerTimeText.seconds(entry["End"] as? String ?? "")
            #expect(end - start < 2, "\(entry)")
        }
        let top = try engine.stack(["container", "top", "slow"])
        #expect(top.stdout.split(separator: "\n").filter { $0.contains("sleep 5") }.count <= 1, "\(top)")
        let bad = try engine.stack(["container", "run", "--rm", "--no-healthcheck", "--health-cmd", "true", engine.image, "true"])
        #expect(bad.status != 0 && bad.stderr.contains("--no-healthcheck"), "\(bad)")
    }
}

/// RFC 3339 times of inspect, to seconds (fractions kept).
enum ContainerTimeText {
    static func seconds(_ text: String) -> Double {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let parts = text.split(separator: ".", maxSplits: 1)
        guard let whole = formatter.date(from: parts.count == 2 ? String(parts[0]) + "Z" : text) else { return 0 }
        let fraction = parts.count == 2 ? Double("0." + parts[1].dropLast()) ?? 0 : 0
        return whole.timeIntervalSince1970 + fraction
    }
}
