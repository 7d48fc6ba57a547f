import Cgroups
import RuntimeSpec
import Seccomp

/// OCI `linux.resources` → the Cgroups target's `CgroupResources`.
public enum ResourceMapping {
    /// Devices every container may use, appended after the spec's rules as runc does:
    /// mknod of any char/block device, null, zero, full, tty, random, urandom, /dev/console, ptys.
    public static let defaultDeviceRules: [CgroupResources.DeviceRule] = [
        .init(allow: true, kind: .char, access: "m"),
        .init(allow: true, kind: .block, access: "m"),
        .init(allow: true, kind: .char, major: 1, minor: 3, access: "rwm"),
        .init(allow: true, kind: .char, major: 1, minor: 5, access: "rwm"),
        .init(allow: true, kind: .char, major: 1, minor: 7, access: "rwm"),
        .init(allow: true, kind: .char, major: 5, minor: 0, access: "rwm"),
        .init(allow: true, kind: .char, major: 1, minor: 8, access: "rwm"),
        .init(allow: true, kind: .char, major: 1, minor: 9, access: "rwm"),
        .init(allow: true, kind: .char, major: 5, minor: 1, access: "rwm"),
        .init(allow: true, kind: .char, major: 136, access: "rwm"),
        .init(allow: true, kind: .char, major: 5, minor: 2, access: "rwm"),
    ]

    /// The cgroup resources for `resources`. Device rules are the spec's followed by the defaults;
    /// the spec's own devices (`linux.devices`) are allowed too.
    public static func cgroupResources(_ resources: Spec.Linux.Resources?, devices: [Spec.Device] = [])
        -> CgroupResources
    {
        var result = CgroupResources()
        guard let resources else {
            result.devices = nil
            return result
        }
        if let memory = resources.memory {
            result.memory = CgroupResources.Memory(
                limit: memory.limit, reservation: memory.reservation, swap: memory.swap,
                swappiness: memory.swappiness, disableOOMKiller: memory.disableOOMKiller, kernelTCP: memory.kernelTCP)
        }
        if let cpu = resources.cpu {
            result.cpu = CgroupResources.CPU(
                shares: cpu.shares, quota: cpu.quota, period: cpu.period, burst: cpu.burst,
                realtimeRuntime: cpu.realtimeRuntime, realtimePeriod: cpu.realtimePeriod, cpus: cpu.cpus,
                mems: cpu.mems, idle: cpu.idle)
        }
        if let pids = resources.pids { result.pids = CgroupResources.Pids(limit: pids.limit) }
        if let blockIO = resources.blockIO {
            var io = CgroupResources.BlockIO(weight: blockIO.weight, leafWeight: blockIO.leafWeight)
            io.weightDevices = (blockIO.weightDevice ?? []).map {
                .init(major: $0.major, minor: $0.minor, weight: $0.weight, leafWeight: $0.leafWeight)
            }
            func throttles(_ list: [Spec.Linux.ThrottleDevice]?) -> [CgroupResources.ThrottleDevice] {
                (list ?? []).map { .init(major: $0.major, minor: $0.minor, rate: $0.rate) }
            }
            io.throttleReadBps = throttles(blockIO.throttleReadBpsDevice)
            io.throttleWriteBps = throttles(blockIO.throttleWriteBpsDevice)
            io.throttleReadIOPS = throttles(blockIO.throttleReadIOPSDevice)
            io.throttleWriteIOPS = throttles(blockIO.throttleWriteIOPSDevice)
            result.blockIO = io
        }
        result.hugepageLimits = (resources.hugepageLimits ?? []).map { .init(pageSize: $0.pageSize, limit: $0.limit) }
        result.unified = resources.unified ?? [:]
        if let rules = resources.devices {
            var mapped = rules.map(deviceRule)
            for device in devices {
                guard let major = device.major, let minor = device.minor, device.type != "p" else { continue }
                mapped.append(.init(allow: true, kind: device.type == "b" ? .block : .char, major: major, minor: minor))
            }
            result.devices = mapped + defaultDeviceRules
        }
        return result
    }

    static func deviceRule(_ rule: Spec.Linux.DeviceRule) -> CgroupResources.DeviceRule {
        let kind: CgroupResources.DeviceRule.Kind
        switch rule.type {
        case "c": kind = .char
        case "b": kind = .block
        default: kind = .all
        }
        return CgroupResources.DeviceRule(
            allow: rule.allow, kind: kind, major: rule.major, minor: rule.minor, access: rule.access ?? "rwm")
    }
}

/// OCI `linux.seccomp` → the Seccomp target's `SeccompProfile`.
public enum SeccompMapping {
    public static func profile(_ seccomp: Spec.Linux.Seccomp) -> SeccompProfile {
        SeccompProfile(
            defaultAction: seccomp.defaultAction, defaultErrnoRet: seccomp.defaultErrnoRet,
            architectures: seccomp.architectures ?? [], flags: seccomp.flags ?? [],
            syscalls: (seccomp.syscalls ?? []).map { rule in
                SeccompProfile.Rule(
                    names: rule.names, action: rule.action, errnoRet: rule.errnoRet,
                    args: (rule.args ?? []).map {
                        SeccompProfile.Argument(index: $0.index, value: $0.value, valueTwo: $0.valueTwo ?? 0, op: $0.op)
                    })
            })
    }
}
