import Runtime
import StackAPI
import StackCore
import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ContainerEngine {
    /// `GET /containers/json`: running containers, or all with `all`; newest first.
    public func list(all: Bool) throws(StackError) -> [ContainerSummary] {
        let now = TimeText.now()
        var result: [ContainerSummary] = []
        for record in try store.containers.list(all: all) {
            guard all || record.state == .running || record.state == .paused || record.state == .restarting else {
                continue
            }
            let stored = try? StoredConfig.decode(record.config, container: record.id)
            let command = ([stored?.path ?? ""] + (stored?.args ?? [])).filter { !$0.isEmpty }.joined(separator: " ")
            result.append(
                ContainerSummary(
                    id: record.id, names: ["/" + record.name], image: record.imageRef ?? "",
                    imageID: record.imageID ?? "", command: command, created: Int64(record.createdAt),
                    state: record.state.rawValue, status: Self.status(record, now: now) + healthSuffix(record),
                    exitCode: record.exitCode ?? 0, labels: record.labels,
                    ports: (publishedPorts[record.id] ?? []).map {
                        ContainerPortSummary(
                            ip: $0.hostIP.isEmpty ? "0.0.0.0" : $0.hostIP, privatePort: $0.containerPort,
                            publicPort: $0.hostPort, type: $0.proto)
                    },
                    networks: networkNames(record), mounts: stored.map(Self.mountPoints) ?? []))
        }
        return result.sorted { $0.created > $1.created }
    }

    /// ` (healthy)`, ` (unhealthy)` or ` (health: starting)` after a running container's status.
    func healthSuffix(_ record: Store.ContainerRecord) -> String {
        guard record.state == .running, let status = health[record.id]?.status else { return "" }
        return status == "starting" ? " (health: starting)" : " (\(status))"
    }

    /// Docker's STATUS column: `Up 3 seconds (Paused)`, `Exited (0) 2 minutes ago`, `Created`.
    static func status(_ record: Store.ContainerRecord, now: Double) -> String {
        switch record.state {
        case .created: return "Created"
        case .running: return "Up " + TimeText.humanDuration(now - (record.startedAt ?? now))
        case .paused: return "Up " + TimeText.humanDuration(now - (record.startedAt ?? now)) + " (Paused)"
        case .restarting: return "Restarting (\(record.exitCode ?? 0))"
        case .removing: return "Removal In Progress"
        case .dead: return "Dead"
        case .exited:
            return "Exited (\(record.exitCode ?? 0)) " + TimeText.humanDuration(now - (record.finishedAt ?? now)) + " ago"
        }
    }

    /// `GET /containers/{id}/json`.
    public func inspect(_ reference: String) throws(StackError) -> ContainerInspect {
        let record = try record(reference)
        let stored = try StoredConfig.decode(record.config, container: record.id)
        let state = ContainerStateInfo(
            status: record.state.rawValue, running: record.state == .running || record.state == .paused,
            paused: record.state == .paused, restarting: record.state == .restarting,
            oomKilled: record.oomKilled, dead: record.state == .dead,
            pid: record.state == .running || record.state == .paused ? Int32(record.pid ?? 0) : 0,
            exitCode: record.exitCode ?? 0, error: record.error ?? "",
            startedAt: TimeText.rfc3339(record.startedAt), finishedAt: TimeText.rfc3339(record.finishedAt),
            health: health[record.id], nextRestartAt: restartDue[record.id].map(TimeText.rfc3339))
        var inspect = ContainerInspect(
            id: record.id, created: TimeText.rfc3339(record.createdAt), path: stored.path, args: stored.args,
            state: state, image: record.imageID ?? "", name: "/" + record.name,
            restartCount: record.restartCount, logPath: paths.log(record.id),
            hostConfig: stored.request.hostConfig, config: stored.resolved,
            networkSettings: networkSettings(record, stored: stored))
        inspect.mounts = Self.mountPoints(stored)  // volumes
        return inspect
    }

    /// `GET /containers/{id}/top`: the container's processes with ps's default columns.
    public func top(_ reference: String) throws(StackError) -> ContainerTopResponse {
        let record = try record(reference)
        guard record.state == .running || record.state == .paused else {
            throw StackError(.conflict, "container \(record.id) is not running")
        }
        let pids = try runtime.processes(record.id)
        return ContainerTopResponse(
            titles: ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"],
            processes: pids.sorted().compactMap { ProcessTable.row(pid: $0) })
    }

    /// `GET /containers/{id}/stats?stream=false`: two readings of the cgroup's figures half a
    /// second apart (so the CPU share can be computed), memory and pids from the second.
    public func stats(_ reference: String) async throws -> ContainerStatsSample {
        let record = try record(reference)
        guard record.state == .running || record.state == .paused else {
            throw StackError(.conflict, "container \(record.id) is not running")
        }
        let first = try runtime.stats(record.id)
        let firstSystem = ProcessTable.systemCPUNanoseconds()
        try await Task.sleep(nanoseconds: 500_000_000)
        let second = try runtime.stats(record.id)
        return ContainerStatsSample(
            id: record.id, name: "/" + record.name, read: TimeText.rfc3339(TimeText.now()),
            cpuTotalNanoseconds: second.cpu.usageNanoseconds ?? 0, systemNanoseconds: ProcessTable.systemCPUNanoseconds(),
            previousCPUTotalNanoseconds: first.cpu.usageNanoseconds ?? 0, previousSystemNanoseconds: firstSystem,
            onlineCPUs: Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))),
            memoryUsage: second.memory.usage ?? 0, memoryLimit: second.memory.limit ?? ProcessTable.totalMemory(),
            pids: second.pids.current ?? 0)
    }
}

extension ContainerEngine {
    /// Ids of the containers created from `imageID` (an image they use cannot be removed unforced).
    public func containers(usingImage imageID: String) throws(StackError) -> [String] {
        try store.containers.ids(usingImage: imageID)
    }
}
