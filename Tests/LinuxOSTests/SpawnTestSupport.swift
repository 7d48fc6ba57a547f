import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Helpers for the privileged spawn tests.
enum SpawnSupport {
    static var isRoot: Bool { getuid() == 0 }

    static var userNamespacesAllowed: Bool {
        guard isRoot, let text = readText("/proc/sys/user/max_user_namespaces"),
            let value = Int(text.filter { !$0.isWhitespace })
        else { return false }
        return value > 0
    }

    /// The cgroup2 mount: /sys/fs/cgroup (unified) or /sys/fs/cgroup/unified (hybrid).
    static var cgroup2Root: String? {
        if access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0 { return "/sys/fs/cgroup" }
        if access("/sys/fs/cgroup/unified/cgroup.procs", F_OK) == 0 { return "/sys/fs/cgroup/unified" }
        return nil
    }

    static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readAll(fd)
    }

    /// A close-on-exec pipe.
    static func pipe() throws -> (read: Int32, write: Int32) {
        var fds: [Int32] = [-1, -1]
        let result = fds.withUnsafeMutableBufferPointer { cr_sys_pipe2($0.baseAddress, O_CLOEXEC) }
        guard result == 0 else { throw StackError.system("pipe2", Errno(Int32(-result))) }
        return (fds[0], fds[1])
    }

    static func readAll(_ fd: Int32) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            bytes += buffer.prefix(count)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func readLink(_ path: String) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBufferPointer { buffer -> Int in
            guard let base = buffer.baseAddress else { return -1 }
            return readlink(path, base, buffer.count - 1)
        }
        guard count > 0 else { return "" }
        return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Wait for pid; nil if it was already reaped.
    static func reap(_ pid: Int32) -> WaitStatus? {
        var status: Int32 = 0
        while true {
            if waitpid(pid, &status, 0) == pid { return WaitStatus(raw: status) }
            if errno != EINTR { return nil }
        }
    }

    /// True when pid no longer exists, not even as a zombie.
    static func isGone(_ pid: Int32) -> Bool {
        kill(pid, 0) == -1 && errno == ESRCH
    }

    /// Run a spawn with stdout captured: release, read to EOF, reap.
    static func run(_ request: SpawnRequest, between: (SpawnedProcess) throws -> Void = { _ in })
        throws -> (output: String, status: WaitStatus?, pid: Int32)
    {
        let out = try pipe()
        defer { close(out.read) }
        var request = request
        request.fds.append(FDMapping(from: out.write, to: 1))
        let process: SpawnedProcess
        do {
            process = try Spawner().spawn(request)
        } catch {
            close(out.write)
            throw error
        }
        close(out.write)
        do {
            try between(process)
        } catch {
            process.abort()
            throw error
        }
        try process.release()
        let output = readAll(out.read)
        return (output, reap(process.pid), process.pid)
    }

    static let environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"]
}
