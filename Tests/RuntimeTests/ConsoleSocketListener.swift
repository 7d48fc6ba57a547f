import CRuntime
import Foundation

/// The receiving end of `--console-socket`, as runc's `recvtty` is: a listening unix socket that
/// accepts the runtime's connection and takes the pty master passed over SCM_RIGHTS.
final class ConsoleSocketListener {
    let path: String
    private let fd: Int32

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw Failure(description: "socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard bound == 0, listen(fd, 4) == 0 else {
            let error = errno
            close(fd)
            throw Failure(description: "bind/listen \(path): errno \(error)")
        }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// Accepts one connection (waiting at most `timeout` seconds) and receives the fd it carries,
    /// with the message's payload (the runtime sends the pty's name).
    func receive(timeout: Int32 = 10) throws -> (fd: Int32, payload: String) {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeout * 1000) == 1 else { throw Failure(description: "no connection on \(path)") }
        let connection = accept(fd, nil, nil)
        guard connection >= 0 else { throw Failure(description: "accept: errno \(errno)") }
        defer { close(connection) }
        var buffer = [CChar](repeating: 0, count: 4096)
        var received = 0
        let result = buffer.withUnsafeMutableBufferPointer { cr_recv_fd(connection, $0.baseAddress, $0.count, &received) }
        guard result >= 0 else { throw Failure(description: "recvmsg: errno \(-result)") }
        let payload = String(decoding: buffer[..<received].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (Int32(result), payload)
    }

    /// Everything readable from `fd` until `done` holds for it, end of file, EIO (the slave side
    /// closed) or `timeout` seconds.
    static func read(_ fd: Int32, timeout: Double = 10, until done: (String) -> Bool = { _ in false }) -> String {
        var output: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline, !done(String(decoding: output, as: UTF8.self)) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { break }
            if poller.revents == 0 { continue }
            let count = chunk.count
            let got = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, count) }
            if got <= 0 { break }
            output += chunk[..<got]
        }
        return String(decoding: output, as: UTF8.self)
    }
}
