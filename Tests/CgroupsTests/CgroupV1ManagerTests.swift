#if canImport(Glibc)
import Glibc
#endif
import Cgroups
import StackCore
import Testing

@Suite struct CgroupV1ManagerTests {
    let base = "/sys/fs/cgroup"

    private func makeManager(
        _ mountinfo: String = CgroupFixtures.legacyMountinfo, path: String = "/stack/web"
    ) throws -> (FakeCgroupFileSystem, any CgroupManager) {
        let layout = try CgroupFixtures.layout(mountinfo)
        let fs = try CgroupFixtures.fakeFileSystem(for: layout)
        let manager = try CgroupManagerFactory.make(layout: layout, path: path, fs: fs, options: CgroupFixtures.fastOptions)
        return (fs, manager)
    }

    @Test func createMakesOneDirectoryPerHierarchyAndSharesCoMountedOnes() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        #expect(manager.version == .v1)
        #expect(manager.path(for: "cpu") == "\(base)/cpu,cpuacct/stack/web")
        #expect(manager.path(for: "cpuacct") == "\(base)/cpu,cpuacct/stack/web")
        #expect(manager.path(for: "name=systemd") == "\(base)/systemd/stack/web")
        #expect(manager.path(for: "") == nil)
        try manager.create()
        let made = fs.operations.compactMap { if case .mkdir(let path) = $0 { return path } else { return nil } }
        #expect(made.filter { $0.hasSuffix("/web") }.sorted() == [
            "\(base)/blkio/stack/web", "\(base)/cpu,cpuacct/stack/web", "\(base)/cpuset/stack/web",
            "\(base)/devices/stack/web", "\(base)/freezer/stack/web", "\(base)/hugetlb/stack/web",
            "\(base)/memory/stack/web", "\(base)/pids/stack/web", "\(base)/systemd/stack/web",
        ])
        #expect(manager.exists())
    }

    @Test func cpusetIsInitialisedFromTheParentAtEachLevel() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        try manager.create()
        let cpuset = fs.operations.filter { $0.description.contains("/cpuset/") }
        #expect(cpuset == [
            .mkdir("\(base)/cpuset/stack"),
            .write("\(base)/cpuset/stack/cpuset.cpus", "0-3"),
            .write("\(base)/cpuset/stack/cpuset.mems", "0"),
            .mkdir("\(base)/cpuset/stack/web"),
            .write("\(base)/cpuset/stack/web/cpuset.cpus", "0-3"),
            .write("\(base)/cpuset/stack/web/cpuset.mems", "0"),
        ])
        // A parent that already has values is left alone.
        fs.clearLog()
        let layout = try CgroupFixtures.layout(CgroupFixtures.legacyMountinfo)
        let second = try CgroupManagerFactory.make(layout: layout, path: "/stack/db", fs: fs)
        try second.create()
        #expect(fs.operations.filter { $0.description.contains("/cpuset/") } == [
            .mkdir("\(base)/cpuset/stack/db"),
            .write("\(base)/cpuset/stack/db/cpuset.cpus", "0-3"),
            .write("\(base)/cpuset/stack/db/cpuset.mems", "0"),
        ])
    }

    @Test func applyWritesEveryResourceKind() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        try manager.create()
        fs.clearLog()
        var resources = CgroupResources()
        resources.memory = .init(limit: 512 << 20, reservation: 256 << 20, swap: 1 << 30, swappiness: 10, disableOOMKiller: true)
        resources.cpu = .init(
            shares: 512, quota: 50_000, period: 100_000, burst: 1_000, realtimeRuntime: 950, realtimePeriod: 1_000,
            cpus: "1", mems: "0", idle: 1)
        resources.pids.limit = 32
        resources.blockIO = .init(weight: 300, leafWeight: 200)
        resources.blockIO.weightDevices = [.init(major: 8, minor: 0, weight: 400, leafWeight: 100)]
        resources.blockIO.throttleReadBps = [.init(major: 8, minor: 0, rate: 1_000)]
        resources.blockIO.throttleWriteBps = [.init(major: 8, minor: 0, rate: 2_000)]
        resources.blockIO.throttleReadIOPS = [.init(major: 8, minor: 0, rate: 30)]
        resources.blockIO.throttleWriteIOPS = [.init(major: 8, minor: 16, rate: 40)]
        resources.hugepageLimits = [.init(pageSize: "2MB", limit: 2 << 21)]
        resources.devices = [
            .init(allow: false),
            .init(allow: true, kind: .char, major: 1, minor: 3, access: "rwm"),
            .init(allow: true, kind: .char, major: 136, minor: nil, access: "rw"),
            .init(allow: false, kind: .block, major: 8, minor: 0, access: "w"),
        ]
        #expect(manager.unsupportedResources(resources).isEmpty)
        try manager.apply(resources)
        #expect(fs.writes.map { "\($0.path.dropFirst(base.count + 1)) \($0.value)" } == [
            // Raising from unlimited (current limit > new memsw): memory first.
            "memory/stack/web/memory.limit_in_bytes 536870912",
            "memory/stack/web/memory.memsw.limit_in_bytes 1073741824",
            "memory/stack/web/memory.soft_limit_in_bytes 268435456",
            "memory/stack/web/memory.swappiness 10",
            "memory/stack/web/memory.oom_control 1",
            "cpu,cpuacct/stack/web/cpu.shares 512",
            "cpu,cpuacct/stack/web/cpu.cfs_period_us 100000",
            "cpu,cpuacct/stack/web/cpu.cfs_quota_us 50000",
            "cpu,cpuacct/stack/web/cpu.cfs_burst_us 1000",
            "cpu,cpuacct/stack/web/cpu.rt_period_us 1000",
            "cpu,cpuacct/stack/web/cpu.rt_runtime_us 950",
            "cpu,cpuacct/stack/web/cpu.idle 1",
            "cpuset/stack/web/cpuset.cpus 1",
            "cpuset/stack/web/cpuset.mems 0",
            "pids/stack/web/pids.max 32",
            "blkio/stack/web/blkio.weight 300",
            "blkio/stack/web/blkio.leaf_weight 200",
            "blkio/stack/web/blkio.weight_device 8:0 400",
            "blkio/stack/web/blkio.leaf_weight_device 8:0 100",
            "blkio/stack/web/blkio.throttle.read_bps_device 8:0 1000",
            "blkio/stack/web/blkio.throttle.write_bps_device 8:0 2000",
            "blkio/stack/web/blkio.throttle.read_iops_device 8:0 30",
            "blkio/stack/web/blkio.throttle.write_iops_device 8:16 40",
            "hugetlb/stack/web/hugetlb.2MB.limit_in_bytes 4194304",
            "devices/stack/web/devices.deny a",
            "devices/stack/web/devices.allow c 1:3 rwm",
            "devices/stack/web/devices.allow c 136:* rw",
            "devices/stack/web/devices.deny b 8:0 w",
        ])
    }

    @Test func memoryWriteOrderDependsOnTheCurrentLimit() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        try manager.create()
        let dir = "\(base)/memory/stack/web"
        var lower = CgroupResources()
        lower.memory = .init(limit: 100 << 20, swap: 200 << 20)
        try manager.apply(lower)
        // The fake keeps what was written: the limit is now 100M.
        fs.clearLog()
        var raise = CgroupResources()
        raise.memory = .init(limit: 300 << 20, swap: 600 << 20)
        try manager.update(raise)
        #expect(fs.writes.map(\.path) == [dir + "/memory.memsw.limit_in_bytes", dir + "/memory.limit_in_bytes"])
        fs.clearLog()
        var shrink = CgroupResources()
        shrink.memory = .init(limit: 50 << 20, swap: 80 << 20)
        try manager.update(shrink)
        #expect(fs.writes.map(\.path) == [dir + "/memory.limit_in_bytes", dir + "/memory.memsw.limit_in_bytes"])
        fs.clearLog()
        var unlimited = CgroupResources()
        unlimited.memory.limit = -1
        try manager.update(unlimited)
        #expect(fs.writes.map { "\($0.path.dropFirst(dir.count + 1)) \($0.value)" } == [
            "memory.memsw.limit_in_bytes -1", "memory.limit_in_bytes -1",
        ])
    }

    @Test func periodRefusedBeforeTheQuotaIsWrittenAgainAfterIt() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        try manager.create()
        let dir = "\(base)/cpu,cpuacct/stack/web"
        fs.clearLog()
        fs.failNext(.write, path: dir + "/cpu.cfs_period_us", errno: EINVAL)
        var resources = CgroupResources()
        resources.cpu = .init(quota: 10_000, period: 20_000)
        try manager.apply(resources)
        #expect(fs.writes.map { "\($0.path.dropFirst(dir.count + 1)) \($0.value)" } == [
            "cpu.cfs_quota_us 10000", "cpu.cfs_period_us 20000",
        ])
        // Without a quota to write, the error stands, with path and errno.
        fs.failNext(.write, path: dir + "/cpu.cfs_period_us", errno: EINVAL)
        var periodOnly = CgroupResources()
        periodOnly.cpu.period = 5_000
        #expect { try manager.apply(periodOnly) } throws: {
            "\($0)" == "write \(dir)/cpu.cfs_period_us: EINVAL (Invalid argument)"
        }
    }

    @Test func blkioFallsBackToBFQAndUnmountedControllersAreReported() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        fs.addLegacyMount("\(base)/blkio", files: ["blkio.bfq.weight": "100"])
        let layout = CgroupLayout.legacy(["blkio": CgroupMount("\(base)/blkio")])
        let manager = try CgroupManagerFactory.make(layout: layout, path: "/x", fs: fs)
        try manager.create()
        var resources = CgroupResources()
        resources.blockIO.weight = 700
        resources.pids.limit = 3
        resources.unified = ["memory.high": "1"]
        #expect(manager.unsupportedResources(resources) == [
            "pids: the pids controller is not mounted",
            "unified: cgroup v2 keys (memory.high) cannot be set on cgroup v1",
        ])
        fs.clearLog()
        try manager.apply(resources)
        #expect(fs.operations == [.write("\(base)/blkio/x/blkio.bfq.weight", "700")])
    }

    @Test func freezerPollsUntilFrozenAndThaws() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        try manager.create()
        let file = "\(base)/freezer/stack/web/freezer.state"
        try manager.freeze()
        #expect(fs.content(file) == "FROZEN")
        #expect(try manager.state() == .frozen)
        try manager.thaw()
        #expect(try manager.state() == .thawed)
        fs.freezerCompletes = false
        fs.clearLog()
        #expect { try manager.freeze() } throws: { "\($0)".hasPrefix("freeze \(base)/freezer/stack/web: timed out") }
        // A freeze that times out is undone.
        #expect(fs.writes.first?.value == "FROZEN")
        #expect(fs.writes.last?.value == "THAWED")
        #expect(try manager.state() == .thawed)
    }

    @Test func processesStatsAndDestroy() throws {
        let (fs, manager) = try makeManager()
        defer { fs.removeTree() }
        try manager.create()
        fs.clearLog()
        try manager.addProcess(pid: 77)
        #expect(fs.writes.count == 9)
        #expect(fs.writes.allSatisfy { $0.path.hasSuffix("/stack/web/cgroup.procs") && $0.value == "77" })
        #expect(try manager.processes() == [77])
        let memory = "\(base)/memory/stack/web"
        fs.setFile(memory + "/memory.usage_in_bytes", "100")
        fs.setFile(memory + "/memory.memsw.usage_in_bytes", "150")
        fs.setFile(memory + "/memory.limit_in_bytes", CgroupFixtures.unlimited)
        fs.setFile(memory + "/memory.failcnt", "4")
        fs.setFile(memory + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
        fs.setFile("\(base)/cpu,cpuacct/stack/web/cpuacct.usage", "123456")
        fs.setFile("\(base)/pids/stack/web/pids.current", "1")
        fs.setFile("\(base)/pids/stack/web/pids.max", "32")
        let stats = try manager.stats()
        #expect(stats.memory.usage == 100)
        #expect(stats.memory.swapUsage == 50)
        #expect(stats.memory.limit == nil)
        #expect(stats.memory.failcnt == 4)
        #expect(stats.memory.events["oom_kill"] == 2)
        #expect(stats.cpu.usageNanoseconds == 123_456)
        #expect(stats.pids.current == 1)
        #expect(stats.pids.limit == 32)

        try fs.mkdir("\(base)/memory/stack/web/sub")
        fs.clearLog()
        try manager.destroy()
        let removed = fs.operations.map(\.description)
        #expect(removed.count == 10)
        let sub = removed.firstIndex(of: "rmdir \(base)/memory/stack/web/sub")
        let web = removed.firstIndex(of: "rmdir \(base)/memory/stack/web")
        #expect(sub != nil && web != nil && (sub ?? 0) < (web ?? 0))
        #expect(!manager.exists())
        #expect(fs.exists("\(base)/memory/stack"))
    }

    @Test func hybridAlsoJoinsTheUnifiedHierarchy() throws {
        let (fs, manager) = try makeManager(CgroupFixtures.hybridMountinfo)
        defer { fs.removeTree() }
        #expect(manager.version == .hybrid)
        #expect(manager.path(for: "") == "\(base)/unified/stack/web")
        #expect(manager.path(for: "cpu") == "\(base)/cpu/stack/web")
        #expect(manager.path(for: "cpuacct") == "\(base)/cpuacct/stack/web")
        try manager.create()
        #expect(fs.exists("\(base)/unified/stack/web"))
        // No controllers are enabled in the cgroup2 mount.
        #expect(!fs.writes.contains { $0.path.contains("subtree_control") })
        fs.clearLog()
        try manager.addProcess(pid: 5)
        #expect(fs.writes.last?.path == "\(base)/unified/stack/web/cgroup.procs")
        #expect(fs.writes.count == 10)
        var resources = CgroupResources()
        resources.hugepageLimits = [.init(pageSize: "2MB", limit: 1)]
        #expect(manager.unsupportedResources(resources) == ["hugepageLimits: the hugetlb controller is not mounted"])
        try manager.destroy()
        #expect(!fs.exists("\(base)/unified/stack/web"))
        #expect(!fs.exists("\(base)/memory/stack/web"))
    }

    @Test func kernelTCPIsWrittenWhereTheKernelHasTheFileAndReportedWhereNot() throws {
        var resources = CgroupResources()
        resources.memory.kernelTCP = 50 << 20
        // The fixture's memory hierarchy has no kmem files, like a kernel without them.
        let (bare, withoutFile) = try makeManager()
        defer { bare.removeTree() }
        try withoutFile.create()
        #expect(withoutFile.unsupportedResources(resources) == [
            "memory.kernelTCP: this kernel has no memory.kmem.tcp.limit_in_bytes"
        ])
        bare.clearLog()
        try withoutFile.apply(resources)
        #expect(bare.writes.isEmpty)

        let layout = try CgroupFixtures.layout(CgroupFixtures.legacyMountinfo)
        let fs = try CgroupFixtures.fakeFileSystem(for: layout)
        defer { fs.removeTree() }
        var memoryFiles = CgroupFixtures.legacyFiles["memory"] ?? [:]
        memoryFiles["memory.kmem.tcp.limit_in_bytes"] = CgroupFixtures.unlimited
        fs.addLegacyMount("\(base)/memory", files: memoryFiles)
        let manager = try CgroupManagerFactory.make(layout: layout, path: "/stack/web", fs: fs, options: CgroupFixtures.fastOptions)
        try manager.create()
        #expect(manager.unsupportedResources(resources).isEmpty)
        fs.clearLog()
        try manager.apply(resources)
        #expect(fs.writes.map { "\($0.path.dropFirst(base.count + 1)) \($0.value)" } == [
            "memory/stack/web/memory.kmem.tcp.limit_in_bytes 52428800"
        ])
    }
}
