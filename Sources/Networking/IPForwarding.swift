import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// IPv4 forwarding of the calling thread's network namespace (/proc/sys/net is per namespace).
public enum IPForwarding {
    static let path = "/proc/sys/net/ipv4/ip_forward"

    /// Writes 1 to /proc/sys/net/ipv4/ip_forward (a no-op when it is 1 already).
    public static func enable() throws(StackError) {
        if isEnabled { return }
        let fd = try syscall("open \(path)") { open(path, O_WRONLY | O_CLOEXEC) }
        defer { close(fd) }
        let one: [UInt8] = Array("1\n".utf8)
        let written = try syscall("write \(path)") { one.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } }
        guard written == one.count else { throw StackError(.system, "write \(path): short write") }
    }

    /// Whether forwarding is on (false when the file cannot be read).
    public static var isEnabled: Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 1 && byte == UInt8(ascii: "1")
    }
}
