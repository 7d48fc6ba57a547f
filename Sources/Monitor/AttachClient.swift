import LinuxOS
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A connection to a container's `attach.sock`: its output as it is produced (Docker's stdcopy
/// frames without a terminal, raw bytes with one) and its stdin.
public final class AttachClient: Sendable {
    /// A piece of output and the stream it came from (always stdout with a terminal).
    public struct Chunk: Sendable, Equatable {
        public var stream: OutputStream
        public var bytes: [UInt8]

        public init(stream: OutputStream, bytes: [UInt8]) {
            self.stream = stream
            self.bytes = bytes
        }
    }

    private let fd: Mutex<Int32>
    /// Raw bytes instead of frames: the container has a terminal.
    public let terminal: Bool

    /// Connects to `path` (a container's attach.sock).
    public init(path: String, terminal: Bool) throws(StackError) {
        fd = Mutex(try UnixSocket.connect(path))
        self.terminal = terminal
    }

    deinit { close() }

    private var socket: Int32 { fd.withLock { $0 } }

    /// The next piece of output, blocking until there is one; nil once the monitor closed the
    /// connection (the container ended).
    public func read() throws(StackError) -> Chunk? {
        let fd = socket
        guard fd >= 0 else { return nil }
        if terminal {
            var buffer = [UInt8](repeating: 0, count: 32768)
            let count = try syscall("attach: read") { buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) } }
            return count == 0 ? nil : Chunk(stream: .stdout, bytes: Array(buffer[0..<count]))
        }
        guard let header = try UnixSocket.readExactly(fd, 8, step: "attach: read") else { return nil }
        let length = header[4...7].reduce(0) { $0 << 8 | Int($1) }
        let stream: OutputStream = header[0] == 2 ? .stderr : .stdout
        guard length > 0 else { return Chunk(stream: stream, bytes: []) }
        guard let bytes = try UnixSocket.readExactly(fd, length, step: "attach: read") else {
            throw StackError(.system, "attach: connection closed after a frame header")
        }
        return Chunk(stream: stream, bytes: bytes)
    }

    /// Sends bytes to the container's stdin (dropped by the monitor when it has none).
    public func write(_ bytes: [UInt8]) throws(StackError) {
        try UnixSocket.writeAll(socket, bytes, step: "attach: write")
    }

    /// Half-closes the connection: the container's stdin reaches EOF (without a terminal); output keeps coming.
    public func closeStdin() throws(StackError) {
        let fd = socket
        _ = try syscall("attach: shutdown") { shutdown(fd, Int32(SHUT_WR)) }
    }

    /// Closes the connection.
    public func close() {
        fd.withLock { fd in
            if fd >= 0 { _ = Glibc.close(fd) }
            fd = -1
        }
    }
}
