import RuntimeSpec

/// Lays an update's partial `linux.resources` over the container's current ones: every field the
/// patch sets replaces the current value, everything else is kept. Per-device lists are merged by
/// device (`major:minor`), hugepage limits by page size, `unified` by file name. Device rules,
/// network and rdma are never changed by an update.
public enum ResourceMerge {
    public static func merge(_ patch: Spec.Linux.Resources, into base: Spec.Linux.Resources?) -> Spec.Linux.Resources {
        var result = base ?? Spec.Linux.Resources()
        if let memory = patch.memory { result.memory = merge(memory, into: result.memory) }
        if let cpu = patch.cpu { result.cpu = merge(cpu, into: result.cpu) }
        if let limit = patch.pids?.limit { result.pids = Spec.Linux.Pids(limit: limit) }
        if let blockIO = patch.blockIO { result.blockIO = merge(blockIO, into: result.blockIO) }
        if let limits = patch.hugepageLimits {
            result.hugepageLimits = mergeList(limits, into: result.hugepageLimits) { $0.pageSize }
        }
        if let unified = patch.unified {
            result.unified = (result.unified ?? [:]).merging(unified) { _, new in new }
        }
        return result
    }

    static func merge(_ patch: Spec.Linux.Memory, into base: Spec.Linux.Memory?) -> Spec.Linux.Memory {
        var result = base ?? Spec.Linux.Memory()
        if let value = patch.limit { result.limit = value }
        if let value = patch.reservation { result.reservation = value }
        if let value = patch.swap { result.swap = value }
        if let value = patch.kernel { result.kernel = value }
        if let value = patch.kernelTCP { result.kernelTCP = value }
        if let value = patch.swappiness { result.swappiness = value }
        if let value = patch.disableOOMKiller { result.disableOOMKiller = value }
        if let value = patch.useHierarchy { result.useHierarchy = value }
        if let value = patch.checkBeforeUpdate { result.checkBeforeUpdate = value }
        return result
    }

    static func merge(_ patch: Spec.Linux.CPU, into base: Spec.Linux.CPU?) -> Spec.Linux.CPU {
        var result = base ?? Spec.Linux.CPU()
        if let value = patch.shares { result.shares = value }
        if let value = patch.quota { result.quota = value }
        if let value = patch.burst { result.burst = value }
        if let value = patch.period { result.period = value }
        if let value = patch.realtimeRuntime { result.realtimeRuntime = value }
        if let value = patch.realtimePeriod { result.realtimePeriod = value }
        if let value = patch.cpus { result.cpus = value }
        if let value = patch.mems { result.mems = value }
        if let value = patch.idle { result.idle = value }
        return result
    }

    static func merge(_ patch: Spec.Linux.BlockIO, into base: Spec.Linux.BlockIO?) -> Spec.Linux.BlockIO {
        var result = base ?? Spec.Linux.BlockIO()
        if let value = patch.weight { result.weight = value }
        if let value = patch.leafWeight { result.leafWeight = value }
        func device(_ major: Int64, _ minor: Int64) -> String { "\(major):\(minor)" }
        if let list = patch.weightDevice {
            result.weightDevice = mergeList(list, into: result.weightDevice) { device($0.major, $0.minor) }
        }
        if let list = patch.throttleReadBpsDevice {
            result.throttleReadBpsDevice = mergeList(list, into: result.throttleReadBpsDevice) { device($0.major, $0.minor) }
        }
        if let list = patch.throttleWriteBpsDevice {
            result.throttleWriteBpsDevice = mergeList(list, into: result.throttleWriteBpsDevice) {
                device($0.major, $0.minor)
            }
        }
        if let list = patch.throttleReadIOPSDevice {
            result.throttleReadIOPSDevice = mergeList(list, into: result.throttleReadIOPSDevice) {
                device($0.major, $0.minor)
            }
        }
        if let list = patch.throttleWriteIOPSDevice {
            result.throttleWriteIOPSDevice = mergeList(list, into: result.throttleWriteIOPSDevice) {
                device($0.major, $0.minor)
            }
        }
        return result
    }

    /// `base` with each entry of `patch` replacing the one of the same key (in place), or appended.
    static func mergeList<Element>(_ patch: [Element], into base: [Element]?, key: (Element) -> String) -> [Element] {
        var result = base ?? []
        for entry in patch {
            if let index = result.firstIndex(where: { key($0) == key(entry) }) {
                result[index] = entry
            } else {
                result.append(entry)
            }
        }
        return result
    }
}
