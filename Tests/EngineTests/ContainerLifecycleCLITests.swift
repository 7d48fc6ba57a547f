import Foundation
import Testing

extension EngineHarness {
    /// The parsed `container inspect` object of `container`.
    func containerInspect(_ container: String) throws -> [String: Any]? {
        let result = try stack(["container", "inspect", container])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])?.first
    }

    /// `State.Status` of `container`.
    func containerStatus(_ container: String) throws -> String? {
        (try containerInspect(container)?["State"] as? [String: Any])?["Status"] as? String
    }
}

/// create/start/wait, restart, kill, rename, rm -f, ls, logs windows and the CLI's error statuses.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ContainerLifecycleCLITests {
    @Test func createThenStartThenWaitPrintsTheExitCode() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let created = try engine.stack(["container", "create", "--name", "job", engine.image, "sh", "-c", "echo ran; exit 3"])
        #expect(created.status == 0, "\(created)")
        let id = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id.count == 64 && id.allSatisfy(\.isHexDigit), "\(created)")
        #expect(try engine.containerStatus("job") == "created")
        #expect(try engine.stack(["container", "ls", "-q"]).stdout.isEmpty, "a created container is not running")
        let started = try engine.stack(["container", "start", "job"])
        #expect(started.status == 0 && started.stdout == "job\n", "\(started)")
        let waited = try engine.stack(["container", "wait", "job"])
        #expect(waited.status == 0, "\(waited)")
        #expect(waited.stdout == "3\n", "\(waited)")
        let state = try engine.containerInspect(id)?["State"] as? [String: Any]
        #expect(state?["Status"] as? String == "exited")
        #expect(state?["ExitCode"] as? Int == 3)
        #expect(try engine.stack(["container", "logs", "job"]).stdout == "ran\n")
        // wait on an exited container answers at once; a second start runs it again.
        #expect(try engine.stack(["container", "wait", id]).stdout == "3\n")
        #expect(try engine.stack(["container", "start", "job"]).status == 0)
        #expect(try engine.stack(["container", "wait", "job"]).stdout == "3\n")
        #expect(try engine.stack(["container", "logs", "job"]).stdout == "ran\nran\n")
    }

    @Test func restartCountsAndKeepsItRunning() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack([
            "container", "run", "-d", "--name", "svc", engine.image, "sh", "-c",
            "trap 'exit 0' TERM; echo started; while true; do sleep 0.1; done",
        ])
        #expect(run.status == 0, "\(run)")
        let before = try #require(try engine.containerInspect("svc"))
        let firstPid = (before["State"] as? [String: Any])?["Pid"] as? Int ?? 0
        #expect(before["RestartCount"] as? Int == 0, "\(before)")
        // The trap is set once "started" is out (a TERM before that would be ignored by PID 1).
        #expect(engine.eventually { (try? engine.stack(["container", "logs", "svc"]).stdout) == "started\n" })
        let restarted = try engine.stack(["container", "restart", "-t", "5", "svc"])
        #expect(restarted.status == 0 && restarted.stdout == "svc\n", "\(restarted)")
        let after = try #require(try engine.containerInspect("svc"))
        let state = after["State"] as? [String: Any]
        #expect(state?["Status"] as? String == "running", "\(after)")
        #expect(after["RestartCount"] as? Int == 1, "\(after)")
        #expect((state?["Pid"] as? Int ?? 0) > 0 && state?["Pid"] as? Int != firstPid, "\(after)")
        #expect(engine.eventually { (try? engine.stack(["container", "logs", "svc"]).stdout) == "started\nstarted\n" })
        #expect(try engine.stack(["container", "restart", "svc"]).status == 0)
        #expect(try engine.containerInspect("svc")?["RestartCount"] as? Int == 2)
        #expect(try engine.stack(["container", "exec", "svc", "true"]).status == 0)
    }

    @Test func killWithASignalReachesATrap() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack([
            "container", "run", "-d", "--name", "trapper", engine.image, "sh", "-c",
            "trap 'echo got-usr1' USR1; echo ready; while true; do sleep 0.1; done",
        ])
        #expect(run.status == 0, "\(run)")
        #expect(engine.eventually { (try? engine.stack(["container", "logs", "trapper"]).stdout) == "ready\n" })
        let killed = try engine.stack(["container", "kill", "-s", "USR1", "trapper"])
        #expect(killed.status == 0 && killed.stdout == "trapper\n", "\(killed)")
        #expect(engine.eventually { (try? engine.stack(["container", "logs", "trapper"]).stdout) == "ready\ngot-usr1\n" })
        #expect(try engine.containerStatus("trapper") == "running", "USR1 with a trap does not end it")
        #expect(try engine.stack(["container", "kill", "-s", "SIGUSR1", "trapper"]).status == 0)
        #expect(engine.eventually { (try? engine.stack(["container", "logs", "trapper"]).stdout) == "ready\ngot-usr1\ngot-usr1\n" })
        let bad = try engine.stack(["container", "kill", "-s", "NOSUCHSIG", "trapper"])
        #expect(bad.status == 1, "\(bad)")
        // The default is SIGKILL: 137.
        #expect(try engine.stack(["container", "kill", "trapper"]).status == 0)
        #expect(try engine.stack(["container", "wait", "trapper"]).stdout == "137\n")
        let notRunning = try engine.stack(["container", "kill", "trapper"])
        #expect(notRunning.status == 1 && notRunning.stderr.contains("is not running"), "\(notRunning)")
        // A paused container is thawed by SIGKILL and ends (a frozen one could not).
        #expect(try engine.stack(["container", "run", "-d", "--name", "frozen", engine.image, "sleep", "300"]).status == 0)
        #expect(try engine.stack(["container", "pause", "frozen"]).status == 0)
        #expect(try engine.stack(["container", "kill", "frozen"]).status == 0)
        #expect(engine.eventually { (try? engine.containerStatus("frozen")) == "exited" }, "a killed paused container stays")
        #expect(try engine.stack(["container", "wait", "frozen"]).stdout == "137\n")
    }

    @Test func renameRemoveForcedAndListAllQuiet() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack(["container", "run", "-d", "--name", "old", engine.image, "sleep", "300"])
        let id = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(run.status == 0, "\(run)")
        let renamed = try engine.stack(["container", "rename", "old", "new"])
        #expect(renamed.status == 0, "\(renamed)")
        let gone = try engine.stack(["container", "inspect", "old"])
        #expect(gone.status == 1 && gone.stderr.contains("No such container"), "\(gone)")
        #expect(try engine.containerInspect("new")?["Name"] as? String == "/new")
        #expect(try engine.stack(["container", "exec", "new", "echo", "hi"]).stdout == "hi\n")
        let listed = try engine.stack(["container", "ls", "--format", "json"])
        #expect(listed.stdout.contains("\"Names\":\"new\""), "\(listed)")
        let row = (try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any]) ?? [:]
        let createdAt = row["CreatedAt"] as? String ?? ""
        #expect(createdAt.range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$"#, options: .regularExpression) != nil,
            "docker's CreatedAt: \(listed)")
        // The old name is free again; a taken name cannot be renamed to.
        #expect(try engine.stack(["container", "create", "--name", "old", engine.image, "true"]).status == 0)
        let clash = try engine.stack(["container", "rename", "new", "old"])
        #expect(clash.status == 1 && clash.stderr.contains("already in use"), "\(clash)")

        // ls: -q only running ones, -a -q all, short ids; --no-trunc full ids.
        let running = try engine.stack(["container", "ls", "-q"])
        #expect(running.stdout == String(id.prefix(12)) + "\n", "\(running)")
        let all = try engine.stack(["container", "ls", "-a", "-q"]).stdout.split(separator: "\n")
        #expect(all.count == 2 && all.allSatisfy { $0.count == 12 }, "\(all)")
        #expect(all.contains(Substring(id.prefix(12))))
        let full = try engine.stack(["container", "ls", "-aq", "--no-trunc"]).stdout.split(separator: "\n")
        #expect(full.contains(Substring(id)), "\(full)")

        // rm -f of a running container: killed and removed, its monitor gone, its mount gone.
        let monitorPid = Int32((try? String(contentsOfFile: engine.root + "/containers/\(id)/monitor.pid", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        let removed = try engine.stack(["container", "rm", "-f", "new"])
        #expect(removed.status == 0 && removed.stdout == "new\n", "\(removed)")
        #expect(try engine.stack(["container", "ls", "-a", "-q"]).stdout.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: engine.root + "/containers/\(id)"))
        if monitorPid > 0 { #expect(engine.eventually { kill(monitorPid, 0) != 0 }, "monitor \(monitorPid) still alive") }
        let mounts = (try? String(contentsOfFile: "/proc/self/mounts", encoding: .utf8)) ?? ""
        #expect(!mounts.contains(id), "the rootfs is still mounted")
    }

    @Test func logsSinceAndUntil() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack(["container", "run", "--name", "two", engine.image, "sh", "-c", "echo first; sleep 1; echo second"])
        #expect(run.status == 0, "\(run)")
        let stamped = try engine.stack(["container", "logs", "-t", "two"]).stdout.split(separator: "\n").map(String.init)
        #expect(stamped.count == 2, "\(stamped)")
        let stamps = stamped.compactMap { $0.split(separator: " ").first.map(String.init) }
        let times = stamps.compactMap(Self.unixTime)
        #expect(times.count == 2 && times[1] - times[0] > 0.5, "\(stamps)")
        guard times.count == 2 else { return }
        let between = String(format: "%.6f", (times[0] + times[1]) / 2)
        let since = try engine.stack(["container", "logs", "--since", between, "two"])
        #expect(since.stdout == "second\n", "\(since)")
        let until = try engine.stack(["container", "logs", "--until", between, "two"])
        #expect(until.stdout == "first\n", "\(until)")
        // RFC 3339 timestamps: since is inclusive, until too.
        #expect(try engine.stack(["container", "logs", "--since", stamps[1], "two"]).stdout == "second\n")
        #expect(try engine.stack(["container", "logs", "--until", stamps[0], "two"]).stdout == "first\n")
        // Relative: everything is younger than an hour, nothing is older.
        #expect(try engine.stack(["container", "logs", "--since", "1h", "two"]).stdout == "first\nsecond\n")
        #expect(try engine.stack(["container", "logs", "--until", "1h", "two"]).stdout == "")
        // Nothing but the log on the CLI's streams, every time (no event-loop noise at exit).
        for _ in 0..<15 {
            let again = try engine.stack(["container", "logs", "two"])
            #expect(again.stdout == "first\nsecond\n" && again.stderr.isEmpty, "\(again)")
        }
        let bad = try engine.stack(["container", "logs", "--since", "yesterday-ish", "two"])
        #expect(bad.status != 0 && bad.stderr.contains("--since"), "\(bad)")
    }

    @Test func errorsHaveDockersStatusesAndMessages() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        for command in [["inspect"], ["start"], ["stop"], ["rm"], ["logs"], ["kill"], ["wait"], ["restart"]] {
            let result = try engine.stack(["container"] + command + ["nosuch"])
            #expect(result.status == 1, "\(command): \(result)")
            #expect(result.stderr.contains("No such container: nosuch"), "\(command): \(result)")
        }
        let badMemory = try engine.stack(["container", "run", "--rm", "-m", "1x", engine.image, "true"])
        #expect(badMemory.status == 125, "\(badMemory)")
        #expect(badMemory.stderr.contains("--memory") || badMemory.stderr.contains("-m"), "\(badMemory)")
        #expect(badMemory.stderr.contains("1x"), "\(badMemory)")
        let badCpus = try engine.stack(["container", "create", "--cpus", "lots", engine.image, "true"])
        #expect(badCpus.status == 125 && badCpus.stderr.contains("--cpus"), "\(badCpus)")
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty, "a refused run created something")

        #expect(try engine.stack(["container", "run", "-d", "--name", "dup", engine.image, "sleep", "300"]).status == 0)
        let conflict = try engine.stack(["container", "run", "--name", "dup", engine.image, "true"])
        #expect(conflict.status == 125, "\(conflict)")
        #expect(conflict.stderr.contains("already in use"), "\(conflict)")
        let createConflict = try engine.stack(["container", "create", "--name", "dup", engine.image, "true"])
        #expect(createConflict.status == 125 && createConflict.stderr.contains("already in use"), "\(createConflict)")
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.split(separator: "\n").count == 1)
    }

    /// `2026-11-29T08:00:00.123456789Z` as Unix seconds.
    static func unixTime(_ text: String) -> Double? {
        guard text.hasSuffix("Z") else { return nil }
        let body = text.dropLast()
        let parts = body.split(separator: ".", maxSplits: 1)
        let formatter = ISO8601DateFormatter()
        guard let whole = parts.first, let date = formatter.date(from: String(whole) + "Z") else { return nil }
        let fraction = parts.count > 1 ? Double("0." + parts[1]) ?? 0 : 0
        return date.timeIntervalSince1970 + fraction
    }
}
