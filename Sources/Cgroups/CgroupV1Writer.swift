#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore

/// Turns `CgroupResources` into cgroup v1 file writes in one controller's directory.
struct CgroupV1Writer {
    let directory: String
    let fs: any CgroupFileSystem

    private func write(_ name: String, _ value: String) throws(StackError) {
        try fs.write(directory + "/" + name, value)
    }

    private func has(_ name: String) -> Bool { fs.exists(directory + "/" + name) }

    /// Memory and memory+swap limits in an order the kernel accepts (memory must stay ≤ memsw):
    /// when the new memsw is above the current memory limit (raising), memsw first; otherwise
    /// (lowering) the memory limit first. Then the soft limit, swappiness, OOM control and the
    /// kernel TCP limit (where the kernel has the file; `unsupportedResources` says when not).
    func applyMemory(_ memory: CgroupResources.Memory) throws(StackError) {
        var swap = memory.swap
        // Unlimited memory with no swap given means unlimited swap too (when swap accounting exists).
        if memory.limit == -1, swap == nil || swap == 0, has("memory.memsw.limit_in_bytes") { swap = -1 }
        if swap == 0 { swap = nil }
        if let limit = memory.limit, limit != 0, let swap {
            let current = UInt64(try fs.readTrimmed(directory + "/memory.limit_in_bytes")) ?? UInt64.max
            if swap == -1 || current < UInt64(clamping: swap) {
                try write("memory.memsw.limit_in_bytes", String(swap))
                try write("memory.limit_in_bytes", String(limit))
            } else {
                try write("memory.limit_in_bytes", String(limit))
                try write("memory.memsw.limit_in_bytes", String(swap))
            }
        } else {
            if let limit = memory.limit, limit != 0 { try write("memory.limit_in_bytes", String(limit)) }
            if let swap { try write("memory.memsw.limit_in_bytes", String(swap)) }
        }
        if let reservation = memory.reservation { try write("memory.soft_limit_in_bytes", String(reservation)) }
        if let swappiness = memory.swappiness {
            guard swappiness <= 100 else {
                throw StackError(.invalidArgument, "memory swappiness \(swappiness) is not in 0…100")
            }
            try write("memory.swappiness", String(swappiness))
        }
        if let disable = memory.disableOOMKiller { try write("memory.oom_control", disable ? "1" : "0") }
        if let kernelTCP = memory.kernelTCP, has("memory.kmem.tcp.limit_in_bytes") {
            try write("memory.kmem.tcp.limit_in_bytes", String(kernelTCP))
        }
    }

    /// `cpu.shares`, then period and quota (a smaller period the kernel refuses with EINVAL before
    /// the quota changes is written again after it, as runc does), burst, real-time, idle.
    func applyCPU(_ cpu: CgroupResources.CPU) throws(StackError) {
        if let shares = cpu.shares, shares != 0 { try write("cpu.shares", String(shares)) }
        var pendingPeriod: String?
        if let period = cpu.period, period != 0 {
            do {
                try write("cpu.cfs_period_us", String(period))
            } catch {
                guard error.cgroupErrno == EINVAL, cpu.quota != nil else { throw error }
                pendingPeriod = String(period)
            }
        }
        if let quota = cpu.quota {
            try write("cpu.cfs_quota_us", String(quota > 0 ? quota : -1))
            if let pendingPeriod { try write("cpu.cfs_period_us", pendingPeriod) }
        }
        if let burst = cpu.burst { try write("cpu.cfs_burst_us", String(burst)) }
        if let period = cpu.realtimePeriod, period != 0 { try write("cpu.rt_period_us", String(period)) }
        if let runtime = cpu.realtimeRuntime { try write("cpu.rt_runtime_us", String(runtime)) }
        if let idle = cpu.idle { try write("cpu.idle", String(idle)) }
    }

    func applyCpuset(_ cpu: CgroupResources.CPU) throws(StackError) {
        if let cpus = cpu.cpus, !cpus.isEmpty { try write("cpuset.cpus", cpus) }
        if let mems = cpu.mems, !mems.isEmpty { try write("cpuset.mems", mems) }
    }

    func applyPids(_ pids: CgroupResources.Pids) throws(StackError) {
        if let limit = pids.limit { try write("pids.max", limit > 0 ? String(limit) : "max") }
    }

    /// `blkio.weight` (or `blkio.bfq.weight` when that is all the kernel has), leaf weight,
    /// per-device weights, then one write per throttled device.
    func applyBlockIO(_ io: CgroupResources.BlockIO) throws(StackError) {
        let bfq = !has("blkio.weight") && has("blkio.bfq.weight")
        if let weight = io.weight, weight != 0 { try write(bfq ? "blkio.bfq.weight" : "blkio.weight", String(weight)) }
        if let leafWeight = io.leafWeight, leafWeight != 0 { try write("blkio.leaf_weight", String(leafWeight)) }
        for device in io.weightDevices {
            if let weight = device.weight {
                try write(bfq ? "blkio.bfq.weight_device" : "blkio.weight_device", "\(device.major):\(device.minor) \(weight)")
            }
            if let leafWeight = device.leafWeight {
                try write("blkio.leaf_weight_device", "\(device.major):\(device.minor) \(leafWeight)")
            }
        }
        let throttles: [(String, [CgroupResources.ThrottleDevice])] = [
            ("blkio.throttle.read_bps_device", io.throttleReadBps), ("blkio.throttle.write_bps_device", io.throttleWriteBps),
            ("blkio.throttle.read_iops_device", io.throttleReadIOPS), ("blkio.throttle.write_iops_device", io.throttleWriteIOPS),
        ]
        for (file, devices) in throttles {
            for device in devices { try write(file, "\(device.major):\(device.minor) \(device.rate)") }
        }
    }

    func applyHugetlb(_ limits: [CgroupResources.HugepageLimit]) throws(StackError) {
        for limit in limits { try write("hugetlb.\(limit.pageSize).limit_in_bytes", String(limit.limit)) }
    }

    /// Denies everything, then writes each rule (but leading deny-all ones), in order, to `devices.allow` or `devices.deny`.
    func applyDevices(_ rules: [CgroupResources.DeviceRule]) throws(StackError) {
        try write("devices.deny", "a")
        var denyingAll = true
        for rule in rules {
            // Leading deny-all rules repeat what was just written.
            if denyingAll && rule.kind == .all && !rule.allow { continue }
            denyingAll = false
            try write(rule.allow ? "devices.allow" : "devices.deny", rule.description)
        }
    }
}
