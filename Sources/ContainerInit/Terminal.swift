import CRuntime
import LinuxOS
import RuntimeSpec
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The container's terminal: a pty opened inside the container, its master sent over the console
/// socket, its slave made stdio and the controlling terminal, and bound onto /dev/console.
public enum Terminal {
    /// Run in init after `pivot_root` (so /dev/ptmx is the container's devpts).
    public static func setUp(consoleSocket: Int32, size: Spec.ConsoleSize?, syscalls: any Syscalls) throws(StackError)
    {
        let master = try syscall("open /dev/ptmx") { open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC) }
        defer { close(master) }
        var unlock: Int32 = 0
        _ = try syscall("ioctl(TIOCSPTLCK)") { ioctl(master, 0x4004_5431, &unlock) }
        var number: UInt32 = 0
        _ = try syscall("ioctl(TIOCGPTN)") { ioctl(master, 0x8004_5430, &number) }
        let name = "/dev/pts/\(number)"
        if let size {
            var window = winsize(ws_row: UInt16(truncatingIfNeeded: size.height), ws_col: UInt16(truncatingIfNeeded: size.width), ws_xpixel: 0, ws_ypixel: 0)
            _ = ioctl(master, UInt(TIOCSWINSZ), &window)
        }
        let sent = name.withCString { cr_send_fd(consoleSocket, master, $0, strlen($0)) }
        if sent < 0 { throw StackError.system("send the pty master over the console socket", Errno(Int32(-sent))) }

        // Only a session leader can take a controlling terminal: the container's init is one, a
        // process `exec` starts is not yet.
        if getsid(0) != getpid() {
            _ = try syscall("setsid") { setsid() }
        }
        let slave = try syscall("open \(name)") { open(name, O_RDWR) }
        _ = try syscall("ioctl(TIOCSCTTY)") { ioctl(slave, UInt(TIOCSCTTY), 0) }
        for target: Int32 in 0...2 {
            _ = try syscall("dup2 terminal") { dup2(slave, target) }
        }
        if slave > 2 { close(slave) }
        // /dev/console: an empty file with the pty bound onto it.
        if access("/dev/console", F_OK) != 0 {
            let fd = open("/dev/console", O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
            if fd >= 0 { close(fd) }
        }
        try syscalls.mount(source: name, target: "/dev/console", fstype: "bind", flags: .bind, data: nil)
    }
}
