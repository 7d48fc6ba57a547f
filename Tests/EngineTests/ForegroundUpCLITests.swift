import Foundation
import Testing

/// `stack up` in the foreground against a real engine: prefixed output and exit lines until
/// every container has exited (restarts followed), `--abort-on-container-exit`,
/// `--exit-code-from`, Ctrl-C stopping the stack (a second one killing it), `--build` refused.
@Suite(.enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ForegroundUpCLITests {
    /// A service that runs until SIGTERM, which it answers by exiting 0 (as PID 1 it would
    /// ignore it otherwise).
    static let longRunning = #"["sh", "-c", "trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done"]"#

    func write(_ engine: EngineHarness, _ text: String, name: String = "compose.yaml") throws -> String {
        let path = engine.directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Containers' states by name, from `ps -a --format json`.
    func states(_ engine: EngineHarness, _ file: String) throws -> [String: (state: String, exitCode: Int)] {
        let ps = try engine.stack(["-f", file, "ps", "-a", "--format", "json"])
        let rows = try JSONSerialization.jsonObject(with: Data(ps.stdout.utf8)) as? [[String: Any]] ?? []
        var states: [String: (state: String, exitCode: Int)] = [:]
        for row in rows {
            if let name = row["Name"] as? String {
                states[name] = (row["State"] as? String ?? "", row["ExitCode"] as? Int ?? -1)
            }
        }
        return states
    }

    func count(_ text: String, in output: String) -> Int { output.components(separatedBy: text).count - 1 }

    @Test func foregroundShowsPrefixedOutputAndExitLinesUntilAllExited() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try write(
            engine,
            """
            name: fgout
            services:
              a:
                image: \(engine.image)
                command: ["sh", "-c", "echo hello from a; echo oops from a >&2; exit 3"]
              b:
                image: \(engine.image)
                command: ["sh", "-c", "sleep 0.5; echo bye from b"]
              r:
                image: \(engine.image)
                command: ["sh", "-c", "echo run; exit 1"]
                restart: on-failure:2
            """)
        let up = try engine.stack(["-f", file, "up", "--no-color"])
        #expect(up.status == 0, "\(up)")
        #expect(up.stdout.contains("Attaching to "), "\(up)")
        #expect(up.stdout.contains("fgout-a-1  | hello from a\n"), "\(up)")
        #expect(up.stderr.contains("fgout-a-1  | oops from a\n"), "stderr lines go to stderr: \(up)")
        #expect(up.stdout.contains("fgout-a-1 exited with code 3\n"), "\(up)")
        #expect(up.stdout.contains("fgout-b-1  | bye from b\n"), "\(up)")
        #expect(up.stdout.contains("fgout-b-1 exited with code 0\n"), "\(up)")
        // The restarted container's output keeps coming: one line per run, one exit line per run,
        // the last one final.
        let runs = count("fgout-r-1  | run\n", in: up.stdout)
        #expect(runs >= 2, "restarted at least once: \(up)")
        #expect(count("fgout-r-1 exited with code 1", in: up.stdout) == runs, "\(up)")
        #expect(count("fgout-r-1 exited with code 1\n", in: up.stdout) == 1, "one final exit: \(up)")
        // The exit line comes after the container's output.
        if let line = up.stdout.range(of: "fgout-b-1  | bye from b"), let exit = up.stdout.range(of: "fgout-b-1 exited with code 0") {
            #expect(line.lowerBound < exit.lowerBound, "\(up)")
        }
        // Containers are left (exited), not removed.
        let states = try states(engine, file)
        #expect(states["fgout-a-1"]?.state == "exited" && states["fgout-a-1"]?.exitCode == 3, "\(states)")
    }

    @Test func abortOnContainerExitStopsTheLongRunningService() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try write(
            engine,
            """
            name: fgabort
            services:
              long:
                image: \(engine.image)
                command: \(Self.longRunning)
              quick:
                image: \(engine.image)
                command: ["sh", "-c", "sleep 1; echo quick done"]
                depends_on: [long]
            """)
        let started = Date()
        let up = try engine.stack(["-f", file, "up", "--abort-on-container-exit", "--no-color"])
        #expect(up.status == 0, "the first exit's code: \(up)")
        #expect(Date().timeIntervalSince(started) < 20, "the stop did not wait for a kill")
        for line in [
            "fgabort-long-1   | ready", "fgabort-quick-1  | quick done", "fgabort-quick-1 exited with code 0",
            "Aborting on container exit...", "fgabort-long-1   | got TERM", "fgabort-long-1 exited with code 0",
        ] {
            #expect(up.stdout.contains(line), "\(line) in \(up)")
        }
        #expect(try states(engine, file)["fgabort-long-1"]?.state == "exited")
    }

    @Test func exitCodeFromGivesTheServiceExitCode() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try write(
            engine,
            """
            name: fgcode
            services:
              safe:
                image: \(engine.image)
                command: \(Self.longRunning)
              failure:
                image: \(engine.image)
                command: ["sh", "-c", "sleep 0.5; echo exiting with error; exit 42"]
            """)
        let up = try engine.stack(["-f", file, "up", "--menu=false", "--exit-code-from", "failure", "--no-log-prefix", "--timestamps"])
        #expect(up.status == 42, "\(up)")
        let line = up.stdout.split(separator: "\n").first { $0.hasSuffix("Z exiting with error") }
        #expect(line.map { $0.count == "2026-11-29T08:00:00.123456789Z exiting with error".count && $0.hasPrefix("20") } == true,
            "no prefix, a timestamp: \(up)")
        let states = try states(engine, file)
        #expect(states["fgcode-safe-1"]?.state == "exited" && states["fgcode-failure-1"]?.exitCode == 42, "\(states)")
        // -d does not go with it.
        let detached = try engine.stack(["-f", file, "up", "-d", "--exit-code-from", "failure"])
        #expect(detached.status != 0 && detached.stderr.contains("--detach cannot be combined"), "\(detached)")
    }

    @Test func ctrlCStopsTheStackAndASecondKillsIt() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        // front depends on stubborn: front stops first; stubborn ignores SIGTERM for 30 s.
        let file = try write(
            engine,
            """
            name: fgsig
            services:
              front:
                image: \(engine.image)
                command: \(Self.longRunning)
                depends_on: [stubborn]
              stubborn:
                image: \(engine.image)
                command: ["sh", "-c", "trap '' TERM; echo stubborn ready; while true; do sleep 0.1; done"]
                stop_grace_period: 30s
            """)
        let up = try engine.startStack(["-f", file, "up", "--no-color"])
        defer { _ = up.wait(0) }
        #expect(engine.eventually(30) { up.stdout.contains("| ready") && up.stdout.contains("| stubborn ready") }, "\(up.stdout)")
        up.signal(SIGINT)
        #expect(engine.eventually(15) { up.stdout.contains("fgsig-front-1 exited with code 0") }, "\(up.stdout) \(up.stderr)")
        #expect(up.stdout.contains("Gracefully stopping... (press Ctrl+C again to force)"), "\(up.stdout)")
        #expect(up.stdout.contains("fgsig-front-1     | got TERM"), "front stopped gracefully: \(up.stdout)")
        #expect(up.process.isRunning, "stubborn is still in its grace period")
        up.signal(SIGINT)
        let status = up.wait(15)
        #expect(status == 130, "\(String(describing: status)) \(up.stdout) \(up.stderr)")
        #expect(up.stdout.contains("fgsig-stubborn-1 exited with code 137"), "\(up.stdout)")
        // Stopped, not removed.
        let states = try states(engine, file)
        #expect(states["fgsig-front-1"]?.state == "exited" && states["fgsig-stubborn-1"]?.state == "exited", "\(states)")
    }

    @Test func ctrlCWhileThePlanRunsStopsTheStackOnceItIsThrough() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        // b waits for a to be healthy (2 s): Ctrl-C comes while the plan runs.
        let file = try write(
            engine,
            """
            name: fgearly
            services:
              a:
                image: \(engine.image)
                command: ["sh", "-c", "trap 'exit 0' TERM; sleep 2; touch /tmp/ok; while true; do sleep 0.1; done"]
                healthcheck:
                  test: ["CMD", "test", "-f", "/tmp/ok"]
                  interval: 1s
              b:
                image: \(engine.image)
                command: \(Self.longRunning)
                depends_on:
                  a:
                    condition: service_healthy
            """)
        let up = try engine.startStack(["-f", file, "up", "--no-color"])
        defer { _ = up.wait(0) }
        #expect(engine.eventually(30) { up.stdout.contains("Container fgearly-a-1  Started") }, "\(up.stdout) \(up.stderr)")
        up.signal(SIGINT)
        let status = up.wait(30)
        #expect(status == 130, "\(String(describing: status)) \(up.stdout) \(up.stderr)")
        #expect(count("Gracefully stopping...", in: up.stdout) == 1, "\(up.stdout)")
        // b was started (the plan went through), then stopped before a (reverse dependency order).
        let stoppedB = up.stdout.range(of: "Container fgearly-b-1  Stopped")
        let stoppingA = up.stdout.range(of: "Container fgearly-a-1  Stopped")
        #expect(stoppedB != nil && stoppingA != nil, "\(up.stdout)")
        if let stoppedB, let stoppingA { #expect(stoppedB.lowerBound < stoppingA.lowerBound, "\(up.stdout)") }
        let states = try states(engine, file)
        #expect(states["fgearly-a-1"]?.state == "exited" && states["fgearly-b-1"]?.state == "exited", "\(states)")
    }

    @Test func outputGoesOnWithoutGapsWhenStackdIsKilled() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try write(
            engine,
            """
            name: fgcrash
            services:
              tick:
                image: \(engine.image)
                command: ["sh", "-c", "trap 'exit 0' TERM; i=0; while true; do i=$$((i+1)); echo tick $$i; sleep 0.2; done"]
            """)
        let up = try engine.startStack(["-f", file, "up", "--no-color"])
        defer { _ = up.wait(0) }
        #expect(engine.eventually(30) { up.stdout.contains("fgcrash-tick-1  | tick 3\n") }, "\(up.stdout) \(up.stderr)")
        guard let daemon = engine.daemonPid else {
            Issue.record("no stackd pid")
            return
        }
        kill(daemon, SIGKILL)
        // up connects again (starting stackd) and follows on from the last line it printed.
        #expect(engine.eventually(30) { engine.daemonPid != daemon && up.stdout.contains("fgcrash-tick-1  | tick 25\n") }, "\(up.stdout) \(up.stderr)")
        up.signal(SIGINT)
        #expect(up.wait(20) == 130, "\(up.stdout) \(up.stderr)")
        let ticks = up.stdout.split(separator: "\n").filter { $0.hasPrefix("fgcrash-tick-1  | tick ") }
            .compactMap { Int($0.dropFirst("fgcrash-tick-1  | tick ".count)) }
        #expect(!ticks.isEmpty && ticks == Array(1...ticks.count), "every line once, in order: \(ticks)")
    }

    @Test func sigtermStopsTheStackGracefully() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let file = try write(
            engine,
            """
            name: fgterm
            services:
              web:
                image: \(engine.image)
                command: \(Self.longRunning)
            """)
        let up = try engine.startStack(["-f", file, "up", "--no-color", "-t", "5"])
        defer { _ = up.wait(0) }
        #expect(engine.eventually(30) { up.stdout.contains("fgterm-web-1  | ready") }, "\(up.stdout) \(up.stderr)")
        up.signal(SIGTERM)
        let status = up.wait(15)
        #expect(status == 130, "\(String(describing: status)) \(up.stdout) \(up.stderr)")
        #expect(up.stdout.contains("fgterm-web-1 exited with code 0"), "\(up.stdout)")
        #expect(try states(engine, file)["fgterm-web-1"]?.state == "exited")
    }

    @Test func buildIsRefusedNamingTheServices() throws {
        let engine = try EngineHarness(importImage: false)
        defer { engine.tearDown() }
        let file = try write(
            engine,
            """
            name: fgbuild
            services:
              app:
                build: .
              web:
                image: busybox-test:latest
            """)
        let refused = try engine.stack(["-f", file, "up", "--build", "-d"])
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("no image builder") && refused.stderr.contains("build: app"), "\(refused)")
        #expect(try engine.stack(["container", "ls", "-aq"]).stdout.isEmpty, "nothing was created")
        let plain = try write(engine, "name: fgplain\nservices:\n  web:\n    image: busybox-test:latest\n", name: "plain.yaml")
        let noop = try engine.stack(["-f", plain, "up", "--build", "--dry-run"])
        #expect(noop.status == 0 && noop.stderr.contains("nothing to build"), "\(noop)")
        let both = try engine.stack(["-f", plain, "up", "--abort-on-container-exit", "--abort-on-container-failure"])
        #expect(both.status != 0 && both.stderr.contains("cannot be combined"), "\(both)")
    }
}
