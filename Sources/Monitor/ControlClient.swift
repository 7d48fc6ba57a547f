import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// Requests to a container's `control.sock`, one line each.
public struct ControlClient: Sendable {
    /// The container's control.sock.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Sets the container's terminal size (TIOCSWINSZ on the pty master; ignored without a terminal).
    public func resize(rows: UInt16, cols: UInt16) throws(StackError) {
        try send("resize \(rows) \(cols)\n")
    }

    private func send(_ line: String) throws(StackError) {
        let fd = try UnixSocket.connect(path)
        defer { close(fd) }
        try UnixSocket.writeAll(fd, Array(line.utf8), step: "control: write")
    }
}
