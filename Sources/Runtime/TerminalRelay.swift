import CRuntime
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// runc's behaviour for `run` and `exec --tty` in the foreground without `--console-socket`: the
/// runtime takes the pty master itself and copies between it and its own stdin and stdout.
///
/// A socketpair stands in for the console socket: its sending end goes to the init as the console
/// socket would, the master arrives on the receiving end.
public struct TerminalRelay: Sendable {
    /// The refusal when a terminal is asked for with neither a console socket nor a relay.
    public static let noConsoleSocket =
        "process.terminal is true but no --console-socket was given: a detached container's terminal needs a console socket to receive the pty master (or set process.terminal to false)"

    /// The end the container's init sends the master over (what `--console-socket` would connect).
    public let sendingEnd: Int32
    let receivingEnd: Int32

    public init() throws(StackError) {
        (sendingEnd, receivingEnd) = try SocketIO.socketPair()
    }

    /// Once create or exec returned: the master, if the init sent one (only when the process has
    /// `terminal: true`, and then before create or exec returns); nil otherwise.
    public func takeMaster() -> Int32? {
        var poller = pollfd(fd: receivingEnd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, 0) == 1 else { return nil }
        let fd = cr_recv_fd(receivingEnd, nil, 0, nil)
        return fd >= 0 ? Int32(fd) : nil
    }

    /// Closes both ends.
    public func close() {
        _ = Glibc.close(sendingEnd)
        _ = Glibc.close(receivingEnd)
    }

    /// Copy `input` to `master` and `master` to `output` until the terminal's last slave is closed
    /// (the container's processes are gone). A terminal `input` is put in raw mode meanwhile and its
    /// window size given to the container's terminal.
    public static func copy(master: Int32, input: Int32 = 0, output: Int32 = 1) {
        var saved = termios()
        let raw = isatty(input) == 1 && tcgetattr(input, &saved) == 0
        if raw {
            var size = winsize()
            if ioctl(input, UInt(TIOCGWINSZ), &size) == 0 { _ = ioctl(master, UInt(TIOCSWINSZ), &size) }
            var settings = saved
            cfmakeraw(&settings)
            _ = tcsetattr(input, TCSANOW, &settings)
        }
        defer { if raw { _ = tcsetattr(input, TCSANOW, &saved) } }

        var buffer = [UInt8](repeating: 0, count: 16384)
        var inputOpen = true
        while true {
            var pollers = [pollfd(fd: master, events: Int16(POLLIN), revents: 0), pollfd(fd: input, events: Int16(POLLIN), revents: 0)]
            let count = nfds_t(inputOpen ? 2 : 1)
            if poll(&pollers, count, -1) < 0 {
                if Errno.current == .EINTR { continue }
                return
            }
            if pollers[0].revents != 0 {
                // EIO once every slave is closed; data still buffered is read before it.
                guard let bytes = readSome(master, &buffer), writeAll(output, buffer[..<bytes]) else { return }
            }
            if inputOpen, pollers[1].revents != 0 {
                if let bytes = readSome(input, &buffer) {
                    _ = writeAll(master, buffer[..<bytes])
                } else {
                    inputOpen = false
                }
            }
        }
    }

    /// Bytes read into `buffer`, nil at end of file or on an error.
    private static func readSome(_ fd: Int32, _ buffer: inout [UInt8]) -> Int? {
        while true {
            let count = buffer.count
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) }
            if got < 0, Errno.current == .EINTR { continue }
            return got > 0 ? got : nil
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) -> Bool {
        var offset = bytes.startIndex
        while offset < bytes.endIndex {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0, Errno.current == .EINTR { continue }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
