import Foundation
import RuntimeSpec
import Testing

@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedRuntimeTests {
    @Test func runTrueExitsZeroAndLeavesNothing() throws {
        let bundle = try BusyboxBundle(args: ["/bin/true"])
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }

    @Test func runReturnsTheContainersExitStatus() throws {
        let bundle = try BusyboxBundle(args: ["sh", "-c", "exit 3"])
        defer { bundle.tearDown() }
        #expect(try bundle.run().status == 3)
        #expect(bundle.leftovers() == [])
    }

    @Test func hostnameAndPidOneInside() throws {
        let bundle = try BusyboxBundle(args: ["sh", "-c", "hostname; echo $$"]) { $0.hostname = "box" }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.stdout == "box\n1\n", "\(result.stderr)")
    }

    @Test func createStartKillDelete() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        let pidFile = bundle.directory + "/pid"
        let created = try bundle.runtime(["create", "--bundle", bundle.directory, "--pid-file", pidFile, bundle.id])
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try bundle.status() == "created")
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8)
        #expect(Int32(pid) ?? 0 > 0)
        #expect(try bundle.runtime(["start", bundle.id]).status == 0)
        #expect(try bundle.status() == "running")
        #expect(try bundle.runtime(["start", bundle.id]).status == 1)
        let refused = try bundle.runtime(["delete", bundle.id])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("not stopped"))
        #expect(try bundle.runtime(["kill", bundle.id, "KILL"]).status == 0)
        var stopped = false
        for _ in 0..<200 where !stopped {
            stopped = try bundle.status() == "stopped"
            if !stopped { usleep(10_000) }
        }
        #expect(stopped)
        #expect(try bundle.runtime(["delete", bundle.id]).status == 0)
        let gone = try bundle.runtime(["state", bundle.id])
        #expect(gone.status == 1)
        #expect(gone.stderr.contains("container does not exist"))
        #expect(bundle.leftovers() == [])
    }

    @Test func anExistingIdIsRefused() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        #expect(try bundle.runtime(["create", "--bundle", bundle.directory, bundle.id]).status == 0)
        let again = try bundle.runtime(["create", "--bundle", bundle.directory, bundle.id])
        #expect(again.status == 1)
        #expect(again.stderr.contains("container with id exists"))
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func memoryLimitVisibleInTheContainersCgroup() throws {
        let bundle = try BusyboxBundle(args: ["cat", BusyboxBundle.memoryLimitFileInContainer]) { spec in
            spec.linux?.resources?.memory = Spec.Linux.Memory(limit: 64 << 20)
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.stdout == "67108864\n", "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }

    @Test func seccompRuleReturnsTheConfiguredErrno() throws {
        let bundle = try BusyboxBundle(args: ["sh", "-c", "mkdir /tmp/x; echo status $?; ls -d /tmp"]) { spec in
            var seccomp = Spec.Linux.Seccomp(defaultAction: "SCMP_ACT_ALLOW")
            seccomp.syscalls = [Spec.Linux.Syscall(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 18)]
            spec.linux?.seccomp = seccomp
            spec.root?.readonly = false
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.stdout == "status 1\n/tmp\n", "\(result.stderr)")
        #expect(result.stderr.contains("cross-device"))  // EXDEV = 18
    }

    @Test func capabilitiesAreDropped() throws {
        let bundle = try BusyboxBundle(args: ["grep", "Cap", "/proc/self/status"])
        defer { bundle.tearDown() }
        let result = try bundle.run()
        // CAP_AUDIT_WRITE (29), CAP_KILL (5), CAP_NET_BIND_SERVICE (10).
        #expect(result.stdout.contains("CapEff:\t0000000020000420"), "\(result.stdout) \(result.stderr)")
        #expect(result.stdout.contains("CapBnd:\t0000000020000420"))
        #expect(result.stdout.contains("CapInh:\t0000000000000000"))
    }

    @Test func readonlyRootRefusesWrites() throws {
        let bundle = try BusyboxBundle(args: ["touch", "/x"])
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 1)
        #expect(result.stderr.contains("Read-only file system"))
        #expect(!FileManager.default.fileExists(atPath: bundle.directory + "/rootfs/x"))
    }

    @Test func aFailingCreateLeavesNothingBehind() throws {
        let bundle = try BusyboxBundle(args: ["/no/such/program"])
        defer { bundle.tearDown() }
        let result = try bundle.runtime(["create", "--bundle", bundle.directory, bundle.id])
        #expect(result.status == 1)
        #expect(result.stderr.contains("/no/such/program"), "\(result.stderr)")
        #expect(bundle.leftovers() == [])
        #expect(try bundle.runtime(["list", "--format", "json"]).stdout == "[]\n")
    }

    @Test func execRunsInTheContainer() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"]) { $0.hostname = "inside" }
        defer { bundle.tearDown() }
        #expect(try bundle.runtime(["run", "-d", "--bundle", bundle.directory, bundle.id]).status == 0)
        let result = try bundle.runtime(["exec", bundle.id, "sh", "-c", "hostname; exit 4"])
        #expect(result.status == 4)
        #expect(result.stdout == "inside\n", "\(result.stderr)")
        let ps = try bundle.runtime(["ps", "--format", "json", bundle.id])
        #expect(ps.stdout.hasPrefix("[") && ps.status == 0)
        #expect(try bundle.runtime(["pause", bundle.id]).status == 0)
        #expect(try bundle.status() == "paused")
        #expect(try bundle.runtime(["resume", bundle.id]).status == 0)
        #expect(try bundle.status() == "running")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func hooksRunInOrderWithTheState() throws {
        var log = ""
        let bundle = try BusyboxBundle(args: ["/bin/true"])
        defer { bundle.tearDown() }
        log = bundle.directory + "/hooks.log"
        func hook(_ name: String) -> Spec.Hook {
            Spec.Hook(path: "/bin/sh", args: ["sh", "-c", "read -r state; echo \(name) ${#state} >> \(log)"])
        }
        var spec = try SpecLoader.decode(data: Array(try Data(contentsOf: URL(fileURLWithPath: bundle.directory + "/config.json"))))
        var hooks = Spec.Hooks()
        hooks.prestart = [hook("prestart")]
        hooks.createRuntime = [hook("createRuntime")]
        hooks.poststart = [hook("poststart")]
        hooks.poststop = [hook("poststop")]
        spec.hooks = hooks
        try bundle.write(spec)
        #expect(try bundle.run().status == 0)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ") }
        #expect(lines.map { String($0[0]) } == ["prestart", "createRuntime", "poststart", "poststop"])
        #expect(lines.allSatisfy { (Int($0[1]) ?? 0) > 20 })  // the state JSON arrived on stdin
    }

    @Test func aFailingPrestartHookFailsCreateAndLeavesNothing() throws {
        let bundle = try BusyboxBundle(args: ["/bin/true"]) { spec in
            var hooks = Spec.Hooks()
            hooks.prestart = [Spec.Hook(path: "/bin/false")]
            spec.hooks = hooks
        }
        defer { bundle.tearDown() }
        let result = try bundle.runtime(["create", "--bundle", bundle.directory, bundle.id])
        #expect(result.status == 1)
        #expect(result.stderr.contains("prestart hook #0"), "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }
}
