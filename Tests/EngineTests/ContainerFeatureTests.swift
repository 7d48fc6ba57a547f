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
        #expect(all.stderr == "err\n", "\(all)")
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

/// Terminals, --init, networks, exec variants, attach, and what the host cannot enforce.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ContainerOptionTests {
    @Test func initRunsAsPid1AndTheCommandBelowIt() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let result = try engine.stack([
            "container", "run", "--rm", "--init", engine.image, "sh", "-c", "echo sh=$$; tr '\\0' ' ' < /proc/1/cmdline; exit 4",
        ])
        #expect(result.status == 4, "\(result)")
        #expect(result.stdout.contains("sh=2\n") || !result.stdout.contains("sh=1\n"), "\(result)")
        #expect(result.stdout.contains("/sbin/stack-init -- sh -c"), "\(result)")
        // Inspect and ls show the command, not the init in front of it (as Docker).
        #expect(try engine.stack(["container", "create", "--init", "--name", "initd", engine.image, "sleep", "30"]).status == 0)
        let inspect = try engine.stack(["container", "inspect", "initd"])
        let object = (try? JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [[String: Any]])?.first ?? [:]
        #expect(object["Path"] as? String == "sleep" && object["Args"] as? [String] == ["30"], "\(inspect)")
        #expect(try engine.stack(["container", "ls", "-a"]).stdout.contains("\"sleep 30\""))
    }

    @Test func aTerminalWithTheCallersSize() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        // script(1) gives the CLI a terminal of its own; -t gives the container one.
        let command = "stty cols 91 rows 17; \(EngineHarness.binaries)/stack container run --rm -t \(engine.image) sh -c 'tty; stty size'"
        let result = try EngineHarness.execute("/usr/bin/script", ["-qec", command, "/dev/null"], environment: engine.environment)
        #expect(result.stdout.contains("/dev/pts/0"), "\(result)")
        #expect(result.stdout.contains("17 91"), "\(result)")
    }

    @Test func networkNoneHasOnlyLoopbackAndHostSharesTheHosts() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let none = try engine.stack(["container", "run", "--rm", "--network", "none", engine.image, "ls", "/sys/class/net"])
        #expect(none.stdout == "lo\n", "\(none)")
        let host = try engine.stack(["container", "run", "--rm", "--network", "host", engine.image, "ls", "/sys/class/net"])
        // stackd runs in the test's network namespace: "host" is that namespace.
        let hostLinks = try engine.inNetns("/usr/sbin/ip", ["-o", "link"]).stdout.split(separator: "\n").compactMap {
            $0.split(separator: ":").dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces).split(separator: "@").first.map(String.init) ?? "" }
        }.sorted()
        #expect(host.stdout.split(separator: "\n").map(String.init).sorted() == hostLinks, "\(host)")
    }

    @Test func execDetachedAndAttachToARunningContainer() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        #expect(try engine.stack(["container", "run", "-d", "-i", "--name", "box", engine.image, "sh", "-c", "cat; echo after-stdin"]).status == 0)
        let detached = try engine.stack(["container", "exec", "-d", "box", "sh", "-c", "echo made > /tmp/flag"])
        #expect(detached.status == 0, "\(detached)")
        #expect(engine.eventually { (try? engine.stack(["container", "exec", "box", "cat", "/tmp/flag"]).stdout) == "made\n" })
        // attach: our stdin reaches cat, its output comes back, and the end of our stdin ends it.
        let attached = try engine.stack(["container", "attach", "box"], stdin: "via attach\n")
        #expect(attached.stdout.contains("via attach\n"), "\(attached)")
        #expect(engine.eventually {
            (try? engine.stack(["container", "inspect", "box"]).stdout.contains("\"Status\" : \"exited\"")) == true
        })
        #expect(try engine.stack(["container", "logs", "box"]).stdout == "via attach\nafter-stdin\n")
    }

    @Test func blockIOThrottlesAreInTheCgroupAndUnsupportedWeightIsDiscarded() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let device = try #require(Self.blockDevice(), "no block device on this host")
        let result = try engine.stack([
            "container", "run", "--rm", "--device-read-bps", "\(device.path):1mb", "--device-write-iops", "\(device.path):100",
            engine.image, "sh", "-c",
            "cat /sys/fs/cgroup/blkio/blkio.throttle.read_bps_device /sys/fs/cgroup/blkio/blkio.throttle.write_iops_device 2>/dev/null || cat /sys/fs/cgroup/io.max",
        ])
        #expect(result.stdout.contains("\(device.number) 1048576") || result.stdout.contains("\(device.number) rbps=1048576"), "\(result)")
        #expect(result.stdout.contains("\(device.number) 100") || result.stdout.contains("wiops=100"), "\(result)")
        let weight = try engine.stack(["container", "run", "--rm", "--blkio-weight", "300", engine.image, "true"])
        #expect(weight.status == 0, "\(weight)")
        let supported = ["/sys/fs/cgroup/blkio/blkio.weight", "/sys/fs/cgroup/blkio/blkio.bfq.weight"].contains {
            FileManager.default.fileExists(atPath: $0)
        }
        if !supported { #expect(weight.stderr.contains("Weight discarded"), "\(weight)") }
    }

    @Test func cpuQuotaThrottlesABusyLoop() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let result = try engine.stack([
            "container", "run", "--rm", "--cpus", "0.1", engine.image, "sh", "-c",
            "timeout 1 sh -c 'while :; do :; done'; cat /sys/fs/cgroup/cpu/cpu.stat 2>/dev/null || cat /sys/fs/cgroup/cpu.stat",
        ])
        let throttled = result.stdout.split(separator: "\n").first { $0.hasPrefix("nr_throttled") }
            .flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
        #expect(throttled > 0, "\(result)")
    }

    /// The first whole disk in /sys/block (not a ram/loop/zram device), with its major:minor.
    static func blockDevice() -> (path: String, number: String)? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/block")) ?? []
        for name in names.sorted() where !name.hasPrefix("loop") && !name.hasPrefix("ram") && !name.hasPrefix("zram") {
            guard let number = try? String(contentsOfFile: "/sys/block/\(name)/dev", encoding: .utf8),
                FileManager.default.fileExists(atPath: "/dev/\(name)")
            else { continue }
            return ("/dev/\(name)", number.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return nil
    }
}
