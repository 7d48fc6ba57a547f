import Foundation
import Testing

/// The Compose service commands against a real engine: start/stop with dependencies, restart,
/// kill, pause, top, port, images, stats, events (one stack), then rm and run (another).
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ServiceCommandsCLITests {
    /// `web` depends on `db`; `db` has an anonymous volume, `web` publishes port 80 on 18080.
    func writeStack(_ engine: EngineHarness) throws -> String {
        let path = engine.directory + "/compose.yaml"
        try """
            name: svctest
            services:
              web:
                image: \(engine.image)
                init: true
                command: httpd -f -p 80 -h /
                environment:
                  GREETING: hello
                ports: ["18080:80"]
                depends_on: [db]
              db:
                image: \(engine.image)
                init: true
                command: sleep 1000
                volumes: [/scratch]
            """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Service name → (id, state) from `ps -a --format json`.
    func states(_ engine: EngineHarness, _ file: String) throws -> [String: (id: String, state: String)] {
        let ps = try engine.stack(["-f", file, "ps", "-a", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]] ?? []
        var result: [String: (id: String, state: String)] = [:]
        for row in rows {
            if let service = row["Service"] as? String {
                result[service] = (row["ID"] as? String ?? "", row["State"] as? String ?? "")
            }
        }
        return result
    }

    @Test func lifecycleCommandsFollowDependenciesAndKeepContainers() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try writeStack(engine)
        let up = try engine.stack(["-f", file, "up", "-d"])
        #expect(up.status == 0, "\(up)")
        let first = try states(engine, file)
        #expect(first["web"]?.state == "running" && first["db"]?.state == "running", "\(first)")

        // The conformance scenario start-stop-dependencies.
        let stopWeb = try engine.stack(["-f", file, "stop", "web"])
        #expect(stopWeb.status == 0 && stopWeb.stdout.contains("✔ Container svctest-web-1  Stopped"), "\(stopWeb)")
        var now = try states(engine, file)
        #expect(now["web"]?.state == "exited" && now["db"]?.state == "running", "stop web leaves db: \(now)")
        let stopAll = try engine.stack(["-f", file, "stop", "-t", "2"])
        #expect(stopAll.status == 0, "\(stopAll)")
        now = try states(engine, file)
        #expect(now["web"]?.state == "exited" && now["db"]?.state == "exited", "\(now)")
        let start = try engine.stack(["-f", file, "start", "web"])
        #expect(start.status == 0, "\(start)")
        // db (the dependency) is started before web.
        let dbLine = start.stdout.range(of: "Container svctest-db-1  Started")
        let webLine = start.stdout.range(of: "Container svctest-web-1  Started")
        #expect(dbLine != nil && webLine != nil && dbLine?.lowerBound ?? start.stdout.endIndex < webLine?.lowerBound ?? start.stdout.startIndex, "\(start)")
        now = try states(engine, file)
        #expect(now["web"]?.state == "running" && now["db"]?.state == "running", "\(now)")
        #expect(now["web"]?.id == first["web"]?.id && now["db"]?.id == first["db"]?.id, "not recreated")
        // Stopping everything goes in reverse dependency order: web before db.
        let stopBoth = try engine.stack(["-f", file, "stop", "-t", "2"])
        let webStopped = try #require(stopBoth.stdout.range(of: "Container svctest-web-1  Stopped"), "\(stopBoth)")
        let dbStopped = try #require(stopBoth.stdout.range(of: "Container svctest-db-1  Stopped"), "\(stopBoth)")
        #expect(webStopped.lowerBound < dbStopped.lowerBound, "\(stopBoth)")
        #expect(try engine.stack(["-f", file, "start"]).status == 0)

        // restart keeps the containers.
        let restart = try engine.stack(["-f", file, "restart", "-t", "2", "db"])
        #expect(restart.status == 0 && restart.stdout.contains("svctest-db-1"), "\(restart)")
        now = try states(engine, file)
        #expect(now["db"]?.state == "running" && now["db"]?.id == first["db"]?.id, "\(now)")

        // pause / unpause.
        let pause = try engine.stack(["-f", file, "pause", "web"])
        #expect(pause.status == 0 && pause.stdout.contains("Container svctest-web-1  Paused"), "\(pause)")
        #expect(try states(engine, file)["web"]?.state == "paused")
        let unpause = try engine.stack(["-f", file, "unpause"])
        #expect(unpause.status == 0 && unpause.stdout.contains("Container svctest-web-1  Unpaused"), "\(unpause)")
        #expect(try states(engine, file)["web"]?.state == "running")

        // top, port, images, stats.
        let top = try engine.stack(["-f", file, "top", "web"])
        #expect(top.status == 0 && top.stdout.hasPrefix("SERVICE") && top.stdout.contains("httpd -f -p 80"), "\(top)")
        #expect(!top.stdout.contains("sleep 1000"), "only web's processes: \(top)")
        let port = try engine.stack(["-f", file, "port", "web", "80"])
        #expect(port.status == 0 && port.stdout.hasSuffix(":18080\n"), "\(port)")
        let noPort = try engine.stack(["-f", file, "port", "--protocol", "udp", "web", "80"])
        #expect(noPort.status != 0 && noPort.stderr.contains("no port 80/udp"), "\(noPort)")
        let images = try engine.stack(["-f", file, "images"])
        #expect(images.status == 0 && images.stdout.contains("svctest-web-1") && images.stdout.contains("busybox-test"), "\(images)")
        let stats = try engine.stack(["-f", file, "stats", "--no-stream", "--format", "json", "db"])
        #expect(stats.status == 0 && stats.stdout.contains("\"Name\":\"svctest-db-1\"") && !stats.stdout.contains("web"), "\(stats)")

        // kill -s, and the events it caused (the stream bounded by --until).
        let since = Int(Date().timeIntervalSince1970) - 1
        let kill = try engine.stack(["-f", file, "kill", "-s", "SIGTERM", "db"])
        #expect(kill.status == 0 && kill.stdout.contains("Container svctest-db-1  Killed"), "\(kill)")
        #expect(engine.eventually(5) { (try? states(engine, file)["db"]?.state) == "exited" }, "SIGTERM ended db")
        #expect(try states(engine, file)["web"]?.state == "running", "kill db leaves web")
        let events = try engine.stack([
            "-f", file, "events", "--json", "--since", "\(since)", "--until", "\(Int(Date().timeIntervalSince1970) + 1)",
        ])
        #expect(events.status == 0, "\(events)")
        let lines = events.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(lines.contains { $0["action"] as? String == "kill" && $0["service"] as? String == "db" && $0["type"] as? String == "container" }, "\(events)")
        #expect(lines.contains { $0["action"] as? String == "die" }, "\(events)")

        // Orphans: reported by kill, removed with --remove-orphans.
        let orphan = try engine.stack([
            "container", "create", "--name", "svctest-old-1", "-l", "com.docker.compose.project=svctest",
            "-l", "com.docker.compose.service=old", "-l", "com.docker.compose.container-number=1", engine.image, "true",
        ])
        #expect(orphan.status == 0, "\(orphan)")
        let warned = try engine.stack(["-f", file, "kill"])
        #expect(warned.status == 0 && warned.stderr.contains("orphan containers (svctest-old-1)"), "\(warned)")
        #expect(warned.stdout.contains("Container svctest-web-1  Killed"), "\(warned)")
        let cleaned = try engine.stack(["-f", file, "kill", "--remove-orphans"])
        #expect(cleaned.status == 0 && cleaned.stdout.contains("Container svctest-old-1  Removed"), "\(cleaned)")
        #expect(try engine.stack(["container", "inspect", "svctest-old-1"]).status != 0, "orphan gone")

        let down = try engine.stack(["-f", file, "down"])
        #expect(down.status == 0, "\(down)")
    }

    @Test func rmAndRunHandleOneOffsAndVolumes() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try writeStack(engine)
        #expect(try engine.stack(["-f", file, "up", "-d"]).status == 0)
        let inspect = try engine.stack(["container", "inspect", "svctest-db-1"])
        let objects = try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]] ?? []
        let mounts = objects.first?["Mounts"] as? [[String: Any]] ?? []
        let anonymous = mounts.first { $0["Destination"] as? String == "/scratch" }?["Name"] as? String ?? ""
        #expect(!anonymous.isEmpty, "\(inspect)")
        #expect(try engine.stack(["volume", "ls", "-q"]).stdout.contains(anonymous))

        // Running containers are not removed without -s.
        let running = try engine.stack(["-f", file, "rm", "-f", "db"])
        #expect(running.status == 0 && running.stderr.contains("No stopped containers"), "\(running)")
        // Not a terminal, no -f: the question is asked on stdout, and no answer means no.
        #expect(try engine.stack(["-f", file, "stop", "web"]).status == 0)
        let unanswered = try engine.stack(["-f", file, "rm", "web"])
        #expect(unanswered.status == 0 && unanswered.stdout.contains("Going to remove svctest-web-1"), "\(unanswered)")
        #expect(try states(engine, file)["web"] != nil, "kept")
        let answered = try engine.stack(["-f", file, "rm", "web"], stdin: "y\n")
        #expect(answered.status == 0 && answered.stdout.contains("Container svctest-web-1  Removed"), "\(answered)")
        let removed = try engine.stack(["-f", file, "rm", "-s", "-f", "-v", "db"])
        #expect(removed.status == 0 && removed.stdout.contains("Container svctest-db-1  Stopped"), "\(removed)")
        #expect(try states(engine, file).isEmpty)
        #expect(!(try engine.stack(["volume", "ls", "-q"]).stdout.contains(anonymous)), "anonymous volume removed")

        // run brings db (a dependency) up again, passes -e, and exits with the command's status.
        let run = try engine.stack([
            "-f", file, "run", "--rm", "-e", "EXTRA=42", "web", "sh", "-c", "echo got $EXTRA $GREETING; exit 3",
        ])
        #expect(run.status == 3, "\(run)")
        #expect(run.stdout == "got 42 hello\n", "only the container's output on stdout: \(run)")
        #expect(run.stderr.contains("Container svctest-db-1  Started"), "progress on stderr: \(run)")
        let all = try engine.stack(["container", "ls", "-a", "--format", "json"])
        #expect(!all.stdout.contains("-run-"), "--rm removed it: \(all)")
        #expect(try states(engine, file)["db"]?.state == "running", "dependency started")
        #expect(try states(engine, file)["web"] == nil, "run does not create the service's container")

        // run -d leaves a one-off that ps does not show; it has no published port.
        let detached = try engine.stack(["-f", file, "run", "-d", "--no-deps", "web", "sleep", "100"])
        let id = detached.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(detached.status == 0 && !id.isEmpty, "\(detached)")
        let oneOff = try engine.stack(["container", "inspect", id])
        let object = (try JSONSerialization.jsonObject(with: Data(oneOff.stdout.utf8)) as? [[String: Any]])?.first ?? [:]
        let labels = (object["Config"] as? [String: Any])?["Labels"] as? [String: String] ?? [:]
        #expect(labels["com.docker.compose.oneoff"] == "True" && labels["com.docker.compose.service"] == "web", "\(oneOff)")
        #expect((object["Name"] as? String ?? "").hasPrefix("/svctest-web-run-"), "\(oneOff)")
        #expect((object["State"] as? [String: Any])?["Running"] as? Bool == true, "\(oneOff)")
        let ps = try engine.stack(["-f", file, "ps", "-a", "-q"])
        #expect(!ps.stdout.contains(String(id.prefix(12))), "\(ps)")
        #expect(try engine.stack(["container", "port", id]).stdout.isEmpty, "no published ports")
        // down takes one-offs with it (as Compose), though ps does not show them.
        let down = try engine.stack(["-f", file, "down", "-t", "0"])
        #expect(down.status == 0 && down.stdout.contains("Container svctest-web-run-"), "\(down)")
        #expect(try !engine.stack(["container", "ls", "-a"]).stdout.contains("-run-"))

        // Without a terminal, a signal to `run` goes to the container; run ends with its status.
        let output = engine.directory + "/run-signal.out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: EngineHarness.binaries + "/stack")
        process.arguments = [
            "-f", file, "run", "--rm", "--no-deps", "web", "sh", "-c",
            "trap 'echo got-term; exit 7' TERM; echo ready; while true; do sleep 0.2; done",
        ]
        process.environment = engine.environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try process.run()
        let ready = engine.eventually(10) { ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains("ready") }
        #expect(ready)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 7, "\(process.terminationStatus)")
        #expect(((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").contains("got-term"))
        #expect(try engine.stack(["-f", file, "down", "-v"]).status == 0)
    }
}
