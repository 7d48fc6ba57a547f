#if canImport(Glibc)
import Glibc
#endif
import Cgroups
import StackCore
import Testing

/// Real cgroups on this host; only as root and when memory, cpu and pids are available.
@Suite(.enabled(if: PrivilegedCgroupHost.available, "needs root and the memory, cpu and pids controllers"))
struct CgroupPrivilegedTests {
    @Test func limitsProcessesFreezerAndCleanup() throws {
        let layout = try CgroupLayout.detect()
        let fs = LocalCgroupFileSystem()
        let manager = try CgroupManagerFactory.make(layout: layout, path: PrivilegedCgroupHost.uniquePath("life"), fs: fs)
        var child: pid_t = 0
        defer {
            if child > 0 { PrivilegedCgroupHost.killAndReap(child) }
            try? manager.destroy()
        }
        try manager.create()
        #expect(manager.exists())

        var resources = CgroupResources()
        resources.memory.limit = 64 << 20
        resources.cpu = .init(shares: 512, quota: 50_000, period: 100_000)
        resources.pids.limit = 16
        #expect(manager.unsupportedResources(resources).isEmpty)
        try manager.apply(resources)
        if manager.version == .v2 {
            let dir = try #require(manager.path(for: ""))
            #expect(try fs.readTrimmed(dir + "/memory.max") == "67108864")
            #expect(try fs.readTrimmed(dir + "/cpu.max") == "50000 100000")
            #expect(try fs.readTrimmed(dir + "/cpu.weight") == "20")
            #expect(try fs.readTrimmed(dir + "/pids.max") == "16")
        } else {
            let memory = try #require(manager.path(for: "memory"))
            let cpu = try #require(manager.path(for: "cpu"))
            let pids = try #require(manager.path(for: "pids"))
            #expect(try fs.readTrimmed(memory + "/memory.limit_in_bytes") == "67108864")
            #expect(try fs.readTrimmed(cpu + "/cpu.shares") == "512")
            #expect(try fs.readTrimmed(cpu + "/cpu.cfs_quota_us") == "50000")
            #expect(try fs.readTrimmed(cpu + "/cpu.cfs_period_us") == "100000")
            #expect(try fs.readTrimmed(pids + "/pids.max") == "16")
        }

        child = try PrivilegedCgroupHost.spawnSleep()
        try manager.addProcess(pid: child)
        #expect(try manager.processes() == [child])
        #expect(try manager.stats().pids.current == 1)

        let canFreeze = manager.version == .v2 || manager.path(for: "freezer") != nil
        if canFreeze {
            try manager.freeze()
            #expect(try manager.state() == .frozen)
            try manager.thaw()
            #expect(try manager.state() == .thawed)
        }

        PrivilegedCgroupHost.killAndReap(child)
        child = 0
        let paths = manager.paths.values
        try manager.destroy()
        #expect(!manager.exists())
        for path in paths { #expect(!fs.exists(path), "\(path) is left behind") }
    }

    @Test func memoryAndSwapOrderIsAcceptedByTheKernel() throws {
        let layout = try CgroupLayout.detect()
        let fs = LocalCgroupFileSystem()
        let manager = try CgroupManagerFactory.make(layout: layout, path: PrivilegedCgroupHost.uniquePath("swap"), fs: fs)
        defer { try? manager.destroy() }
        try manager.create()
        let memory = manager.path(for: "memory") ?? manager.path(for: "") ?? ""
        let swapFile = manager.version == .v2 ? "/memory.swap.max" : "/memory.memsw.limit_in_bytes"
        guard fs.exists(memory + swapFile) else { return }  // no swap accounting on this kernel
        for (limit, swap) in [(64, 128), (256, 512), (32, 48), (128, 128)] as [(Int64, Int64)] {
            var resources = CgroupResources()
            resources.memory = .init(limit: limit << 20, swap: swap << 20)
            try manager.update(resources)
            let limitFile = manager.version == .v2 ? "/memory.max" : "/memory.limit_in_bytes"
            #expect(try fs.readTrimmed(memory + limitFile) == String(limit << 20))
            let expectedSwap = manager.version == .v2 ? (swap - limit) << 20 : swap << 20
            #expect(try fs.readTrimmed(memory + swapFile) == String(expectedSwap))
        }
    }

    @Test func destroyRemovesNestedCgroups() throws {
        let layout = try CgroupLayout.detect()
        let fs = LocalCgroupFileSystem()
        let manager = try CgroupManagerFactory.make(layout: layout, path: PrivilegedCgroupHost.uniquePath("nest"), fs: fs)
        defer { try? manager.destroy() }
        try manager.create()
        for path in Set(manager.paths.values) { try fs.mkdir(path + "/inner") }
        try manager.destroy()
        for path in manager.paths.values { #expect(!fs.exists(path)) }
    }
}

enum PrivilegedCgroupHost {
    static let available: Bool = {
        guard geteuid() == 0, let layout = try? CgroupLayout.detect() else { return false }
        switch layout {
        case .unified(let mount):
            let controllers = (try? LocalCgroupFileSystem().read(mount.mountPoint + "/cgroup.controllers")) ?? ""
            return ["memory", "cpu", "pids"].allSatisfy { controllers.split(separator: " ").contains(Substring($0)) }
        case .legacy(let mounts), .hybrid(let mounts, _):
            return ["memory", "cpu", "pids"].allSatisfy { mounts[$0] != nil }
        }
    }()

    /// A top-level cgroup name no other test (or test run) uses.
    static func uniquePath(_ tag: String) -> String {
        var seconds = timespec()
        clock_gettime(CLOCK_MONOTONIC, &seconds)
        return "/stack-cgroups-test-\(tag)-\(getpid())-\(seconds.tv_nsec)"
    }

    /// `/bin/sleep 30` through posix_spawn (no Swift runs in the child).
    static func spawnSleep() throws -> pid_t {
        var pid: pid_t = 0
        let arguments: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30")]
        defer { for argument in arguments { free(argument) } }
        let argv = arguments + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [nil]
        let status = posix_spawn(&pid, "/bin/sleep", nil, nil, argv, envp)
        guard status == 0 else { throw StackError(.system, "posix_spawn /bin/sleep", cause: CgroupErrno(status)) }
        return pid
    }

    static func killAndReap(_ pid: pid_t) {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
