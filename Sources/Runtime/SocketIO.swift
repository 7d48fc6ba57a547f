import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The sockets and FIFO `create` and `exec` hand to the init.
enum SocketIO {
    /// A close-on-exec unix socketpair.
    static func socketPair() throws(StackError) -> (Int32, Int32) {
        var fds: [Int32] = [-1, -1]
        _ = try rawSyscall("socketpair") { fds.withUnsafeMutableBufferPointer { cr_socketpair($0.baseAddress) } }
        return (fds[0], fds[1])
    }

    /// Connect to the unix socket at `path` (the console socket).
    static func connect(_ path: String) throws(StackError) -> Int32 {
        let fd = try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            close(fd)
            throw StackError(.invalidArgument, "console socket path is too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
        }
        if result != 0 {
            let error = Errno.current
            close(fd)
            throw StackError.system("connect to console socket \(path)", error)
        }
        return fd
    }

    /// Make the exec FIFO and open it O_PATH (for the init's fd 4).
    static func makeFIFO(_ path: String) throws(StackError) -> Int32 {
        let old = umask(0)
        defer { umask(old) }
        _ = try syscall("mkfifo \(path)") { mkfifo(path, 0o622) }
        return try syscall("open \(path)") { open(path, CR_O_PATH | O_CLOEXEC) }
    }
}
