#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// A container's cgroup on a cgroup v2 (unified) hierarchy.
public struct CgroupV2Manager: CgroupManager {
    /// Where the cgroup2 hierarchy is mounted; controllers are enabled from here down.
    public let mountPoint: String
    /// The container's cgroup directory, below `mountPoint`.
    public let directory: String
    let fs: any CgroupFileSystem
    let options: CgroupManagerOptions

    public init(mountPoint: String, directory: String, fs: any CgroupFileSystem, options: CgroupManagerOptions = .init()) {
        self.mountPoint = mountPoint
        self.directory = directory
        self.fs = fs
        self.options = options
    }

    public var version: CgroupVersion { .v2 }
    public var paths: [String: String] { ["": directory] }
    public func exists() -> Bool { fs.exists(directory) }

    /// Creates the directory level by level from the mount point, enabling in each ancestor's
    /// `cgroup.subtree_control` every controller it offers (as runc does). A level that refuses
    /// (the "no internal processes" rule) is left as it is; `apply` then names the missing controller.
    public func create() throws(StackError) {
        guard let relative = CgroupPath.relative(directory, to: mountPoint), relative != "/" else {
            throw StackError(.invalidArgument, "cgroup \(directory) is not below the cgroup2 mount \(mountPoint)")
        }
        var current = mountPoint
        for component in relative.split(separator: "/") {
            try enableControllers(in: current)
            current = CgroupPath.join(current, String(component))
            try fs.mkdir(current)
        }
    }

    private func enableControllers(in parent: String) throws(StackError) {
        let available = try words(parent + "/cgroup.controllers")
        let enabled = Set(try words(parent + "/cgroup.subtree_control"))
        let missing = available.filter { !enabled.contains($0) }
        if missing.isEmpty { return }
        let file = parent + "/cgroup.subtree_control"
        do {
            try fs.write(file, missing.map { "+" + $0 }.joined(separator: " "))
        } catch {
            for controller in missing { try? fs.write(file, "+" + controller) }
        }
    }

    private func words(_ file: String) throws(StackError) -> [String] {
        try fs.read(file).split(whereSeparator: \.isWhitespace).map(String.init)
    }

    public func unsupportedResources(_ resources: CgroupResources) -> [String] {
        var problems: [String] = []
        if resources.memory.swappiness != nil { problems.append("memory.swappiness: not available on cgroup v2") }
        if resources.memory.kernelTCP != nil { problems.append("memory.kernelTCP: not available on cgroup v2") }
        if resources.memory.disableOOMKiller == true {
            problems.append("memory.disableOOMKiller: not available on cgroup v2")
        }
        if resources.cpu.realtimeRuntime != nil || resources.cpu.realtimePeriod != nil {
            problems.append("cpu.realtimeRuntime/realtimePeriod: not available on cgroup v2")
        }
        if resources.blockIO.leafWeight != nil || resources.blockIO.weightDevices.contains(where: { $0.leafWeight != nil }) {
            problems.append("blockIO.leafWeight: not available on cgroup v2")
        }
        return problems
    }

    public func apply(_ resources: CgroupResources) throws(StackError) {
        let writer = CgroupV2Writer(directory: directory, fs: fs)
        let controllers = Set(try words(directory + "/cgroup.controllers"))
        func require(_ controller: String) throws(StackError) {
            guard controllers.contains(controller) else {
                let list = controllers.sorted().joined(separator: " ")
                throw StackError(.unsupported, "cgroup v2 controller \(controller) is not enabled for \(directory) (available: \(list.isEmpty ? "none" : list))")
            }
        }
        if writer.needsMemory(resources.memory) { try require("memory") }
        try writer.applyMemory(resources.memory)
        if writer.needsCPU(resources.cpu) { try require("cpu") }
        try writer.applyCPU(resources.cpu)
        if resources.cpu.cpus != nil || resources.cpu.mems != nil { try require("cpuset") }
        try writer.applyCpuset(resources.cpu)
        if resources.pids.limit != nil { try require("pids") }
        try writer.applyPids(resources.pids)
        if writer.needsIO(resources.blockIO) { try require("io") }
        try writer.applyIO(resources.blockIO)
        if !resources.hugepageLimits.isEmpty { try require("hugetlb") }
        try writer.applyHugetlb(resources.hugepageLimits)
        try writer.applyUnified(resources.unified)
        if let devices = resources.devices {
            try options.deviceFilter.install(DeviceFilterProgram.bytes(for: devices), on: directory)
        }
    }

    public func addProcess(pid: Int32) throws(StackError) {
        try fs.write(directory + "/cgroup.procs", String(pid))
    }

    public func processes() throws(StackError) -> [Int32] {
        try CgroupTree.processes(in: directory, fs: fs)
    }

    public func freeze() throws(StackError) { try setFrozen(true) }

    public func thaw() throws(StackError) { try setFrozen(false) }

    private func setFrozen(_ frozen: Bool) throws(StackError) {
        let file = directory + "/cgroup.freeze"
        guard fs.exists(file) else {
            throw StackError(.unsupported, "\(file) does not exist: this kernel has no cgroup v2 freezer (needs Linux 5.2)")
        }
        let events = directory + "/cgroup.events"
        let fs = self.fs
        try CgroupTree.waitForState(
            write: file, value: frozen ? "1" : "0", fs: fs, options: options, what: frozen ? "freeze" : "thaw",
            read: { () throws(StackError) -> String in
                guard fs.exists(events) else { return frozen ? "frozen 1" : "frozen 0" }
                return "frozen \(CgroupText.keyValues(try fs.read(events))["frozen"] ?? 0)"
            },
            reached: { $0 == (frozen ? "frozen 1" : "frozen 0") })
    }

    public func state() throws(StackError) -> CgroupFreezerState {
        let file = directory + "/cgroup.freeze"
        guard fs.exists(file), try fs.readTrimmed(file) == "1" else { return .thawed }
        let events = CgroupTree.keyValues(directory + "/cgroup.events", fs: fs)
        return events["frozen"] == 0 ? .freezing : .frozen
    }

    public func stats() throws(StackError) -> CgroupStats {
        var stats = CgroupStats()
        stats.memory.usage = CgroupTree.number(directory + "/memory.current", fs: fs)
        if fs.exists(directory + "/memory.max") {
            stats.memory.limit = CgroupTree.limitValue(try fs.read(directory + "/memory.max"))
        }
        stats.memory.maxUsage = CgroupTree.number(directory + "/memory.peak", fs: fs)
        stats.memory.swapUsage = CgroupTree.number(directory + "/memory.swap.current", fs: fs)
        stats.memory.events = CgroupTree.keyValues(directory + "/memory.events", fs: fs)
        stats.memory.failcnt = stats.memory.events["max"]
        stats.memory.stat = CgroupTree.keyValues(directory + "/memory.stat", fs: fs)
        let cpu = CgroupTree.keyValues(directory + "/cpu.stat", fs: fs)
        stats.cpu.usageNanoseconds = cpu["usage_usec"].map { $0 * 1000 }
        stats.cpu.userNanoseconds = cpu["user_usec"].map { $0 * 1000 }
        stats.cpu.systemNanoseconds = cpu["system_usec"].map { $0 * 1000 }
        stats.cpu.periods = cpu["nr_periods"]
        stats.cpu.throttledPeriods = cpu["nr_throttled"]
        stats.cpu.throttledNanoseconds = cpu["throttled_usec"].map { $0 * 1000 }
        stats.pids.current = CgroupTree.number(directory + "/pids.current", fs: fs)
        if fs.exists(directory + "/pids.max") {
            stats.pids.limit = CgroupTree.limitValue(try fs.read(directory + "/pids.max"))
        }
        return stats
    }

    public func destroy() throws(StackError) {
        try CgroupTree.remove(directory, fs: fs, options: options)
    }
}
