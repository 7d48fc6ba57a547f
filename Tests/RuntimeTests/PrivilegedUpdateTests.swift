import Cgroups
import Foundation
import RuntimeSpec
import Testing

@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedUpdateTests {
    /// The host-side file for a memory or pids limit of the container on this host's layout.
    func hostFile(_ bundle: BusyboxBundle, _ kind: String) -> String {
        let unified = { if case .unified = try? CgroupLayout.detect() { return true } else { return false } }()
        if unified { return "/sys/fs/cgroup/stack-runtime/\(bundle.id)/" + (kind == "memory" ? "memory.max" : "pids.max") }
        return kind == "memory"
            ? "/sys/fs/cgroup/memory/stack-runtime/\(bundle.id)/memory.limit_in_bytes"
            : "/sys/fs/cgroup/pids/stack-runtime/\(bundle.id)/pids.max"
    }

    func read(_ path: String) -> String {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func stats(_ bundle: BusyboxBundle) throws -> [String: Any] {
        let result = try bundle.runtime(["events", "--stats", bundle.id])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        return object?["data"] as? [String: Any] ?? [:]
    }

    @Test func updateChangesTheLimitsOfARunningContainer() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"]) { spec in
            spec.linux?.resources?.memory = Spec.Linux.Memory(limit: 64 << 20)
            spec.linux?.resources?.pids = Spec.Linux.Pids(limit: 100)
        }
        defer { bundle.tearDown() }
        let started = try bundle.runtime(["run", "--detach", "--bundle", bundle.directory, bundle.id])
        try #require(started.status == 0, "\(started.stderr)")
        #expect(read(hostFile(bundle, "memory")) == "67108864")
        #expect(read(hostFile(bundle, "pids")) == "100")

        let updated = try bundle.runtime(["update", "--memory", "128m", "--pids-limit", "42", bundle.id])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(read(hostFile(bundle, "memory")) == "134217728")
        #expect(read(hostFile(bundle, "pids")) == "42")
        let inside = try bundle.runtime(["exec", bundle.id, "cat", BusyboxBundle.memoryLimitFileInContainer])
        #expect(inside.status == 0, "\(inside.stderr)")
        #expect(inside.stdout == "134217728\n")

        let data = try stats(bundle)
        let memory = (data["memory"] as? [String: Any])?["usage"] as? [String: Any]
        #expect((memory?["limit"] as? NSNumber)?.int64Value == 128 << 20)
        #expect(((data["pids"] as? [String: Any])?["limit"] as? NSNumber)?.int64Value == 42)

        // The saved config keeps every other field and has the new values.
        let config = try SpecLoader.decode(
            data: Array(try Data(contentsOf: URL(fileURLWithPath: bundle.root + "/" + bundle.id + "/config.json"))),
            file: "config.json")
        #expect(config.linux?.resources?.memory?.limit == 128 << 20)
        #expect(config.linux?.resources?.pids?.limit == 42)
        #expect(config.linux?.resources?.devices?.isEmpty == false)

        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func updateWorksWhilePausedAndFromAResourcesFile() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        try #require(try bundle.runtime(["run", "-d", "-b", bundle.directory, bundle.id]).status == 0)
        try #require(try bundle.runtime(["pause", bundle.id]).status == 0)
        let file = bundle.directory + "/resources.json"
        try #"{"memory": {"limit": 33554432}, "pids": {"limit": 9}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let updated = try bundle.runtime(["update", "-r", file, bundle.id])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(try bundle.status() == "paused")
        #expect(read(hostFile(bundle, "memory")) == "33554432")
        #expect(read(hostFile(bundle, "pids")) == "9")
        #expect(try bundle.runtime(["resume", bundle.id]).status == 0)

        // Unlimited again with -1.
        let unlimited = try bundle.runtime(["update", "--memory", "-1", "--pids-limit", "-1", bundle.id])
        #expect(unlimited.status == 0, "\(unlimited.stderr)")
        #expect(read(hostFile(bundle, "pids")) == "max")
        #expect(read(hostFile(bundle, "memory")) != "33554432")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test func kernelMemoryIsAWarningAndAStoppedOrUnknownContainerAnError() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"])
        defer { bundle.tearDown() }
        try #require(try bundle.runtime(["run", "-d", "-b", bundle.directory, bundle.id]).status == 0)
        let kernel = try bundle.runtime(["update", "--kernel-memory", "64m", bundle.id])
        #expect(kernel.status == 0)
        #expect(kernel.stderr.contains("warning: kernel memory"), "\(kernel.stderr)")

        let unknown = try bundle.runtime(["update", "--memory", "64m", bundle.id + "-none"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("container does not exist"), "\(unknown.stderr)")

        #expect(try bundle.runtime(["kill", bundle.id, "KILL"]).status == 0)
        var stopped = false
        for _ in 0..<200 where !stopped {
            stopped = try bundle.status() == "stopped"
            if !stopped { usleep(10_000) }
        }
        #expect(stopped)
        let refused = try bundle.runtime(["update", "--memory", "64m", bundle.id])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("stopped"), "\(refused.stderr)")
        #expect(try bundle.runtime(["delete", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes")))
    func raisingMemoryAboveTheSwapLimitNeedsTheSwapFlag() throws {
        let bundle = try BusyboxBundle(args: ["sleep", "100"]) { spec in
            spec.linux?.resources?.memory = Spec.Linux.Memory(limit: 64 << 20, swap: 128 << 20)
        }
        defer { bundle.tearDown() }
        try #require(try bundle.runtime(["run", "-d", "-b", bundle.directory, bundle.id]).status == 0)
        let refused = try bundle.runtime(["update", "--memory", "256m", bundle.id])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--memory-swap"), "\(refused.stderr)")
        #expect(read(hostFile(bundle, "memory")) == "67108864")
        let both = try bundle.runtime(["update", "--memory", "256m", "--memory-swap", "512m", bundle.id])
        #expect(both.status == 0, "\(both.stderr)")
        #expect(read(hostFile(bundle, "memory")) == "268435456")
        let swapFile = "/sys/fs/cgroup/memory/stack-runtime/\(bundle.id)/memory.memsw.limit_in_bytes"
        #expect(read(swapFile) == "536870912")
        // Lowering both works in either order too.
        #expect(try bundle.runtime(["update", "--memory", "16m", "--memory-swap", "32m", bundle.id]).status == 0)
        #expect(read(swapFile) == "33554432")
        #expect(try bundle.runtime(["delete", "--force", bundle.id]).status == 0)
        #expect(bundle.leftovers() == [])
    }
}
