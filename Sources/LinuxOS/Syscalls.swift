import StackCore

/// The system calls container setup makes, behind a protocol so setup code can run against
/// `RecordingSyscalls` in unprivileged tests and `LinuxSyscalls` for real.
///
/// Every failure is `StackError(.system, "<call>", cause: Errno)`.
public protocol Syscalls: Sendable {
    func mount(source: String?, target: String, fstype: String?, flags: MountFlags, data: String?)
        throws(StackError)
    func umount2(_ target: String, flags: Int32) throws(StackError)
    func pivotRoot(newRoot: String, putOld: String) throws(StackError)
    func chroot(_ path: String) throws(StackError)
    func chdir(_ path: String) throws(StackError)
    func mkdir(_ path: String, mode: UInt32) throws(StackError)
    /// `mknod`; `device` as made by `makedev(major, minor)` (see `Device.number`).
    func mknod(_ path: String, mode: UInt32, device: UInt64) throws(StackError)
    func symlink(target: String, at path: String) throws(StackError)
    func open(_ path: String, flags: Int32, mode: UInt32) throws(StackError) -> Int32
    func close(_ fd: Int32) throws(StackError)
    func sethostname(_ name: String) throws(StackError)
    func setdomainname(_ name: String) throws(StackError)
    /// `prlimit(0, resource, {soft, hard})`; `resource` is an `Rlimit` value.
    func setrlimit(_ resource: Rlimit, soft: UInt64, hard: UInt64) throws(StackError)
    func prctl(_ option: Prctl) throws(StackError)
    func setresuid(_ real: UInt32, _ effective: UInt32, _ saved: UInt32) throws(StackError)
    func setresgid(_ real: UInt32, _ effective: UInt32, _ saved: UInt32) throws(StackError)
    func setgroups(_ groups: [UInt32]) throws(StackError)
    /// Set the umask; returns the previous one.
    func umask(_ mask: UInt32) -> UInt32
    /// Write `contents` with a single `write(2)` to an existing file (procfs, sysfs, cgroupfs):
    /// opened `O_WRONLY`, never created or truncated.
    func writeFile(_ path: String, contents: String) throws(StackError)
    /// Join the namespace open at `fd`; `namespace` nil accepts any kind.
    func setns(fd: Int32, namespace: Namespace?) throws(StackError)
    func unshare(_ namespaces: Set<Namespace>) throws(StackError)
    func kill(pid: Int32, signal: Int32) throws(StackError)
    /// `waitpid`; nil when `WNOHANG` found nothing.
    func waitpid(_ pid: Int32, options: Int32) throws(StackError) -> WaitResult?
}

/// The `prctl(2)` operations container init uses.
public enum Prctl: Sendable, Hashable, CustomStringConvertible {
    case setNoNewPrivileges
    case setKeepCapabilities(Bool)
    case setDumpable(Bool)
    case setParentDeathSignal(Int32)
    case setChildSubreaper(Bool)
    case dropBoundingCapability(Int32)
    case clearAmbientCapabilities
    case raiseAmbientCapability(Int32)
    case setName(String)

    /// `(option, arg2, arg3)` for the call.
    public var arguments: (option: Int32, arg2: UInt, arg3: UInt) {
        switch self {
        case .setNoNewPrivileges: return (38, 1, 0)
        case .setKeepCapabilities(let on): return (8, on ? 1 : 0, 0)
        case .setDumpable(let on): return (4, on ? 1 : 0, 0)
        case .setParentDeathSignal(let signal): return (1, UInt(bitPattern: Int(signal)), 0)
        case .setChildSubreaper(let on): return (36, on ? 1 : 0, 0)
        case .dropBoundingCapability(let cap): return (24, UInt(bitPattern: Int(cap)), 0)
        case .clearAmbientCapabilities: return (47, 4, 0)
        case .raiseAmbientCapability(let cap): return (47, 2, UInt(bitPattern: Int(cap)))
        case .setName: return (15, 0, 0)
        }
    }

    public var description: String {
        switch self {
        case .setNoNewPrivileges: return "prctl(PR_SET_NO_NEW_PRIVS,1)"
        case .setKeepCapabilities(let on): return "prctl(PR_SET_KEEPCAPS,\(on ? 1 : 0))"
        case .setDumpable(let on): return "prctl(PR_SET_DUMPABLE,\(on ? 1 : 0))"
        case .setParentDeathSignal(let signal): return "prctl(PR_SET_PDEATHSIG,\(signal))"
        case .setChildSubreaper(let on): return "prctl(PR_SET_CHILD_SUBREAPER,\(on ? 1 : 0))"
        case .dropBoundingCapability(let cap): return "prctl(PR_CAPBSET_DROP,\(cap))"
        case .clearAmbientCapabilities: return "prctl(PR_CAP_AMBIENT,PR_CAP_AMBIENT_CLEAR_ALL)"
        case .raiseAmbientCapability(let cap): return "prctl(PR_CAP_AMBIENT,PR_CAP_AMBIENT_RAISE,\(cap))"
        case .setName(let name): return "prctl(PR_SET_NAME,\"\(name)\")"
        }
    }
}

/// How a waited-for process changed state.
public enum WaitStatus: Sendable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    case stopped(Int32)
    case other(Int32)

    /// Decode a raw `waitpid` status word.
    public init(raw: Int32) {
        if CWait.exited(raw) {
            self = .exited(CWait.exitStatus(raw))
        } else if CWait.signaled(raw) {
            self = .signaled(CWait.termSignal(raw))
        } else if CWait.stopped(raw) {
            self = .stopped(CWait.stopSignal(raw))
        } else {
            self = .other(raw)
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exited(\(code))"
        case .signaled(let signal): return "signaled(\(signal))"
        case .stopped(let signal): return "stopped(\(signal))"
        case .other(let raw): return "status(\(raw))"
        }
    }
}

/// A reaped (or stopped) child and its status.
public struct WaitResult: Sendable, Hashable {
    public var pid: Int32
    public var status: WaitStatus

    public init(pid: Int32, status: WaitStatus) {
        self.pid = pid
        self.status = status
    }
}
