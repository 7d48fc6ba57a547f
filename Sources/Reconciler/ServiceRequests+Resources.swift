import ContainerConfig
import StackAPI
import StackCore
import StackModel

extension ServiceRequests {
    /// Memory, CPU, pids, block I/O, ulimits and OOM settings, as Compose maps them: the flat
    /// fields first, then `deploy.resources.limits` (memory, cpus, pids) and
    /// `deploy.resources.reservations.memory` override them. CPU reservations are Swarm-only.
    static func applyResources(_ spec: Service, to host: inout HostConfig) throws(StackError) {
        host.memory = spec.memLimit ?? 0
        host.memorySwap = spec.memswapLimit ?? 0
        host.memoryReservation = spec.memReservation ?? 0
        host.nanoCpus = nanoCPUs(spec.cpus)
        host.cpuShares = spec.cpuShares ?? 0
        host.cpuQuota = spec.cpuQuota ?? 0
        host.cpuPeriod = spec.cpuPeriod ?? 0
        if let cpuset = spec.cpuset {
            do {
                host.cpusetCpus = try RunFlagParsing.cpuset(cpuset)
            } catch {
                throw invalid(spec.name, "cpuset", error)
            }
        }
        if let pids = spec.pidsLimit, pids != 0 { host.pidsLimit = pids }
        if let limits = spec.deploy?.resources?.limits {
            if let memory = limits.memory, memory != 0 { host.memory = memory }
            if let cpus = limits.cpus, cpus != 0 { host.nanoCpus = nanoCPUs(cpus) }
            if let pids = limits.pids, pids > 0 { host.pidsLimit = pids }
        }
        if let memory = spec.deploy?.resources?.reservations?.memory, memory != 0 {
            host.memoryReservation = memory
        }
        host.oomKillDisable = spec.oomKillDisable
        if let adjust = spec.oomScoreAdj {
            guard (-1000...1000).contains(adjust) else {
                throw StackError(
                    .invalidStackFile, "oom_score_adj \(adjust) is outside -1000…1000",
                    path: "services.\(spec.name).oom_score_adj")
            }
            host.oomScoreAdj = adjust
        }
        if let blkio = spec.blkioConfig {
            host.blkioWeight = blkio.weight ?? 0
            host.blkioDeviceReadBps = throttles(blkio.deviceReadBps)
            host.blkioDeviceWriteBps = throttles(blkio.deviceWriteBps)
            host.blkioDeviceReadIOps = throttles(blkio.deviceReadIOps)
            host.blkioDeviceWriteIOps = throttles(blkio.deviceWriteIOps)
        }
        host.ulimits = try ulimits(spec)
    }

    /// CPUs as NanoCpus (`1.5` → 1_500_000_000), rounded to the nanosecond.
    static func nanoCPUs(_ cpus: Double?) -> Int64 {
        guard let cpus, cpus > 0 else { return 0 }
        return Int64((cpus * 1_000_000_000).rounded())
    }

    static func throttles(_ devices: [StackModel.ThrottleDevice]) -> [HostConfig.ThrottleDevice] {
        devices.map { HostConfig.ThrottleDevice(path: $0.path, rate: UInt64(max(0, $0.rate))) }
    }

    /// `ulimits`, sorted by name, checked with `--ulimit`'s rules (known names, soft ≤ hard).
    static func ulimits(_ spec: Service) throws(StackError) -> [HostConfig.Ulimit] {
        var result: [HostConfig.Ulimit] = []
        for name in spec.ulimits.keys.sorted() {
            guard let limit = spec.ulimits[name] else { continue }
            do {
                result.append(try RunFlagParsing.ulimit("\(name)=\(limit.soft):\(limit.hard)"))
            } catch {
                throw invalid(spec.name, "ulimits.\(name)", error)
            }
        }
        return result
    }

    /// The engine's restart policy: `no`, `always`, `unless-stopped`, `on-failure` with its count.
    static func restartPolicy(_ policy: StackModel.RestartPolicy) -> HostConfig.RestartPolicy {
        switch policy {
        case .no: return HostConfig.RestartPolicy(name: "no")
        case .always: return HostConfig.RestartPolicy(name: "always")
        case .unlessStopped: return HostConfig.RestartPolicy(name: "unless-stopped")
        case .onFailure(let retries): return HostConfig.RestartPolicy(name: "on-failure", maximumRetryCount: retries ?? 0)
        }
    }

    /// `logging` with the `json-file` driver (or none named); other drivers are left to the engine's
    /// default and reported by `warnings(for:)`.
    static func logConfig(_ logging: LoggingConfig?) -> HostConfig.LogConfig? {
        guard let logging, logging.driver == nil || logging.driver == "json-file" else { return nil }
        return HostConfig.LogConfig(type: "json-file", config: logging.options)
    }

    /// Docker's `HealthConfig`: `disable: true` is `["NONE"]`, no test inherits the image's probe.
    static func healthConfig(_ check: HealthCheck?) -> HealthConfig? {
        guard let check else { return nil }
        if check.isDisabled { return HealthConfig(test: ["NONE"]) }
        return HealthConfig(
            test: check.test?.arguments ?? [], interval: nanoseconds(check.interval),
            timeout: nanoseconds(check.timeout), retries: check.retries ?? 0,
            startPeriod: nanoseconds(check.startPeriod), startInterval: nanoseconds(check.startInterval))
    }

    /// A duration in nanoseconds; nil is 0 (the default).
    static func nanoseconds(_ duration: Duration?) -> Int64 {
        guard let duration else { return 0 }
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
