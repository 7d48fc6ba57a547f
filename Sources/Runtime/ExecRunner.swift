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

/// `exec`: start another process in a running container. The runtime re-executes itself as
/// `init --exec` inside the container's namespaces and cgroup; that init applies the process's
/// user, capabilities, no_new_privs and the container's seccomp filter, then execs the process.
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
        terminalRelay: TerminalRelay? = nil, initProgram: String = "/proc/self/exe"
    ) throws(StackError) -> Int32 {
        let container = try Container(id: id, store: store)
        guard container.status == .running || container.status == .created else {
            throw StackError(.invalidArgument, "cannot exec in a stopped container")
        }
        try SpecValidator.validate(process: process)
        let pid = container.record.pid

        var request = SpawnRequest(path: initProgram, arguments: ["stack-runtime", "init", "--exec"], environment: [])
        // Every namespace but the mount namespace is joined before the init starts; the init joins
        // that one itself, after the dynamic loader found the runtime's libraries on the host.
        var mountNamespace: Int32? = nil
        defer { if let mountNamespace { close(mountNamespace) } }
        for entry in container.spec.linux?.namespaces ?? [] {
            guard let kind = LinuxOS.Namespace(ociType: entry.type) else { continue }
            let path = "/proc/\(pid)/ns/\(kind.procName)"
            if kind == .mount {
                mountNamespace = try syscall("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
            } else {
                request.joins.append(NamespaceJoin(kind, path: path))
            }
        }
        request.becomesRoot = container.spec.linux?.namespace(.user) != nil
        let (parentEnd, childEnd) = try SocketIO.socketPair()
        defer { close(parentEnd) }
        var childOpen = true
        defer { if childOpen { close(childEnd) } }
        request.fds = [FDMapping(from: childEnd, to: InitRunner.syncFD)]
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
        if let console { request.fds.append(FDMapping(from: console, to: InitRunner.consoleFD)) }
        if let mountNamespace { request.fds.append(FDMapping(from: mountNamespace, to: InitRunner.mountNamespaceFD)) }

        let spawned = try Spawner().spawn(request)
        close(childEnd)
        childOpen = false
        do {
            try container.cgroup().addProcess(pid: spawned.pid)
        } catch {
            spawned.abort()
            throw error
        }
        var config = SyncMessage(.config)
        config.process = try JSONValueEncoder().encodeString(process)
        if let seccomp = container.spec.linux?.seccomp {
            let program = try SeccompCache(root: store.root).program(for: seccomp, log: log)
            config.seccomp = Hex.encode(program.bytes)
            config.seccompFlags = program.flags.rawValue
        }
        let channel = LineChannel(fd: parentEnd)
        try channel.send(config)
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
