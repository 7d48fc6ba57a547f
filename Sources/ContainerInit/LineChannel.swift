import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Newline-delimited messages over a socket or pipe fd, with a read buffer.
public final class LineChannel {
    public let fd: Int32
    private var buffer: [UInt8] = []

    public init(fd: Int32) {
        self.fd = fd
    }

    /// The next line without its newline; nil at end of file (a partial last line is returned).
    public func readLine() throws(StackError) -> [UInt8]? {
        while true {
            if let newline = buffer.firstIndex(of: 10) {
                let line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.count
            let got = try syscall("read sync") { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, count) } }
            if got == 0 {
                if buffer.isEmpty { return nil }
                defer { buffer.removeAll() }
                return buffer
            }
            buffer.append(contentsOf: chunk[..<got])
        }
    }

    /// The next message; nil at end of file.
    public func receive() throws(StackError) -> SyncMessage? {
        guard let line = try readLine() else { return nil }
        return try SyncMessage.parse(line)
    }

    public func send(_ message: SyncMessage) throws(StackError) {
        try writeAll(Array(message.line().utf8))
    }

    /// Write every byte, retrying short writes.
    public func writeAll(_ bytes: [UInt8]) throws(StackError) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.count - offset
            let written = try syscall("write sync") {
                bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress.map { $0 + offset }, count, Int32(MSG_NOSIGNAL)) }
            }
            offset += written
        }
    }
}
