import CRuntime
import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The container's init (`stack-runtime init`): a fresh, single-threaded process started by
/// `create` with the sync socket at fd 3, the exec FIFO (O_PATH) at fd 4 and the console socket at
/// fd 5. It sets the container up, reports `created`, waits for `start` on the FIFO, then becomes
/// the container's process.
public enum InitRunner {
    public static let syncFD: Int32 = 3
    public static let fifoFD: Int32 = 4
    public static let consoleFD: Int32 = 5
    /// For `exec`: the container's mount namespace, joined by the init itself.
    public static let mountNamespaceFD: Int32 = 6

    /// Run the init for the bundle; never returns.
    public static func run(bundle: String, noPivotRoot: Bool) -> Never {
        let channel = LineChannel(fd: syncFD)
        var reportedCreated = false
        do throws(StackError) {
            try setUpAndExec(bundle: bundle, noPivotRoot: noPivotRoot, channel: channel, created: &reportedCreated)
        } catch {
            fail(error, channel: reportedCreated ? nil : channel)
        }
    }

    /// Run an `exec` process inside a running container (the namespaces are already joined): apply
    /// the process's identity, capabilities and seccomp, then execve it.
    public static func runExec() -> Never {
        let channel = LineChannel(fd: syncFD)
        do throws(StackError) {
            guard let config = try channel.receive(), config.type == .config, let processJSON = config.process else {
                throw StackError(.internalError, "init: no exec config on the sync socket")
            }
            let process = try SpecLoader.decodeProcess(data: Array(processJSON.utf8))
            let syscalls = LinuxSyscalls()
            if fcntl(mountNamespaceFD, F_GETFD) >= 0 {
                try syscalls.setns(fd: mountNamespaceFD, namespace: .mount)
                close(mountNamespaceFD)
            }
            var spec = Spec()
            spec.process = process
            let setup = ProcessSetup(syscalls: syscalls, privileges: LinuxPrivileges(), spec: spec)
            try setup.applyRlimits(process)
            if process.terminal == true {
                try Terminal.setUp(consoleSocket: consoleFD, size: process.consoleSize, syscalls: syscalls)
                close(consoleFD)
            }
            let path = try ExecutableLookup.resolve(
                process.args?.first ?? "", environment: process.env ?? [], probe: LinuxPathProbe())
            try channel.send(SyncMessage(.created))
            try setup.finalize(process, seccomp: try program(config))
            try execute(path: path, process: process)
        } catch {
            fail(error, channel: channel)
        }
    }

    private static func setUpAndExec(bundle: String, noPivotRoot: Bool, channel: LineChannel, created: inout Bool)
        throws(StackError) -> Never
    {
        // config.json first: the runtime is still preparing the config message meanwhile.
        let spec = try SpecLoader.load(bundle: bundle, readFile: FileIO.read)
        guard let config = try channel.receive(), config.type == .config else {
            throw StackError(.internalError, "init: no config on the sync socket")
        }
        guard let process = spec.process else { throw StackError(.invalidArgument, "config.json: process is required") }
        let context = InitContext.make(
            spec: spec, bundle: bundle, cgroupVersion: config.cgroupVersion ?? "v2",
            cgroupMounts: config.cgroupMounts ?? [])
        let syscalls = LinuxSyscalls()
        let probe = LinuxPathProbe()
        let state = config.state ?? "{}"

        // The parent put us in the container's cgroup before release; a cgroup namespace made now
        // has that cgroup as its root.
        if context.cgroupNamespace { try syscalls.unshare([.cgroup]) }
        let rootfs = RootfsSetup(syscalls: syscalls, probe: probe, context: context)
        try rootfs.prepare()
        let hooks = spec.hooks
        if !(hooks?.prestart ?? []).isEmpty || !(hooks?.createRuntime ?? []).isEmpty {
            try channel.send(SyncMessage(.hooks))
            guard let reply = try channel.receive() else {
                throw StackError(.system, "init: the runtime went away while running hooks")
            }
            if reply.type == .error { throw StackError(.system, reply.message ?? "hooks failed") }
        }
        try HookRunner.run(hooks?.createContainer ?? [], kind: "createContainer", state: state)
        // The FIFO is reopened through this directory later: without a mount namespace nothing is
        // mounted on the rootfs's /proc, and inside one it may be another pid namespace's proc.
        let fdDirectory = try openAboveFixedFDs("/proc/self/fd", flags: CR_O_PATH | O_DIRECTORY | O_CLOEXEC)
        try rootfs.enter(noPivotRoot: noPivotRoot)
        // A working directory the image lacks is made (as root, inside the new root, before it may
        // turn read-only), as runc does; chdir reports it if that fails.
        try? rootfs.makeDirectories(process.cwd)
        let processSetup = ProcessSetup(syscalls: syscalls, privileges: LinuxPrivileges(), spec: spec)
        try processSetup.configureSystem()
        try rootfs.protectPaths()
        try rootfs.applyRootPropagation()
        try processSetup.applyRlimits(process)
        if process.terminal == true {
            try Terminal.setUp(consoleSocket: consoleFD, size: process.consoleSize, syscalls: syscalls)
        }
        close(consoleFD)
        let path = try ExecutableLookup.resolve(process.args?.first ?? "", environment: process.env ?? [], probe: probe)
        let seccomp = try program(config)

        try channel.send(SyncMessage(.created))
        created = true
        close(syncFD)
        try waitForStart(fdDirectory: fdDirectory)
        try HookRunner.run(hooks?.startContainer ?? [], kind: "startContainer", state: state)
        try processSetup.finalize(process, seccomp: seccomp)
        try execute(path: path, process: process)
    }

    private static func program(_ config: SyncMessage) throws(StackError) -> BPFProgram? {
        guard let hex = config.seccomp else { return nil }
        guard let bytes = Hex.decode(hex) else { throw StackError(.internalError, "init: bad seccomp program") }
        return BPFProgram(bytes: bytes, flags: SeccompFilterFlags(rawValue: config.seccompFlags ?? 0))
    }

    /// Open `path` at an fd above the fixed ones (3–6), which may be free now and closed later.
    private static func openAboveFixedFDs(_ path: String, flags: Int32) throws(StackError) -> Int32 {
        let fd = try syscall("open \(path)") { open(path, flags) }
        defer { close(fd) }
        return try syscall("fcntl(F_DUPFD_CLOEXEC)") { fcntl(fd, F_DUPFD_CLOEXEC, mountNamespaceFD + 1) }
    }

    /// Block until `start` opens the FIFO for reading, then write one byte. The write end stays
    /// open (close-on-exec): `start` waits for it to close, i.e. for the process's execve (or the
    /// init's exit). `fdDirectory` is this process's `/proc/self/fd`, opened before the rootfs was
    /// entered.
    private static func waitForStart(fdDirectory: Int32) throws(StackError) {
        let fd = try syscall("open exec fifo") { openat(fdDirectory, String(fifoFD), O_WRONLY | O_CLOEXEC) }
        close(fdDirectory)
        var byte: UInt8 = 48
        _ = try syscall("write exec fifo") { write(fd, &byte, 1) }
        close(fifoFD)
    }

    /// execve the process; HOME defaults to `/` as in runc when the environment has none.
    static func execute(path: String, process: Spec.Process) throws(StackError) -> Never {
        var environment = process.env ?? []
        if !environment.contains(where: { $0.hasPrefix("HOME=") }) { environment.append("HOME=/") }
        let argv = (process.args ?? []).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        let error = Errno(execve(path, argv, envp) == -1 ? cr_errno() : 0)
        throw StackError.system("exec \(path)", error)
    }

    private static func fail(_ error: StackError, channel: LineChannel?) -> Never {
        let text = error.description
        if let channel, let line = try? SyncMessage(.error, message: text).line() {
            try? channel.writeAll(Array(line.utf8))
        } else {
            let bytes = Array(("stack-runtime init: " + text + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        }
        // A shell's statuses: 126 for a program that cannot be executed, 127 for anything else
        // (not found, or a setup step that failed).
        let notExecutable: Set<Errno> = [.EACCES, .EPERM, .EISDIR, Errno(ENOEXEC)]
        if error.message.hasPrefix("exec "), let errno = error.errno, notExecutable.contains(errno) { _exit(126) }
        _exit(127)
    }
}

private func cr_errno() -> Int32 { Errno.current.rawValue }
