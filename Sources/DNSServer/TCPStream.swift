import CDNSSocket
import LinuxOS

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// DNS over TCP framing (RFC 1035 4.2.2): each message preceded by its 16-bit length. Blocking
/// calls on a socket with SO_RCVTIMEO/SO_SNDTIMEO set, so every read and write ends in time.
enum TCPStream {
    /// Reads exactly `count` bytes; nil on end of stream, timeout or error.
    static func read(_ fd: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { raw in recv(fd, raw.baseAddress.unsafelyUnwrapped + done, count - done, 0) }
            if got > 0 {
                done += got
            } else if got < 0 && Errno.current == .EINTR {
                continue
            } else {
                return nil
            }
        }
        return bytes
    }

    /// Reads one length-prefixed message; nil at the end of the stream, on a timeout or a zero length.
    static func readMessage(_ fd: Int32) -> [UInt8]? {
        guard let prefix = read(fd, count: 2) else { return nil }
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        guard length > 0 else { return nil }
        return read(fd, count: length)
    }

    /// Writes one message with its length prefix; false when it could not all go.
    static func writeMessage(_ fd: Int32, _ message: [UInt8]) -> Bool {
        guard message.count <= Int(UInt16.max) else { return false }
        let framed = [UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message
        var done = 0
        while done < framed.count {
            let sent = framed.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.unsafelyUnwrapped + done, framed.count - done, Sockets.noSignal)
            }
            if sent > 0 {
                done += sent
            } else if sent < 0 && Errno.current == .EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }
}
