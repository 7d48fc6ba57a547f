import RuntimeSpec
import StackAPI
import StackCore

extension OCISpecBuilder {
    /// `linux.resources` from HostConfig: devices, memory, cpu, pids, blkio. Errors name the HostConfig field.
    static func resources(_ host: HostConfig, deviceNumbers: DeviceNumberLookup) throws(StackError)
        -> Spec.Linux.Resources
    {
        var resources = Spec.Linux.Resources()
        resources.devices = host.privileged ? DockerDefaults.privilegedDeviceRules : DockerDefaults.deviceRules
        resources.memory = try memory(host)
        resources.cpu = try cpu(host)
        if let limit = host.pidsLimit, limit > 0 { resources.pids = Spec.Linux.Pids(limit: limit) }
        resources.blockIO = try blockIO(host, deviceNumbers: deviceNumbers)
        return resources
    }

    static func memory(_ host: HostConfig) throws(StackError) -> Spec.Linux.Memory? {
        if host.memory != 0 && host.memory < RunFlagParsing.minimumMemory {
            throw StackError(.invalidArgument, "minimum memory limit allowed is 6MB", path: "HostConfig.Memory")
        }
        if host.memory < 0 {
            throw StackError(.invalidArgument, "memory limit must not be negative", path: "HostConfig.Memory")
        }
        var swap: Int64?
        if host.memorySwap > 0 {
            guard host.memory > 0 else {
                throw StackError(
                    .invalidArgument, "you should always set the memory limit when using the memoryswap limit",
                    path: "HostConfig.MemorySwap")
            }
            guard host.memorySwap >= host.memory else {
                throw StackError(
                    .invalidArgument, "minimum memoryswap limit should be larger than memory limit",
                    path: "HostConfig.MemorySwap")
            }
            swap = host.memorySwap
        } else if host.memorySwap == -1 {
            swap = -1
        } else if host.memorySwap < -1 {
            throw StackError(.invalidArgument, "invalid memoryswap value \(host.memorySwap)", path: "HostConfig.MemorySwap")
        } else if host.memory > 0 {
            swap = host.memory * 2  // Docker's default: as much swap as memory
        }
        if host.memoryReservation < 0 {
            throw StackError(.invalidArgument, "memory reservation must not be negative", path: "HostConfig.MemoryReservation")
        }
        if host.memory > 0 && host.memoryReservation > host.memory {
            throw StackError(
                .invalidArgument, "minimum memory limit can not be less than memory reservation limit",
                path: "HostConfig.MemoryReservation")
        }
        let disableOOM = host.oomKillDisable ?? false
        if host.memory == 0 && swap == nil && host.memoryReservation == 0 && !disableOOM { return nil }
        var memory = Spec.Linux.Memory(
            limit: host.memory > 0 ? host.memory : nil,
            reservation: host.memoryReservation > 0 ? host.memoryReservation : nil, swap: swap)
        if disableOOM { memory.disableOOMKiller = true }
        return memory
    }

    static func cpu(_ host: HostConfig) throws(StackError) -> Spec.Linux.CPU? {
        if host.nanoCpus < 0 {
            throw StackError(.invalidArgument, "NanoCpus must not be negative", path: "HostConfig.NanoCpus")
        }
        if host.nanoCpus > 0 && (host.cpuPeriod > 0 || host.cpuQuota > 0) {
            throw StackError(
                .invalidArgument, "conflicting options: NanoCpus and CpuPeriod/CpuQuota cannot both be set",
                path: "HostConfig.NanoCpus")
        }
        if host.cpuShares < 0 {
            throw StackError(.invalidArgument, "CPU shares must not be negative", path: "HostConfig.CpuShares")
        }
        if host.cpuPeriod != 0 && !(1000...1_000_000).contains(host.cpuPeriod) {
            throw StackError(
                .invalidArgument, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                path: "HostConfig.CpuPeriod")
        }
        if host.cpuQuota > 0 && host.cpuQuota < 1000 {
            throw StackError(
                .invalidArgument, "CPU cfs quota can not be less than 1ms (i.e. 1000)", path: "HostConfig.CpuQuota")
        }
        var cpu = Spec.Linux.CPU()
        var any = false
        if host.cpuShares > 0 {
            cpu.shares = UInt64(host.cpuShares)
            any = true
        }
        if host.nanoCpus > 0 {
            let period = DockerDefaults.cpuPeriod
            cpu.period = UInt64(period)
            cpu.quota = max(1000, host.nanoCpus * period / 1_000_000_000)
            any = true
        } else {
            if host.cpuPeriod > 0 {
                cpu.period = UInt64(host.cpuPeriod)
                any = true
            }
            if host.cpuQuota != 0 {
                cpu.quota = host.cpuQuota
                any = true
            }
        }
        if !host.cpusetCpus.isEmpty {
            cpu.cpus = try cpuset(host.cpusetCpus, path: "HostConfig.CpusetCpus")
            any = true
        }
        if !host.cpusetMems.isEmpty {
            cpu.mems = try cpuset(host.cpusetMems, path: "HostConfig.CpusetMems")
            any = true
        }
        return any ? cpu : nil
    }

    private static func cpuset(_ text: String, path: String) throws(StackError) -> String {
        do {
            return try RunFlagParsing.cpuset(text)
        } catch {
            throw StackError(.invalidArgument, "invalid value \"\(text)\": expected a list like 0-1,3", path: path)
        }
    }

    static func blockIO(_ host: HostConfig, deviceNumbers: DeviceNumberLookup) throws(StackError)
        -> Spec.Linux.BlockIO?
    {
        var blockIO = Spec.Linux.BlockIO()
        var any = false
        if host.blkioWeight != 0 {
            guard (10...1000).contains(host.blkioWeight) else {
                throw StackError(.invalidArgument, "range of blkio weight is from 10 to 1000", path: "HostConfig.BlkioWeight")
            }
            blockIO.weight = host.blkioWeight
            any = true
        }
        func throttles(_ devices: [HostConfig.ThrottleDevice], _ field: String) throws(StackError)
            -> [Spec.Linux.ThrottleDevice]?
        {
            if devices.isEmpty { return nil }
            var result: [Spec.Linux.ThrottleDevice] = []
            for (index, device) in devices.enumerated() {
                let path = "HostConfig.\(field)[\(index)].Path"
                let number: DeviceNumber
                do {
                    number = try deviceNumbers(device.path)
                } catch {
                    throw StackError(
                        .invalidArgument, "cannot find the device numbers of \(device.path): \(error.message)", path: path)
                }
                result.append(Spec.Linux.ThrottleDevice(major: number.major, minor: number.minor, rate: device.rate))
            }
            any = true
            return result
        }
        blockIO.throttleReadBpsDevice = try throttles(host.blkioDeviceReadBps, "BlkioDeviceReadBps")
        blockIO.throttleWriteBpsDevice = try throttles(host.blkioDeviceWriteBps, "BlkioDeviceWriteBps")
        blockIO.throttleReadIOPSDevice = try throttles(host.blkioDeviceReadIOps, "BlkioDeviceReadIOps")
        blockIO.throttleWriteIOPSDevice = try throttles(host.blkioDeviceWriteIOps, "BlkioDeviceWriteIOps")
        return any ? blockIO : nil
    }
}
