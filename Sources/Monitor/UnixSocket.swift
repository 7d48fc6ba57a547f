import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Connecting to the monitor's unix sockets. Paths too long for `sockaddr_un` (108 bytes; container
/// directories under a deep STACK_ROOT get there) are reached through `/proc/self/fd/N/name` of
/// their directory.
enum UnixSocket {
    static func connect(_ path: String) throws(StackError) -> Int32 {
        let fd = try syscall("socket") { socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        var directoryFD: Int32 = -1
        defer { if directoryFD >= 0 { close(directoryFD) } }
        var target = path
        if path.utf8.count >= 108, let slash = path.lastIndex(of: "/") {
            let directory = String(path[..<slash])
            directoryFD = try syscall("open \(directory)") { open(directory, CR_O_PATH | O_CLOEXEC | O_DIRECTORY) }
            target = "/proc/self/fd/\(directoryFD)/" + path[path.index(after: slash)...]
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(target.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw StackError(.invalidArgument, "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        do {
            _ = try syscall("connect \(path)") {
                withUnsafePointer(to: &address) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                    }
                }
            }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// Writes all of `bytes`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], step: String) throws(StackError) {
        var offset = 0
        while offset < bytes.count {
            let written = try syscall(step) {
                bytes.withUnsafeBytes { send(fd, $0.baseAddress.map { $0 + offset }, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            }
            offset += written
        }
    }

    /// Reads exactly `count` bytes; nil at EOF before the first byte, an error at EOF in the middle.
    static func readExactly(_ fd: Int32, _ count: Int, step: String) throws(StackError) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = try syscall(step) {
                buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress.map { $0 + filled }, count - filled) }
            }
            if got == 0 {
                if filled == 0 { return nil }
                throw StackError(.system, "\(step): connection closed in the middle of a frame")
            }
            filled += got
        }
        return buffer
    }
}
