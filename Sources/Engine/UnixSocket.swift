import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Unix stream sockets: connecting to a monitor's attach socket, and a one-shot console socket
/// that receives a pty master from `stack-runtime exec --tty`.
enum UnixSocket {
    private static func address(_ path: String) throws(StackError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            throw StackError(.invalidArgument, "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        return address
    }

    /// A connected stream socket (close-on-exec). A path longer than sun_path allows (a deep
    /// STACK_ROOT) is reached through `/proc/self/fd/N/NAME` with N an fd of its directory.
    static func connect(_ path: String) throws(StackError) -> Int32 {
        if path.utf8.count >= 100, let slash = path.lastIndex(of: "/") {
            let directory = String(path[..<slash])
            let name = String(path[path.index(after: slash)...])
            let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard directoryFD >= 0 else { throw StackError.system("open \(directory)", Errno.current) }
            defer { close(directoryFD) }
            return try connectShort("/proc/self/fd/\(directoryFD)/\(name)", naming: path)
        }
        return try connectShort(path, naming: path)
    }

    private static func connectShort(_ path: String, naming shown: String) throws(StackError) -> Int32 {
        var address = try address(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StackError.system("socket", Errno.current) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let error = Errno.current
            close(fd)
            throw StackError.system("connect \(shown)", error)
        }
        return fd
    }

    /// A listening socket at `path`.
    static func listen(_ path: String) throws(StackError) -> Int32 {
        var address = try address(path)
        unlink(path)
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw StackError.system("socket", Errno.current) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0, Glibc.listen(fd, 4) == 0 else {
            let error = Errno.current
            close(fd)
            throw StackError.system("bind \(path)", error)
        }
        return fd
    }

    /// Accept one connection on `listener` within `timeout` milliseconds and take the fd it
    /// passes (SCM_RIGHTS).
    static func receiveFD(_ listener: Int32, timeout: Int32) throws(StackError) -> Int32 {
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeout) == 1 else { throw StackError(.system, "no terminal arrived on the console socket") }
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { throw StackError.system("accept", Errno.current) }
        _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
        defer { close(connection) }
        var buffer = [CChar](repeating: 0, count: 4096)
        var received = 0
        let result = buffer.withUnsafeMutableBufferPointer { cr_recv_fd(connection, $0.baseAddress, $0.count, &received) }
        guard result >= 0 else { throw StackError.system("recvmsg", Errno(Int32(-result))) }
        return Int32(result)
    }
}
