import Foundation
import Testing

/// Resource flags reach the container's cgroup and are enforced; security defaults hold.
@Suite(.serialized, .enabled(if: EngineHarness.privileged, "needs root and busybox-static"))
struct ContainerResourceTests {
    /// The value of a cgroup file of the container, read from inside (cgroup namespace root).
    func cgroupFile(_ engine: EngineHarness, flags: [String], v1: String, v2: String) throws -> String {
        let script = "cat /sys/fs/cgroup/\(v1) 2>/dev/null || cat /sys/fs/cgroup/\(v2) 2>/dev/null || cat /sys/fs/cgroup/unified/\(v2)"
        let result = try engine.stack(["container", "run", "--rm"] + flags + [engine.image, "sh", "-c", script])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func resourceFlagsAppearInTheCgroup() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        #expect(try cgroupFile(engine, flags: ["-m", "64m"], v1: "memory/memory.limit_in_bytes", v2: "memory.max") == "67108864")
        #expect(try cgroupFile(engine, flags: ["--pids-limit", "42"], v1: "pids/pids.max", v2: "pids.max") == "42")
        let quota = try cgroupFile(engine, flags: ["--cpus", "0.5"], v1: "cpu/cpu.cfs_quota_us", v2: "cpu.max")
        #expect(quota == "50000" || quota == "50000 100000", "\(quota)")
        #expect(try cgroupFile(engine, flags: ["-c", "512"], v1: "cpu/cpu.shares", v2: "cpu.weight") != "")
        #expect(try cgroupFile(engine, flags: ["--cpuset-cpus", "0"], v1: "cpuset/cpuset.cpus", v2: "cpuset.cpus") == "0")
    }

    @Test func aMemoryHogIsOOMKilled() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let result = try engine.stack([
            "container", "run", "--name", "hog", "-m", "16m", "--memory-swap", "16m", engine.image, "sh", "-c",
            "exec awk 'BEGIN { s = \"x\"; while (1) { s = s s } }'",
        ])
        #expect(result.status == 137, "\(result)")
        let inspect = try engine.stack(["container", "inspect", "hog"])
        #expect(inspect.stdout.contains("\"OOMKilled\" : true"), "\(inspect)")
    }

    @Test func pidsLimitIsEnforced() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        let result = try engine.stack([
            "container", "run", "--rm", "--pids-limit", "5", engine.image, "sh", "-c",
            "for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; echo forked all",
        ])
        #expect(result.stderr.contains("can't fork"), "\(result)")
        #expect(!result.stdout.contains("forked all"))
    }

    @Test func defaultSecurityCapabilitiesSeccompAndMaskedPaths() throws {
        let engine = try EngineHarness()
        defer { engine.tearDown() }
        // Docker's default set: CAP_CHOWN … no CAP_SYS_ADMIN (bit 21) and no CAP_NET_ADMIN (bit 12).
        let caps = try engine.stack(["container", "run", "--rm", engine.image, "sh", "-c", "grep CapEff /proc/self/status; grep Seccomp: /proc/self/status"])
        #expect(caps.stdout.contains("CapEff:\t00000000a80425fb"), "\(caps)")
        #expect(caps.stdout.contains("Seccomp:\t2"))
        let added = try engine.stack(["container", "run", "--rm", "--cap-add", "NET_ADMIN", "--cap-drop", "CHOWN", engine.image, "grep", "CapEff", "/proc/self/status"])
        #expect(added.stdout.contains("00000000a80435fa"), "\(added)")
        let unconfined = try engine.stack(["container", "run", "--rm", "--security-opt", "seccomp=unconfined", engine.image, "grep", "Seccomp:", "/proc/self/status"])
        #expect(unconfined.stdout.contains("Seccomp:\t0"), "\(unconfined)")
        // A denied syscall under the default profile: unshare(CLONE_NEWUSER)… busybox has `unshare`.
        let denied = try engine.stack(["container", "run", "--rm", engine.image, "sh", "-c", "unshare -U true; echo status=$?"])
        #expect(!denied.stdout.contains("status=0"), "\(denied)")
        // Masked: /proc/keys reads as /dev/null; read-only: /proc/sys.
        let masked = try engine.stack(["container", "run", "--rm", engine.image, "sh", "-c", "wc -c < /proc/keys; grep ' /proc/sys ' /proc/mounts"])
        #expect(masked.stdout.hasPrefix("0\n"), "\(masked)")
        #expect(masked.stdout.contains(" ro,"), "\(masked)")
        let readOnly = try engine.stack(["container", "run", "--rm", "--read-only", engine.image, "sh", "-c", "touch /x 2>/dev/null && echo wrote || echo readonly"])
        #expect(readOnly.stdout == "readonly\n", "\(readOnly)")
        let user = try engine.stack(["container", "run", "--rm", "-u", "app", engine.image, "id"])
        #expect(user.stdout.contains("uid=1000"), "\(user)")
        #expect(user.stdout.contains("2000"), "supplementary group from /etc/group: \(user)")
    }
}
