import Foundation
import Testing

/// Logs, exec, attach, pause, top and stats through the CLI.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ContainerFeatureTests {
    @Test func logsTailTimestampsAndFollow() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let run = try engine.stack([
            "container", "run", "-d", "--name", "talker", engine.image, "sh", "-c",
            "for i in 1 2 3; do echo line$i; done; echo err >&2; sleep 1; echo late; sleep 300",
        ])
        #expect(run.status == 0, "\(run)")
        #expect(engine.eventually { (try? engine.stack(["container", "logs", "talker"]).stdout.contains("late")) == true })
        let all = try engine.stack(["container", "logs", "talker"])
        #expect(all.stdout == "line1\nline2\nline3\nlate\n", "\(all)")
        #expect(all.stderr == "err\n")
        let tail = try engine.stack(["container", "logs", "--tail", "1", "talker"])
        #expect(tail.stdout == "late\n")
        let stamped = try engine.stack(["container", "logs", "-t", "--tail", "1", "talker"])
        #expect(stamped.stdout.hasSuffix("Z late\n"), "\(stamped)")
        // -f follows until the container stops: kill it from here after a moment.
        let engineRef = engine
        let killer = Thread {
            usleep(700_000)
            _ = try? engineRef.stack(["container", "kill", "talker"])
        }
        killer.start()
        let followed = try engine.stack(["container", "logs", "-f", "talker"])
        #expect(followed.status == 0, "\(followed)")
        #expect(followed.stdout.hasSuffix("late\n"))
    }

    @Test func execRunsInTheContainerWithItsExitStatus() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        #expect(try engine.stack(["container", "run", "-d", "--name", "host", engine.image, "sleep", "300"]).status == 0)
        let ps = try engine.stack(["container", "exec", "host", "sh", "-c", "echo pid=$$; cat /proc/1/cmdline | tr '\\0' ' '"])
        #expect(ps.status == 0, "\(ps)")
        #expect(ps.stdout.contains("sleep 300"))
        let failing = try engine.stack(["container", "exec", "host", "sh", "-c", "exit 7"])
        #expect(failing.status == 7)
        let env = try engine.stack(["container", "exec", "-e", "GREETING=hi", "-w", "/tmp", "-u", "app", "host", "sh", "-c", "echo $GREETING $(pwd) $(id -u)"])
        #expect(env.stdout == "hi /tmp 1000\n", "\(env)")
        let input = try engine.stack(["container", "exec", "-i", "host", "cat"], stdin: "through stdin\n")
        #expect(input.stdout == "through stdin\n", "\(input)")
        let stopped = try engine.stack(["container", "exec", "nosuch", "true"])
        #expect(stopped.status != 0)
    }

    @Test func attachWithStdinAndPauseUnpause() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        // -i keeps stdin open: cat echoes it, and ends when our stdin ends.
        let echoed = try engine.stack(["container", "run", "--rm", "-i", engine.image, "cat"], stdin: "one\ntwo\n")
        #expect(echoed.status == 0, "\(echoed)")
        #expect(echoed.stdout == "one\ntwo\n")

        #expect(try engine.stack(["container", "run", "-d", "--name", "counter", engine.image, "sh", "-c", "while true; do echo tick; sleep 0.1; done"]).status == 0)
        #expect(try engine.stack(["container", "pause", "counter"]).status == 0)
        let paused = try engine.stack(["container", "inspect", "counter"])
        #expect(paused.stdout.contains("\"Status\" : \"paused\""), "\(paused)")
        let before = try engine.stack(["container", "logs", "counter"]).stdout.count
        usleep(400_000)
        let during = try engine.stack(["container", "logs", "counter"]).stdout.count
        #expect(before == during, "a paused container wrote output")
        #expect(try engine.stack(["container", "unpause", "counter"]).status == 0)
        #expect(engine.eventually(5) { ((try? engine.stack(["container", "logs", "counter"]).stdout.count) ?? 0) > during })
        let top = try engine.stack(["container", "top", "counter"])
        #expect(top.stdout.contains("PID"), "\(top)")
        #expect(top.stdout.contains("while true") || top.stdout.contains("sh -c"))
        let stats = try engine.stack(["container", "stats", "--no-stream", "counter"])
        #expect(stats.stdout.contains("counter"), "\(stats)")
    }
}
