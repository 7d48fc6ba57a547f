import Cgroups
import ContainerInit
import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `exec`: start another process in a running container. The child is cloned into the container's
/// namespaces and cgroup and runs an init plan (in C) that applies the process's rlimits,
/// terminal, user, capabilities, no_new_privs and the container's seccomp filter, then execs it.
public struct ExecRunner {
    public let store: StateDirectory
    public let log: RuntimeLog

    public init(store: StateDirectory, log: RuntimeLog) {
        self.store = store
        self.log = log
    }

    /// The process `exec ARGS` runs: the container's process with other args, env added, cwd and tty.
    public static func process(
        base: Spec.Process?, args: [String], env: [String], cwd: String?, tty: Bool
    ) -> Spec.Process {
        var process = base ?? Spec.Process()
        process.args = args
        process.env = (process.env ?? []) + env
        if let cwd { process.cwd = cwd }
        process.terminal = tty
        process.consoleSize = nil
        return process
    }

    /// Start `process` in container `id`; returns its pid (our child).
    public func exec(
        id: String, process: Spec.Process, consoleSocket: String?, pidFile: String?,
        terminalRelay: TerminalRelay? = nil
    ) throws(StackError) -> Int32 {
        let container = try Container(id: id, store: store)
        guard container.status == .running || container.status == .created else {
            throw StackError(.invalidArgument, "cannot exec in a stopped container")
        }
        try SpecValidator.validate(process: process)
        let pid = container.record.pid

        var builder = InitPlanBuilder(context: InitContext(spec: container.spec, bundle: container.record.bundle))
        if let seccomp = container.spec.linux?.seccomp {
            builder.seccomp = try SeccompCache(root: store.root).program(for: seccomp, log: log)
        }
        builder.lastCapability = try Capabilities().lastCapability()
        var request = SpawnRequest(initPlan: try builder.execPlan(process).encoded())
        // Every namespace of the container, its mount namespace included: no program is loaded
        // from the host after the clone.
        for entry in container.spec.linux?.namespaces ?? [] {
            guard let kind = LinuxOS.Namespace(ociType: entry.type) else { continue }
            request.joins.append(NamespaceJoin(kind, path: "/proc/\(pid)/ns/\(kind.procName)"))
        }
        request.becomesRoot = container.spec.linux?.namespace(.user) != nil
        let (parentEnd, childEnd) = try SocketIO.socketPair()
        defer { close(parentEnd) }
        var childOpen = true
        defer { if childOpen { close(childEnd) } }
        request.fds = [FDMapping(from: childEnd, to: InitStep.syncFD)]
        var console: Int32? = nil
        if process.terminal == true {
            if let consoleSocket {
                console = try SocketIO.connect(consoleSocket)
            } else if let terminalRelay {
                console = try syscall("dup the terminal relay socket") { fcntl(terminalRelay.sendingEnd, F_DUPFD_CLOEXEC, 3) }
            } else {
                throw StackError(.invalidArgument, TerminalRelay.noConsoleSocket)
            }
        }
        defer { if let console { close(console) } }
        if let console { request.fds.append(FDMapping(from: console, to: InitStep.consoleFD)) }

        let spawned = try Spawner().spawn(request)
        close(childEnd)
        childOpen = false
        do {
            try container.cgroup().addProcess(pid: spawned.pid)
        } catch {
            spawned.abort()
            throw error
        }
        let channel = LineChannel(fd: parentEnd)
        try spawned.release()
        let reply = try channel.receive()
        guard reply?.type == .created else {
            var status: Int32 = 0
            _ = waitpid(spawned.pid, &status, 0)
            throw StackError(.system, reply?.message ?? "exec: the process exited during setup")
        }
        if let pidFile { try FileIO.write(try ContainerCreator.absolute(pidFile), String(spawned.pid)) }
        return spawned.pid
    }
}

/// Waiting for a child and turning its status into an exit code (128+n for signal n, as shells do).
public enum ChildWait {
    public static func exitCode(of pid: Int32) -> Int32 {
        while true {
            var status: Int32 = 0
            let result = waitpid(pid, &status, 0)
            if result == pid {
                switch WaitStatus(raw: status) {
                case .exited(let code): return code
                case .signaled(let signal): return 128 + signal
                default: continue
                }
            }
            if result < 0 && Errno.current != .EINTR { return 255 }
        }
    }
}
