import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Forwards a query that came over TCP to the upstreams over TCP, one at a time, blocking the
/// calling connection's thread only (each connection has its own).
struct TCPUpstreamClient: Sendable {
    let upstreams: [DNSUpstream]
    let timeout: Duration
    let own: OwnEndpoints

    /// The upstream's reply with the asker's ID, or nil when every upstream failed or timed out.
    func exchange(_ query: [UInt8], questionEnd: Int) -> [UInt8]? {
        for upstream in upstreams where !own.contains(upstream) {
            if let reply = exchange(query, questionEnd: questionEnd, with: upstream) { return reply }
        }
        return nil
    }

    private func exchange(_ query: [UInt8], questionEnd: Int, with upstream: DNSUpstream) -> [UInt8]? {
        let target = SocketAddress(upstream.address, port: upstream.port)
        let fd = socket(target.family, Sockets.tcp | Sockets.closeOnExec | Sockets.nonBlocking, 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let milliseconds = timeout.milliseconds
        let deadline = Sockets.now() + UInt64(milliseconds) * 1_000_000
        let connected = target.withSockaddr { connect(fd, $0, $1) }
        if connected != 0 {
            guard Errno.current == Errno(EINPROGRESS) else { return nil }
            var item = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&item, 1, Int32(milliseconds)) == 1 else { return nil }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0, error == 0 else { return nil }
        }
        // Back to blocking, with what is left of the time as the read and write limits.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~Int32(O_NONBLOCK))
        let now = Sockets.now()
        guard now < deadline else { return nil }
        let left = Int((deadline - now) / 1_000_000) + 1
        Sockets.setTimeout(fd, SO_RCVTIMEO, milliseconds: left)
        Sockets.setTimeout(fd, SO_SNDTIMEO, milliseconds: left)
        let id = UInt16.random(in: 0...UInt16.max)
        var packet = query
        packet[0] = UInt8(id >> 8)
        packet[1] = UInt8(id & 0xff)
        guard TCPStream.writeMessage(fd, packet) else { return nil }
        while Sockets.now() < deadline {
            guard var reply = TCPStream.readMessage(fd) else { return nil }
            guard reply.count >= 12, reply[0] == packet[0], reply[1] == packet[1], reply[2] & 0x80 != 0,
                let end = QuestionSpan.end(of: reply), QuestionSpan.same(reply, end, query, questionEnd)
            else { continue }
            let rcode = reply[3] & 0x0f
            if rcode == 2 || rcode == 5 { return nil }  // SERVFAIL, REFUSED: the next upstream may do better
            reply[0] = query[0]
            reply[1] = query[1]
            return reply
        }
        return nil
    }
}
