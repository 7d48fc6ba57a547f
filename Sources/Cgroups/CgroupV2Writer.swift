#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// Turns `CgroupResources` into cgroup v2 file writes in one directory.
struct CgroupV2Writer {
    let directory: String
    let fs: any CgroupFileSystem

    private func write(_ name: String, _ value: String) throws(StackError) {
        try fs.write(directory + "/" + name, value)
    }

    func needsMemory(_ memory: CgroupResources.Memory) -> Bool {
        memory.limit != nil || memory.reservation != nil || memory.swap != nil || memory.oomGroup != nil
    }

    /// `memory.swap.max` (memory+swap minus memory), then `memory.max`, `memory.low`, `memory.oom.group`.
    func applyMemory(_ memory: CgroupResources.Memory) throws(StackError) {
        if let swap = try CgroupConversions.swapMax(memorySwap: memory.swap, memory: memory.limit) {
            let value = CgroupConversions.limitText(swap)
            do {
                try write("memory.swap.max", value)
            } catch {
                // Without swap accounting the file is missing; "no limit" and "no swap" then hold anyway.
                guard error.cgroupErrno == ENOENT, value == "max" || value == "0" else { throw error }
            }
        }
        if let limit = memory.limit { try write("memory.max", CgroupConversions.limitText(limit)) }
        if let reservation = memory.reservation { try write("memory.low", CgroupConversions.limitText(reservation)) }
        if let group = memory.oomGroup { try write("memory.oom.group", group ? "1" : "0") }
    }

    func needsCPU(_ cpu: CgroupResources.CPU) -> Bool {
        (cpu.shares ?? 0) != 0 || cpu.quota != nil || cpu.period != nil || cpu.burst != nil || cpu.idle != nil
    }

    /// `cpu.weight` from shares, `cpu.max` as "quota period" (`max` when unlimited), `cpu.max.burst`, `cpu.idle`.
    func applyCPU(_ cpu: CgroupResources.CPU) throws(StackError) {
        if let shares = cpu.shares, shares != 0 {
            try write("cpu.weight", String(CgroupConversions.cpuWeight(shares: shares)))
        }
        if cpu.quota != nil || cpu.period != nil {
            var quotaText: String
            if let quota = cpu.quota {
                quotaText = quota > 0 ? String(quota) : "max"
            } else {
                // Only the period changes: keep the quota in force.
                let current = fs.exists(directory + "/cpu.max") ? try fs.readTrimmed(directory + "/cpu.max") : ""
                quotaText = current.split(separator: " ").first.map(String.init) ?? "max"
            }
            if let period = cpu.period, period != 0 { quotaText += " \(period)" }
            try write("cpu.max", quotaText)
        }
        if let burst = cpu.burst { try write("cpu.max.burst", String(burst)) }
        if let idle = cpu.idle { try write("cpu.idle", String(idle)) }
    }

    func applyCpuset(_ cpu: CgroupResources.CPU) throws(StackError) {
        if let cpus = cpu.cpus { try write("cpuset.cpus", cpus) }
        if let mems = cpu.mems { try write("cpuset.mems", mems) }
    }

    func applyPids(_ pids: CgroupResources.Pids) throws(StackError) {
        if let limit = pids.limit { try write("pids.max", limit > 0 ? String(limit) : "max") }
    }

    func needsIO(_ io: CgroupResources.BlockIO) -> Bool {
        (io.weight ?? 0) != 0 || io.weightDevices.contains { $0.weight != nil } || io.hasThrottles
    }

    /// `io.weight` (converted from the blkio scale; `io.bfq.weight` unconverted when only BFQ is
    /// there), per-device weights, and one `io.max` line per throttled device.
    func applyIO(_ io: CgroupResources.BlockIO) throws(StackError) {
        let bfqOnly = !fs.exists(directory + "/io.weight") && fs.exists(directory + "/io.bfq.weight")
        if let weight = io.weight, weight != 0 {
            if bfqOnly {
                try write("io.bfq.weight", String(weight))
            } else {
                try write("io.weight", "default \(CgroupConversions.ioWeight(blkioWeight: weight))")
            }
        }
        for device in io.weightDevices {
            guard let weight = device.weight else { continue }
            let value = bfqOnly ? UInt64(weight) : CgroupConversions.ioWeight(blkioWeight: weight)
            try write(bfqOnly ? "io.bfq.weight" : "io.weight", "\(device.major):\(device.minor) \(value)")
        }
        for line in Self.ioMaxLines(io) { try write("io.max", line) }
    }

    /// `MAJ:MIN rbps=… wbps=… riops=… wiops=…` per device, in the order devices first appear;
    /// a rate of 0 removes that limit (`max`).
    static func ioMaxLines(_ io: CgroupResources.BlockIO) -> [String] {
        var order: [String] = []
        var settings: [String: [String]] = [:]
        let groups: [(String, [CgroupResources.ThrottleDevice])] = [
            ("rbps", io.throttleReadBps), ("wbps", io.throttleWriteBps),
            ("riops", io.throttleReadIOPS), ("wiops", io.throttleWriteIOPS),
        ]
        for (key, devices) in groups {
            for device in devices {
                let id = "\(device.major):\(device.minor)"
                if settings[id] == nil { order.append(id) }
                settings[id, default: []].append("\(key)=\(device.rate == 0 ? "max" : String(device.rate))")
            }
        }
        return order.map { id in ([id] + (settings[id] ?? [])).joined(separator: " ") }
    }

    func applyHugetlb(_ limits: [CgroupResources.HugepageLimit]) throws(StackError) {
        for limit in limits { try write("hugetlb.\(limit.pageSize).max", String(limit.limit)) }
    }

    /// Raw keys, sorted; a key must name a file directly in the cgroup directory.
    func applyUnified(_ unified: [String: String]) throws(StackError) {
        for key in unified.keys.sorted() {
            guard !key.isEmpty, !key.contains("/"), key != ".", key != ".." else {
                throw StackError(.invalidArgument, "unified cgroup key '\(key)' is not a file name")
            }
            let path = directory + "/" + key
            guard fs.exists(path) else {
                let controller = key.split(separator: ".").first.map(String.init) ?? key
                throw StackError(.unsupported, "unified cgroup key \(key): \(path) does not exist (is the \(controller) controller enabled?)")
            }
            try write(key, unified[key] ?? "")
        }
    }
}
