#if canImport(Glibc)
import Glibc
#endif
import Cgroups
import StackCore
import Testing

@Suite struct CgroupV2ManagerTests {
    let root = "/sys/fs/cgroup"

    private func makeManager(_ fs: FakeCgroupFileSystem, path: String = "/stack/web") throws -> any CgroupManager {
        let layout = try CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo)
        return try CgroupManagerFactory.make(layout: layout, path: path, fs: fs, options: CgroupFixtures.fastOptions)
    }

    @Test func createEnablesControllersFromTheRootDown() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        #expect(manager.version == .v2)
        #expect(manager.paths == ["": "/sys/fs/cgroup/stack/web"])
        try manager.create()
        #expect(fs.operations == [
            .write("\(root)/cgroup.subtree_control", "+cpuset +cpu +io +memory +hugetlb +pids"),
            .mkdir("\(root)/stack"),
            .write("\(root)/stack/cgroup.subtree_control", "+cpuset +cpu +io +memory +hugetlb +pids"),
            .mkdir("\(root)/stack/web"),
        ])
        #expect(fs.content("\(root)/stack/web/cgroup.controllers") == "cpuset cpu io memory hugetlb pids")
        #expect(manager.exists())

        // A second container in the same parent enables nothing again.
        fs.clearLog()
        let second = try makeManager(fs, path: "/stack/db")
        try second.create()
        #expect(fs.operations == [.mkdir("\(root)/stack/db")])
    }

    @Test func createEnablesOneByOneWhenTheJoinedWriteFails() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        fs.failNext(.write, path: "\(root)/cgroup.subtree_control", errno: EBUSY)
        try makeManager(fs).create()
        let writes = fs.writes.filter { $0.path == "\(root)/cgroup.subtree_control" }.map(\.value)
        #expect(writes == ["+cpuset", "+cpu", "+io", "+memory", "+hugetlb", "+pids"])
    }

    @Test func applyWritesEveryResourceKind() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        fs.clearLog()
        var resources = CgroupResources()
        resources.memory = .init(limit: 512 << 20, reservation: 256 << 20, swap: 768 << 20, oomGroup: true)
        resources.cpu = .init(shares: 1024, quota: 50_000, period: 100_000, burst: 1_000, cpus: "0-1", mems: "0", idle: 0)
        resources.pids.limit = 64
        resources.blockIO = .init(weight: 500)
        resources.blockIO.weightDevices = [.init(major: 8, minor: 0, weight: 100)]
        resources.blockIO.throttleReadBps = [.init(major: 8, minor: 0, rate: 1_048_576)]
        resources.blockIO.throttleWriteBps = [.init(major: 8, minor: 0, rate: 2_097_152)]
        resources.blockIO.throttleReadIOPS = [.init(major: 8, minor: 16, rate: 100)]
        resources.blockIO.throttleWriteIOPS = [.init(major: 8, minor: 0, rate: 0)]
        resources.hugepageLimits = [.init(pageSize: "2MB", limit: 4 << 21)]
        resources.unified = ["memory.high": "400M", "cpu.weight": "77"]
        #expect(manager.unsupportedResources(resources).isEmpty)
        try manager.apply(resources)
        let dir = "\(root)/stack/web"
        #expect(fs.writes.map { "\($0.path.dropFirst(dir.count + 1)) \($0.value)" } == [
            "memory.swap.max 268435456",
            "memory.max 536870912",
            "memory.low 268435456",
            "memory.oom.group 1",
            "cpu.weight 39",
            "cpu.max 50000 100000",
            "cpu.max.burst 1000",
            "cpu.idle 0",
            "cpuset.cpus 0-1",
            "cpuset.mems 0",
            "pids.max 64",
            "io.weight default 4950",
            "io.weight 8:0 910",
            "io.max 8:0 rbps=1048576 wbps=2097152 wiops=max",
            "io.max 8:16 riops=100",
            "hugetlb.2MB.max 8388608",
            "cpu.weight 77",
            "memory.high 400M",
        ])
    }

    @Test func unlimitedValuesAreMax() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        fs.clearLog()
        var resources = CgroupResources()
        resources.memory.limit = -1
        resources.cpu.quota = -1
        resources.pids.limit = 0
        try manager.apply(resources)
        #expect(fs.writes.map { "\($0.path.split(separator: "/").last ?? "") \($0.value)" } == [
            "memory.swap.max max", "memory.max max", "cpu.max max", "pids.max max",
        ])
    }

    @Test func updatingOnlyThePeriodKeepsTheQuota() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        var first = CgroupResources()
        first.cpu.quota = 20_000
        try manager.apply(first)
        var second = CgroupResources()
        second.cpu.period = 50_000
        try manager.update(second)
        #expect(fs.content("\(root)/stack/web/cpu.max") == "20000 50000")
    }

    @Test func missingControllerIsNamed() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        fs.addUnifiedMount(root, controllers: ["cpu"], files: CgroupFixtures.unifiedFiles)
        let manager = try makeManager(fs)
        try manager.create()
        var resources = CgroupResources()
        resources.pids.limit = 10
        #expect {
            try manager.apply(resources)
        } throws: { error in
            "\(error)" == "cgroup v2 controller pids is not enabled for /sys/fs/cgroup/stack/web (available: cpu)"
        }
    }

    @Test func unifiedKeysMustBeFilesThatExist() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        var resources = CgroupResources()
        resources.unified = ["../escape": "1"]
        #expect(throws: StackError.self) { try manager.apply(resources) }
        resources.unified = ["rdma.max": "1"]
        #expect { try manager.apply(resources) } throws: { "\($0)".contains("rdma.max") && "\($0)".contains("does not exist") }
    }

    /// Records device filter installs instead of calling bpf(2).
    final class RecordingDeviceFilter: DeviceFilterLoader, @unchecked Sendable {
        var installs: [(program: [UInt8], directory: String)] = []
        func install(_ program: [UInt8], on directory: String) throws(StackError) { installs.append((program, directory)) }
    }

    @Test func devicesBecomeAFilterProgramAndV1OnlySettingsAreReportedUnsupported() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let recorder = RecordingDeviceFilter()
        var options = CgroupFixtures.fastOptions
        options.deviceFilter = recorder
        let layout = try CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo)
        let manager = try CgroupManagerFactory.make(layout: layout, path: "/stack/web", fs: fs, options: options)
        var resources = CgroupResources()
        let rules: [CgroupResources.DeviceRule] = [
            .init(allow: false), .init(allow: true, kind: .char, major: 1, minor: 3, access: "rwm"),
        ]
        resources.devices = rules
        resources.memory.swappiness = 10
        resources.blockIO.leafWeight = 100
        let problems = manager.unsupportedResources(resources)
        #expect(problems.count == 2)
        #expect(!problems.contains { $0.hasPrefix("devices") })
        // apply writes no device files (v2 has none) and installs the program on the container's cgroup.
        try manager.create()
        fs.clearLog()
        try manager.apply(resources)
        #expect(fs.writes.isEmpty)
        #expect(recorder.installs.count == 1)
        #expect(recorder.installs.first?.directory.hasSuffix("/stack/web") == true)
        #expect(recorder.installs.first?.program == DeviceFilterProgram.bytes(for: rules))
    }

    @Test func freezeThawStateAndProcesses() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        try manager.addProcess(pid: 4242)
        try manager.addProcess(pid: 4243)
        #expect(try manager.processes() == [4242, 4243])
        #expect(try manager.state() == .thawed)
        try manager.freeze()
        #expect(fs.content("\(root)/stack/web/cgroup.freeze") == "1")
        #expect(try manager.state() == .frozen)
        try manager.thaw()
        #expect(try manager.state() == .thawed)
    }

    @Test func freezeTimesOutWhenTheKernelNeverReportsFrozen() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        fs.freezerCompletes = false
        #expect { try manager.freeze() } throws: { "\($0)".hasPrefix("freeze /sys/fs/cgroup/stack/web: timed out") }
        #expect(try manager.state() == .freezing)
    }

    @Test func freezeWriteErrorsNameTheFile() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        fs.failNext(.write, path: "\(root)/stack/web/cgroup.freeze", errno: EINVAL)
        #expect { try manager.freeze() } throws: { "\($0)" == "write /sys/fs/cgroup/stack/web/cgroup.freeze: EINVAL (Invalid argument)" }
    }

    @Test func statsReadUsage() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        let dir = "\(root)/stack/web"
        fs.setFile(dir + "/memory.current", "1000\n")
        fs.setFile(dir + "/memory.max", "4096\n")
        fs.setFile(dir + "/memory.events", "low 0\nhigh 1\nmax 5\noom 2\noom_kill 1\n")
        fs.setFile(dir + "/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 3\nnr_throttled 1\nthrottled_usec 7\n")
        fs.setFile(dir + "/pids.current", "3\n")
        let stats = try manager.stats()
        #expect(stats.memory.usage == 1000)
        #expect(stats.memory.limit == 4096)
        #expect(stats.memory.failcnt == 5)
        #expect(stats.memory.events["oom_kill"] == 1)
        #expect(stats.cpu.usageNanoseconds == 1_500_000)
        #expect(stats.cpu.systemNanoseconds == 500_000)
        #expect(stats.cpu.throttledNanoseconds == 7_000)
        #expect(stats.pids.current == 3)
        #expect(stats.pids.limit == nil)
    }

    @Test func destroyRemovesNestedLeavesFirstAndRetriesBusy() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        let dir = "\(root)/stack/web"
        try fs.mkdir(dir + "/init")
        try fs.mkdir(dir + "/init/deeper")
        try fs.mkdir(dir + "/other")
        fs.clearLog()
        fs.failNext(.rmdir, path: dir, errno: EBUSY, times: 2)
        try manager.destroy()
        #expect(fs.operations == [
            .rmdir(dir + "/init/deeper"), .rmdir(dir + "/init"), .rmdir(dir + "/other"), .rmdir(dir),
        ])
        #expect(!fs.exists(dir))
        #expect(fs.exists("\(root)/stack"))
        // Destroying again is fine.
        try manager.destroy()
    }

    @Test func destroyGivesUpAfterTheRetries() throws {
        let fs = try CgroupFixtures.fakeFileSystem(for: CgroupFixtures.layout(CgroupFixtures.unifiedMountinfo))
        defer { fs.removeTree() }
        let manager = try makeManager(fs)
        try manager.create()
        fs.failNext(.rmdir, path: "\(root)/stack/web", errno: EBUSY, times: 10)
        #expect { try manager.destroy() } throws: { ($0 as? StackError)?.cgroupErrno == EBUSY }
        #expect(fs.exists("\(root)/stack/web"))
    }
}
