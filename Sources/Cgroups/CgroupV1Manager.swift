#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// A container's cgroup on cgroup v1 hierarchies (one directory per hierarchy; co-mounted
/// controllers such as `cpu,cpuacct` share one). With `unifiedDirectory` set it is the hybrid
/// manager: the container also gets the same cgroup in the cgroup2 mount, for membership only
/// (no controllers are enabled there), as runc does.
public struct CgroupV1Manager: CgroupManager {
    /// Hierarchy (controller or `name=…`) → the container's directory in it.
    public let directories: [String: String]
    /// Hierarchy → its mount, to find parents (cpuset initialisation).
    public let mounts: [String: CgroupMount]
    /// The container's directory under the cgroup2 mount (hybrid layout), and that mount point.
    public let unifiedDirectory: String?
    public let unifiedMountPoint: String?
    let fs: any CgroupFileSystem
    let options: CgroupManagerOptions

    public init(
        directories: [String: String], mounts: [String: CgroupMount], unifiedDirectory: String? = nil,
        unifiedMountPoint: String? = nil, fs: any CgroupFileSystem, options: CgroupManagerOptions = .init()
    ) {
        self.directories = directories
        self.mounts = mounts
        self.unifiedDirectory = unifiedDirectory
        self.unifiedMountPoint = unifiedMountPoint
        self.fs = fs
        self.options = options
    }

    public var version: CgroupVersion { unifiedDirectory == nil ? .v1 : .hybrid }

    public var paths: [String: String] {
        var result = directories
        if let unifiedDirectory { result[""] = unifiedDirectory }
        return result
    }

    /// Each directory once (co-mounted controllers share), sorted, the cgroup2 one last.
    var uniqueDirectories: [String] {
        var result = Array(Set(directories.values)).sorted()
        if let unifiedDirectory { result.append(unifiedDirectory) }
        return result
    }

    public func exists() -> Bool { !uniqueDirectories.isEmpty && uniqueDirectories.allSatisfy { fs.exists($0) } }

    /// Creates the directory in every hierarchy; in the cpuset hierarchy each new level gets
    /// `cpuset.cpus` and `cpuset.mems` copied from its parent when empty (the kernel refuses tasks
    /// in a cpuset without them).
    public func create() throws(StackError) {
        for (controller, directory) in directories.sorted(by: { $0.key < $1.key }) where controller != "cpuset" {
            try fs.mkdirAll(directory)
        }
        if let directory = directories["cpuset"] {
            try createCpuset(directory, mountPoint: mounts["cpuset"]?.mountPoint ?? CgroupPath.parent(directory))
        }
        if let unifiedDirectory { try fs.mkdirAll(unifiedDirectory) }
    }

    private func createCpuset(_ directory: String, mountPoint: String) throws(StackError) {
        guard let relative = CgroupPath.relative(directory, to: mountPoint) else {
            throw StackError(.invalidArgument, "cgroup \(directory) is not below the cpuset mount \(mountPoint)")
        }
        var current = mountPoint
        for component in relative.split(separator: "/") {
            let parent = current
            current = CgroupPath.join(current, String(component))
            try fs.mkdir(current)
            for file in ["cpuset.cpus", "cpuset.mems"] {
                let own = current + "/" + file
                if fs.exists(own), try fs.readTrimmed(own).isEmpty {
                    try fs.write(own, try fs.readTrimmed(parent + "/" + file))
                }
            }
        }
    }

    public func unsupportedResources(_ resources: CgroupResources) -> [String] {
        var problems: [String] = []
        func need(_ controller: String, _ what: String) {
            if directories[controller] == nil { problems.append("\(what): the \(controller) controller is not mounted") }
        }
        let memory = resources.memory
        if memory.limit != nil || memory.reservation != nil || memory.swap != nil || memory.swappiness != nil
            || memory.disableOOMKiller != nil || memory.kernelTCP != nil
        {
            need("memory", "memory")
        }
        // The hierarchy's mount shows whether the kernel has the file (the container's directory
        // may not exist yet).
        if memory.kernelTCP != nil, let mount = mounts["memory"],
            !fs.exists(mount.mountPoint + "/memory.kmem.tcp.limit_in_bytes")
        {
            problems.append("memory.kernelTCP: this kernel has no memory.kmem.tcp.limit_in_bytes")
        }
        if memory.oomGroup == true { problems.append("memory.oomGroup: not available on cgroup v1") }
        let cpu = resources.cpu
        if (cpu.shares ?? 0) != 0 || cpu.quota != nil || cpu.period != nil || cpu.burst != nil || cpu.idle != nil
            || cpu.realtimePeriod != nil || cpu.realtimeRuntime != nil
        {
            need("cpu", "cpu")
        }
        if cpu.cpus != nil || cpu.mems != nil { need("cpuset", "cpu.cpus/mems") }
        if resources.pids.limit != nil { need("pids", "pids") }
        let io = resources.blockIO
        if (io.weight ?? 0) != 0 || io.leafWeight != nil || !io.weightDevices.isEmpty || io.hasThrottles {
            need("blkio", "blockIO")
        }
        if !resources.hugepageLimits.isEmpty { need("hugetlb", "hugepageLimits") }
        if resources.devices.map({ !$0.isEmpty }) == true { need("devices", "devices") }
        if !resources.unified.isEmpty {
            problems.append("unified: cgroup v2 keys (\(resources.unified.keys.sorted().joined(separator: ", "))) cannot be set on cgroup v1")
        }
        return problems
    }

    public func apply(_ resources: CgroupResources) throws(StackError) {
        func writer(_ controller: String) -> CgroupV1Writer? {
            directories[controller].map { CgroupV1Writer(directory: $0, fs: fs) }
        }
        try writer("memory")?.applyMemory(resources.memory)
        try writer("cpu")?.applyCPU(resources.cpu)
        try writer("cpuset")?.applyCpuset(resources.cpu)
        try writer("pids")?.applyPids(resources.pids)
        try writer("blkio")?.applyBlockIO(resources.blockIO)
        try writer("hugetlb")?.applyHugetlb(resources.hugepageLimits)
        if let devices = resources.devices, !devices.isEmpty { try writer("devices")?.applyDevices(devices) }
    }

    /// Writes the pid to `cgroup.procs` of every hierarchy (and of the cgroup2 directory in hybrid mode).
    public func addProcess(pid: Int32) throws(StackError) {
        for directory in uniqueDirectories { try fs.write(directory + "/cgroup.procs", String(pid)) }
    }

    /// The processes, read from the freezer hierarchy (else pids, memory, cpu, or any).
    public func processes() throws(StackError) -> [Int32] {
        let preferred = ["freezer", "pids", "memory", "cpu"].compactMap { directories[$0] }
        guard let directory = preferred.first ?? uniqueDirectories.first else { return [] }
        return try CgroupTree.processes(in: directory, fs: fs)
    }

    public func freeze() throws(StackError) { try setFreezer("FROZEN") }

    public func thaw() throws(StackError) { try setFreezer("THAWED") }

    private func freezerDirectory() throws(StackError) -> String {
        guard let directory = directories["freezer"] else {
            throw StackError(.unsupported, "the freezer controller is not mounted: cannot pause or resume")
        }
        return directory
    }

    private func setFreezer(_ target: String) throws(StackError) {
        let file = try freezerDirectory() + "/freezer.state"
        let fs = self.fs
        do {
            try CgroupTree.waitForState(
                write: file, value: target, fs: fs, options: options, what: target == "FROZEN" ? "freeze" : "thaw",
                read: { () throws(StackError) -> String in try fs.readTrimmed(file) }, reached: { $0 == target })
        } catch {
            // A freeze that does not complete must not leave tasks half frozen.
            if target == "FROZEN" { try? fs.write(file, "THAWED") }
            throw error
        }
    }

    public func state() throws(StackError) -> CgroupFreezerState {
        switch try fs.readTrimmed(try freezerDirectory() + "/freezer.state") {
        case "FROZEN": return .frozen
        case "FREEZING": return .freezing
        default: return .thawed
        }
    }

    public func stats() throws(StackError) -> CgroupStats {
        var stats = CgroupStats()
        if let memory = directories["memory"] {
            stats.memory.usage = CgroupTree.number(memory + "/memory.usage_in_bytes", fs: fs)
            if fs.exists(memory + "/memory.limit_in_bytes") {
                stats.memory.limit = CgroupTree.limitValue(try fs.read(memory + "/memory.limit_in_bytes"))
            }
            stats.memory.maxUsage = CgroupTree.number(memory + "/memory.max_usage_in_bytes", fs: fs)
            stats.memory.failcnt = CgroupTree.number(memory + "/memory.failcnt", fs: fs)
            if let both = CgroupTree.number(memory + "/memory.memsw.usage_in_bytes", fs: fs), let usage = stats.memory.usage {
                stats.memory.swapUsage = both >= usage ? both - usage : 0
            }
            let oom = CgroupTree.keyValues(memory + "/memory.oom_control", fs: fs)
            if let kills = oom["oom_kill"] { stats.memory.events["oom_kill"] = kills }
            stats.memory.stat = CgroupTree.keyValues(memory + "/memory.stat", fs: fs)
        }
        if let cpuacct = directories["cpuacct"] {
            stats.cpu.usageNanoseconds = CgroupTree.number(cpuacct + "/cpuacct.usage", fs: fs)
            let ticks = CgroupTree.keyValues(cpuacct + "/cpuacct.stat", fs: fs)
            let hertz = UInt64(max(sysconf(Int32(_SC_CLK_TCK)), 1))
            let nanosecondsPerTick = 1_000_000_000 / hertz
            stats.cpu.userNanoseconds = ticks["user"].map { $0 * nanosecondsPerTick }
            stats.cpu.systemNanoseconds = ticks["system"].map { $0 * nanosecondsPerTick }
        }
        if let cpu = directories["cpu"] {
            let throttling = CgroupTree.keyValues(cpu + "/cpu.stat", fs: fs)
            stats.cpu.periods = throttling["nr_periods"]
            stats.cpu.throttledPeriods = throttling["nr_throttled"]
            stats.cpu.throttledNanoseconds = throttling["throttled_time"]
        }
        if let pids = directories["pids"] {
            stats.pids.current = CgroupTree.number(pids + "/pids.current", fs: fs)
            if fs.exists(pids + "/pids.max") { stats.pids.limit = CgroupTree.limitValue(try fs.read(pids + "/pids.max")) }
        }
        return stats
    }

    /// Removes the directory in every hierarchy (sub-cgroups first); tries them all and throws the
    /// first failure.
    public func destroy() throws(StackError) {
        var firstError: StackError?
        for directory in uniqueDirectories {
            do {
                try CgroupTree.remove(directory, fs: fs, options: options)
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }
}
