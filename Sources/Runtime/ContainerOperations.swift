import Cgroups
import ContainerInit
import LinuxOS
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// start, kill, delete, pause, resume, ps and stats on a container of the state directory.
public struct ContainerOperations: Sendable {
    public let store: StateDirectory
    public let log: RuntimeLog

    public init(store: StateDirectory, log: RuntimeLog) {
        self.store = store
        self.log = log
    }

    public func container(_ id: String) throws(StackError) -> Container {
        try Container(id: id, store: store)
    }

    /// Let a created container's init go: read its byte from the exec FIFO, remove the FIFO, run
    /// poststart hooks (failures are warnings).
    public func start(_ id: String) throws(StackError) {
        try start(try container(id))
    }

    /// `start` for a container already in memory (`run` passes the one it just created).
    public func start(_ container: Container) throws(StackError) {
        let id = container.id
        switch container.status {
        case .created: break
        case .stopped: throw StackError(.invalidArgument, "cannot start a container that has stopped")
        case .running, .paused: throw StackError(.invalidArgument, "cannot start an already running container")
        case .creating: throw StackError(.invalidArgument, "cannot start a container that is being created")
        }
        let path = store.fifoPath(id)
        let fd = try syscall("open \(path)") { open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        defer { close(fd) }
        // The init writes one byte, then keeps its (close-on-exec) end open until it execs the
        // process: end-of-file after the byte means the process runs, so poststart hooks follow it.
        var byte: UInt8 = 0
        var started = false
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, 50)
            let got = read(fd, &byte, 1)
            if got == 1 { started = true }
            if got == 0 && started { break }
            if got < 0, Errno.current != .EAGAIN, Errno.current != .EINTR {
                throw StackError.system("read \(path)", Errno.current)
            }
            if !started && !container.initAlive { throw StackError(.system, "container init exited before start") }
        }
        unlink(path)
        let hooks = container.spec.hooks?.poststart ?? []
        guard !hooks.isEmpty else { return }  // the state is only for them
        let state = try container.stateJSON(status: .running)
        for warning in HookRunner.runIgnoringFailures(hooks, kind: "poststart", state: state) {
            log.warning(warning)
        }
    }

    /// Send `signal` to the init, or with `all` to every process of the cgroup.
    public func kill(_ id: String, signal: Int32, all: Bool = false) throws(StackError) {
        let container = try container(id)
        guard container.status != .stopped else { throw StackError(.invalidArgument, "container not running") }
        if all {
            for pid in try container.cgroup().processes() { _ = Glibc.kill(pid, signal) }
            return
        }
        _ = try syscall("kill \(container.record.pid)") { Glibc.kill(container.record.pid, signal) }
    }

    /// Remove a container: refused while it runs unless `force` (then SIGKILL and wait). Kills what
    /// is left in the cgroup, removes it and the state directory, then runs poststop hooks.
    public func delete(_ id: String, force: Bool) throws(StackError) {
        let container: Container
        do {
            container = try self.container(id)
        } catch let error where error.code == .notFound && force {
            return
        }
        try delete(container, force: force)
    }

    /// `delete` for a container already in memory (`run` passes the one it created).
    public func delete(_ container: Container, force: Bool) throws(StackError) {
        let id = container.id
        // Someone else may have deleted it meanwhile (run's container, deleted by `delete -f`).
        guard FileIO.exists(store.statePath(id)) else {
            if force { return }
            throw StackError(.notFound, "container does not exist")
        }
        let status = container.status
        // The runtime spec: deleting a container that is not stopped (created included) is an
        // error with no effect; --force kills it first.
        switch status {
        case .stopped:
            break
        case .created, .running, .paused, .creating:
            guard force else {
                throw StackError(.invalidArgument, "cannot delete container \(id) that is not stopped: \(status.rawValue)")
            }
        }
        let manager = try? container.cgroup()
        if status != .stopped {
            if status == .paused { try? manager?.thaw() }
            _ = Glibc.kill(container.record.pid, SIGKILL)
            if !ProcessProbe.waitUntilGone(container.record.pid, startTime: container.record.initStartTime) {
                throw StackError(.system, "container init \(container.record.pid) did not exit after SIGKILL")
            }
        }
        if let manager, manager.exists() {
            let leftovers = (try? manager.processes()) ?? []
            if !leftovers.isEmpty {
                if (try? manager.state()) == .frozen { try? manager.thaw() }
                for pid in leftovers { _ = Glibc.kill(pid, SIGKILL) }
                var attempts = 0
                while attempts < 200, !((try? manager.processes()) ?? []).isEmpty {
                    usleep(5000)
                    attempts += 1
                }
            }
            try manager.destroy()
            DefaultCgroupParent.removeIfUnused(containerPaths: manager.paths, cgroupPath: container.record.cgroupPath)
        }
        let hooks = container.spec.hooks?.poststop ?? []
        let state = hooks.isEmpty ? "" : try container.stateJSON(status: .stopped)  // only for the hooks
        store.remove(id)
        for warning in HookRunner.runIgnoringFailures(hooks, kind: "poststop", state: state) {
            log.warning(warning)
        }
    }

    public func pause(_ id: String) throws(StackError) {
        let container = try container(id)
        let status = container.status
        guard status == .running || status == .created else {
            throw StackError(.invalidArgument, "container not running or created: \(status.rawValue)")
        }
        try container.cgroup().freeze()
    }

    public func resume(_ id: String) throws(StackError) {
        let container = try container(id)
        guard container.status == .paused else { throw StackError(.invalidArgument, "container not paused") }
        try container.cgroup().thaw()
    }

    /// The pids in the container's cgroup.
    public func processes(_ id: String) throws(StackError) -> [Int32] {
        let container = try container(id)
        guard container.status != .stopped else { throw StackError(.invalidArgument, "container is not running") }
        return try container.cgroup().processes().sorted()
    }

    /// The `events --stats` object: `{"type":"stats","id":…,"data":{…}}`.
    public func statsJSON(_ id: String) throws(StackError) -> String {
        let container = try container(id)
        guard container.status != .stopped else { throw StackError(.invalidArgument, "container is not running") }
        let stats = try container.cgroup().stats()
        func number(_ value: UInt64?) -> JSONValue { .number(String(value ?? 0)) }
        let memory: JSONValue = .object([
            .init("usage", .object([
                .init("usage", number(stats.memory.usage)), .init("max", number(stats.memory.maxUsage)),
                .init("limit", number(stats.memory.limit)), .init("failcnt", number(stats.memory.failcnt)),
            ])),
            .init("swap", .object([.init("usage", number(stats.memory.swapUsage))])),
        ])
        let cpu: JSONValue = .object([
            .init("usage", .object([
                .init("total", number(stats.cpu.usageNanoseconds)), .init("user", number(stats.cpu.userNanoseconds)),
                .init("kernel", number(stats.cpu.systemNanoseconds)),
            ])),
            .init("throttling", .object([
                .init("periods", number(stats.cpu.periods)), .init("throttledPeriods", number(stats.cpu.throttledPeriods)),
                .init("throttledTime", number(stats.cpu.throttledNanoseconds)),
            ])),
        ])
        let pids: JSONValue = .object([.init("current", number(stats.pids.current)), .init("limit", number(stats.pids.limit))])
        return JSONWriter.write(.object([
            .init("type", .string("stats")), .init("id", .string(id)),
            .init("data", .object([.init("cpu", cpu), .init("memory", memory), .init("pids", pids)])),
        ]))
    }

    /// Every container of the state directory with its state (unreadable ones are skipped).
    public func list() -> [StateOutput] {
        store.ids().compactMap { id in (try? container(id))?.state }
    }
}
