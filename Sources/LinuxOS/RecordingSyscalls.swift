import StackCore
import Synchronization

/// A `Syscalls` that performs nothing and writes every call down as a C-like string
/// (`mount("proc","/proc","proc",MS_NOSUID|MS_NODEV|MS_NOEXEC,"")`), for tests of setup order.
///
/// Failures are configurable: a call whose rendering starts with a given prefix throws the
/// given errno (the attempt is still recorded). `open` returns fds counting up from 3; `waitpid`
/// returns what `exitStatuses` says (default: exited 0).
public final class RecordingSyscalls: Syscalls {
    private struct Failure {
        var prefix: String
        var errno: Errno
        var remaining: Int?
    }

    private struct State {
        var calls: [String] = []
        var failures: [Failure] = []
        var nextFD: Int32 = 3
        var umask: UInt32 = 0o022
        var waitResults: [Int32: WaitStatus] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// The calls so far, in order.
    public var calls: [String] { state.withLock { $0.calls } }

    /// Forget the calls recorded so far (failures stay).
    public func clearCalls() { state.withLock { $0.calls.removeAll() } }

    /// Make calls whose rendering starts with `prefix` fail with `errno`; `times` nil means always.
    public func fail(_ prefix: String, with errno: Errno, times: Int? = nil) {
        state.withLock { $0.failures.append(Failure(prefix: prefix, errno: errno, remaining: times)) }
    }

    /// What `waitpid(pid, …)` reports.
    public func setExitStatus(_ status: WaitStatus, for pid: Int32) {
        state.withLock { $0.waitResults[pid] = status }
    }

    /// Record `call`; throw `StackError(.system, name, cause: errno)` if a failure matches.
    private func record(_ name: String, _ call: String) throws(StackError) {
        let failure: Errno? = state.withLock { state in
            state.calls.append(call)
            guard let index = state.failures.firstIndex(where: { call.hasPrefix($0.prefix) }) else { return nil }
            let errno = state.failures[index].errno
            if let remaining = state.failures[index].remaining {
                if remaining <= 1 { state.failures.remove(at: index) } else { state.failures[index].remaining = remaining - 1 }
            }
            return errno
        }
        if let failure { throw StackError.system(name, failure) }
    }

    private typealias R = SyscallRendering

    public func mount(source: String?, target: String, fstype: String?, flags: MountFlags, data: String?)
        throws(StackError)
    {
        try record(
            "mount \(target)",
            "mount(\(R.quote(source)),\(R.quote(target)),\(R.quote(fstype)),\(flags),\(R.quote(data)))")
    }

    public func umount2(_ target: String, flags: Int32) throws(StackError) {
        try record("umount2 \(target)", "umount2(\(R.quote(target)),\(R.umountFlags(flags)))")
    }

    public func pivotRoot(newRoot: String, putOld: String) throws(StackError) {
        try record("pivot_root", "pivot_root(\(R.quote(newRoot)),\(R.quote(putOld)))")
    }

    public func chroot(_ path: String) throws(StackError) {
        try record("chroot \(path)", "chroot(\(R.quote(path)))")
    }

    public func chdir(_ path: String) throws(StackError) {
        try record("chdir \(path)", "chdir(\(R.quote(path)))")
    }

    public func mkdir(_ path: String, mode: UInt32) throws(StackError) {
        try record("mkdir \(path)", "mkdir(\(R.quote(path)),\(R.octal(mode)))")
    }

    public func mknod(_ path: String, mode: UInt32, device: UInt64) throws(StackError) {
        let (major, minor) = Device.split(device)
        try record("mknod \(path)", "mknod(\(R.quote(path)),\(R.nodeMode(mode)),\(major):\(minor))")
    }

    public func symlink(target: String, at path: String) throws(StackError) {
        try record("symlink \(path)", "symlink(\(R.quote(target)),\(R.quote(path)))")
    }

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(StackError) -> Int32 {
        try record("open \(path)", "open(\(R.quote(path)),\(R.openFlags(flags)),\(R.octal(mode)))")
        return state.withLock { state in
            defer { state.nextFD += 1 }
            return state.nextFD
        }
    }

    public func close(_ fd: Int32) throws(StackError) {
        try record("close", "close(\(fd))")
    }

    public func sethostname(_ name: String) throws(StackError) {
        try record("sethostname", "sethostname(\(R.quote(name)))")
    }

    public func setdomainname(_ name: String) throws(StackError) {
        try record("setdomainname", "setdomainname(\(R.quote(name)))")
    }

    public func setrlimit(_ resource: Rlimit, soft: UInt64, hard: UInt64) throws(StackError) {
        try record("setrlimit \(resource.name)", "setrlimit(\(resource.name),\(soft),\(hard))")
    }

    public func prctl(_ option: Prctl) throws(StackError) {
        try record(option.description, option.description)
    }

    public func setresuid(_ real: UInt32, _ effective: UInt32, _ saved: UInt32) throws(StackError) {
        try record("setresuid", "setresuid(\(real),\(effective),\(saved))")
    }

    public func setresgid(_ real: UInt32, _ effective: UInt32, _ saved: UInt32) throws(StackError) {
        try record("setresgid", "setresgid(\(real),\(effective),\(saved))")
    }

    public func setgroups(_ groups: [UInt32]) throws(StackError) {
        try record("setgroups", "setgroups([\(groups.map(String.init).joined(separator: ","))])")
    }

    public func umask(_ mask: UInt32) -> UInt32 {
        state.withLock { state in
            state.calls.append("umask(\(R.octal(mask)))")
            defer { state.umask = mask }
            return state.umask
        }
    }

    public func writeFile(_ path: String, contents: String) throws(StackError) {
        try record("write \(path)", "write(\(R.quote(path)),\(R.quote(contents)))")
    }

    public func setns(fd: Int32, namespace: Namespace?) throws(StackError) {
        try record(
            "setns(\(namespace?.procName ?? "any"))", "setns(\(fd),\(namespace?.cloneFlagName ?? "0"))")
    }

    public func unshare(_ namespaces: Set<Namespace>) throws(StackError) {
        let flags = Namespace.render(namespaces)
        try record("unshare(\(flags))", "unshare(\(flags))")
    }

    public func kill(pid: Int32, signal: Int32) throws(StackError) {
        try record("kill \(pid)", "kill(\(pid),\(signal))")
    }

    public func waitpid(_ pid: Int32, options: Int32) throws(StackError) -> WaitResult? {
        try record("waitpid \(pid)", "waitpid(\(pid),\(options))")
        let status = state.withLock { $0.waitResults[pid] } ?? .exited(0)
        return WaitResult(pid: pid, status: status)
    }
}
