import CRuntime
import LinuxOS
import Netlink
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Network namespaces kept alive by a bind mount on a file (what `ip netns add` does, without
/// running it): a container's namespace exists before its process and outlives its restarts.
///
/// Every namespace switch happens on a dedicated thread that ends afterwards (see
/// `DedicatedThread`), so the calling thread always stays in stackd's own namespace.
public struct NetworkNamespace {
    /// Where the calling thread's network namespace is visible.
    static let ownNamespace = "/proc/thread-self/ns/net"

    /// Creates a new network namespace bound on `path` (an empty file is made for it), with `lo`
    /// up inside. A namespace already bound there is a `.conflict`; on failure nothing is left.
    public static func create(at path: String) throws(StackError) {
        try DedicatedThread.run { () throws(StackError) in
            if isNamespaceFile(path) {
                throw StackError(.conflict, "network namespace \(path) already exists")
            }
            let fd = try syscall("create \(path)") { open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o444) }
            close(fd)
            do throws(StackError) {
                _ = try rawSyscall("unshare(CLONE_NEWNET)") { cr_sys_unshare(CR_CLONE_NEWNET) }
                _ = try rawSyscall("bind mount \(ownNamespace) on \(path)") {
                    cr_sys_mount(ownNamespace, path, nil, UInt(MS_BIND), nil)
                }
            } catch {
                unlink(path)
                throw error
            }
            do throws(StackError) {
                // The socket belongs to the namespace of the thread that opens it: the new one.
                try NetlinkSession().linkSetUp("lo")
            } catch {
                remove(at: path)
                throw error
            }
        }
    }

    /// Unmounts (lazily, so open fds keep the namespace as long as they need) and unlinks `path`.
    /// Quiet when it is not mounted or does not exist.
    public static func remove(at path: String) {
        // A file mounted over more than once (never by us) is unstacked too, up to a bound.
        for _ in 0..<8 where cr_sys_umount2(path, Int32(MNT_DETACH)) == 0 {}
        unlink(path)
    }

    /// A netlink session whose socket lives in the namespace bound at `path`. The socket is
    /// opened on a thread that joined the namespace; it stays there and may then be used from any
    /// thread (one at a time).
    public static func session(at path: String) throws(StackError) -> NetlinkSession {
        try perform(in: path) { () throws(StackError) in try NetlinkSession() }
    }

    /// Runs `body` on a dedicated thread that joined the namespace bound at `path`, and waits
    /// for it. Sockets opened and processes spawned by `body` belong to that namespace; files
    /// under /proc/sys/net opened there are that namespace's.
    public static func perform<T>(in path: String, _ body: () throws(StackError) -> T) throws(StackError) -> T {
        try DedicatedThread.run { () throws(StackError) -> T in
            let fd = try syscall("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
            defer { close(fd) }
            _ = try rawSyscall("setns \(path)") { cr_sys_setns(fd, CR_CLONE_NEWNET) }
            return try body()
        }
    }

    /// Whether `path` is a namespace file (nsfs), i.e. a namespace is bound there.
    public static func isNamespaceFile(_ path: String) -> Bool {
        var target = stat()
        var own = stat()
        guard stat(path, &target) == 0, stat(ownNamespace, &own) == 0 else { return false }
        return target.st_dev == own.st_dev
    }
}
