import CRuntime
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The real system calls. Stateless; safe to share. Failures name the call and errno.
public struct LinuxSyscalls: Syscalls {
    public init() {}

    public func mount(source: String?, target: String, fstype: String?, flags: MountFlags, data: String?)
        throws(StackError)
    {
        _ = try rawSyscall("mount \(target)") {
            withOptionalCString(source) { source in
                withOptionalCString(fstype) { fstype in
                    withOptionalCString(data) { data in
                        cr_sys_mount(source, target, fstype, flags.rawValue, data.map { UnsafeRawPointer($0) })
                    }
                }
            }
        }
    }

    public func umount2(_ target: String, flags: Int32) throws(StackError) {
        _ = try rawSyscall("umount2 \(target)") { cr_sys_umount2(target, flags) }
    }

    public func pivotRoot(newRoot: String, putOld: String) throws(StackError) {
        _ = try rawSyscall("pivot_root") { cr_sys_pivot_root(newRoot, putOld) }
    }

    public func chroot(_ path: String) throws(StackError) {
        _ = try syscall("chroot \(path)") { Glibc.chroot(path) }
    }

    public func chdir(_ path: String) throws(StackError) {
        _ = try syscall("chdir \(path)") { Glibc.chdir(path) }
    }

    public func mkdir(_ path: String, mode: UInt32) throws(StackError) {
        _ = try syscall("mkdir \(path)") { Glibc.mkdir(path, mode_t(mode)) }
    }

    public func mknod(_ path: String, mode: UInt32, device: UInt64) throws(StackError) {
        _ = try rawSyscall("mknod \(path)") { cr_sys_mknod(path, mode, device) }
    }

    public func symlink(target: String, at path: String) throws(StackError) {
        _ = try syscall("symlink \(path)") { Glibc.symlink(target, path) }
    }

    public func open(_ path: String, flags: Int32, mode: UInt32) throws(StackError) -> Int32 {
        try syscall("open \(path)") { Glibc.open(path, flags, mode_t(mode)) }
    }

    public func close(_ fd: Int32) throws(StackError) {
        // close() is not retried on EINTR: on Linux the fd is gone either way.
        if Glibc.close(fd) == -1 {
            let error = Errno.current
            if error != .EINTR { throw StackError.system("close", error) }
        }
    }

    public func sethostname(_ name: String) throws(StackError) {
        _ = try rawSyscall("sethostname") { cr_sys_sethostname(name, name.utf8.count) }
    }

    public func setdomainname(_ name: String) throws(StackError) {
        _ = try rawSyscall("setdomainname") { cr_sys_setdomainname(name, name.utf8.count) }
    }

    public func setrlimit(_ resource: Rlimit, soft: UInt64, hard: UInt64) throws(StackError) {
        _ = try rawSyscall("setrlimit \(resource.name)") { cr_sys_prlimit(0, resource.number, soft, hard) }
    }

    public func prctl(_ option: Prctl) throws(StackError) {
        let (code, arg2, arg3) = option.arguments
        if case .setName(let name) = option {
            _ = try rawSyscall("prctl") {
                name.withCString { cr_sys_prctl(code, UInt(bitPattern: $0), 0, 0, 0) }
            }
            return
        }
        _ = try rawSyscall(option.description) { cr_sys_prctl(code, arg2, arg3, 0, 0) }
    }

    public func setresuid(_ real: UInt32, _ effective: UInt32, _ saved: UInt32) throws(StackError) {
        _ = try rawSyscall("setresuid") { cr_setresuid(real, effective, saved) }
    }

    public func setresgid(_ real: UInt32, _ effective: UInt32, _ saved: UInt32) throws(StackError) {
        _ = try rawSyscall("setresgid") { cr_setresgid(real, effective, saved) }
    }

    public func setgroups(_ groups: [UInt32]) throws(StackError) {
        _ = try rawSyscall("setgroups") {
            groups.withUnsafeBufferPointer { cr_setgroups($0.count, $0.baseAddress) }
        }
    }

    public func umask(_ mask: UInt32) -> UInt32 {
        UInt32(Glibc.umask(mode_t(mask)))
    }

    public func writeFile(_ path: String, contents: String) throws(StackError) {
        let fd = try open(path, flags: O_WRONLY | O_CLOEXEC, mode: 0)
        defer { Glibc.close(fd) }
        var bytes = Array(contents.utf8)
        let count = bytes.count
        let written = try syscall("write \(path)") {
            bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress, count) }
        }
        if written != count { throw StackError.system("write \(path) (short write)", .EIO) }
    }

    public func setns(fd: Int32, namespace: Namespace?) throws(StackError) {
        _ = try rawSyscall("setns(\(namespace?.procName ?? "any"))") {
            cr_sys_setns(fd, namespace?.cloneFlag ?? 0)
        }
    }

    public func unshare(_ namespaces: Set<Namespace>) throws(StackError) {
        _ = try rawSyscall("unshare(\(Namespace.render(namespaces)))") {
            cr_sys_unshare(Namespace.cloneFlags(namespaces))
        }
    }

    public func kill(pid: Int32, signal: Int32) throws(StackError) {
        _ = try syscall("kill \(pid)") { Glibc.kill(pid, signal) }
    }

    public func waitpid(_ pid: Int32, options: Int32) throws(StackError) -> WaitResult? {
        var status: Int32 = 0
        let reaped = try syscall("waitpid \(pid)") { Glibc.waitpid(pid, &status, options) }
        if reaped == 0 { return nil }
        return WaitResult(pid: reaped, status: WaitStatus(raw: status))
    }
}

/// Call `body` with a C string, or NULL for nil.
func withOptionalCString<R>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> R) -> R {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}
