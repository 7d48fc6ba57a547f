import CDNSSocket
import LinuxOS
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Forwards UDP queries that are not ours to the upstream resolvers without blocking the listeners:
/// each forwarded query gets a fresh random ID and waits in a table; this object's thread matches
/// replies by ID, upstream address and question, moves queries that time out (or get SERVFAIL or
/// REFUSED) to the next upstream, and answers SERVFAIL when none is left. One reply per query at most.
final class UDPForwarder: Sendable {
    struct Pending {
        var query: [UInt8]
        var questionEnd: Int
        var udpLimit: Int
        var client: SocketAddress
        var socket: UDPSocket
        var upstream: Int
        var deadline: UInt64
    }

    private struct State {
        var pending: [UInt16: Pending] = [:]
        /// IDs in deadline order (every attempt waits the same time, so insertion order is deadline order).
        var order: [(id: UInt16, deadline: UInt64)] = []
        var orderHead = 0
        var stopping = false
    }

    /// More queries waiting than this get SERVFAIL at once.
    static let maxPending = 4096

    let upstreams: [DNSUpstream]
    private let targets: [SocketAddress]
    private let timeout: UInt64
    private let socket4: Int32
    private let socket6: Int32
    private let wake: Int32
    private let state = Mutex(State())
    private let thread = Mutex<ServiceThread?>(nil)

    private let own: OwnEndpoints

    init(upstreams: [DNSUpstream], timeout: Duration, own: OwnEndpoints = OwnEndpoints()) throws(StackError) {
        self.upstreams = upstreams
        self.own = own
        self.targets = upstreams.map { SocketAddress($0.address, port: $0.port) }
        self.timeout = UInt64(timeout.milliseconds) * 1_000_000
        func open(_ any: String, _ needed: Bool) throws(StackError) -> Int32 {
            guard needed, let address = IPAddress(any) else { return -1 }
            return try Sockets.bound(Sockets.udp, address, port: 0, flags: Sockets.nonBlocking)
        }
        let socket4 = try open("0.0.0.0", upstreams.contains { $0.address.isIPv4 })
        let socket6: Int32
        do {
            socket6 = try open("::", upstreams.contains { !$0.address.isIPv4 })
        } catch {
            if socket4 >= 0 { close(socket4) }
            throw error
        }
        let wake = Int32(cdns_eventfd())
        guard wake >= 0 else {
            if socket4 >= 0 { close(socket4) }
            if socket6 >= 0 { close(socket6) }
            throw StackError.system("eventfd", Errno(-wake))
        }
        self.socket4 = socket4
        self.socket6 = socket6
        self.wake = wake
    }

    func start() throws(StackError) {
        let started = try ServiceThread.start { [self] in serve() }
        thread.withLock { $0 = started }
    }

    /// Stops the thread and closes the sockets; queries still waiting get no reply.
    func stop() {
        state.withLock { $0.stopping = true }
        cdns_eventfd_signal(wake)
        if let running = thread.withLock({ value -> ServiceThread? in defer { value = nil }; return value }) {
            running.join()
        }
        for fd in [socket4, socket6, wake] where fd >= 0 { close(fd) }
    }

    /// Drops the queries that came in on `socket` (its listener is going away).
    func forget(_ socket: UDPSocket) {
        state.withLock { state in state.pending = state.pending.filter { $0.value.socket !== socket } }
    }

    /// Forwards `query` (as received) for `client`; the reply goes back through `socket`.
    func forward(_ query: [UInt8], questionEnd: Int, udpLimit: Int, client: SocketAddress, via socket: UDPSocket) {
        let entry = Pending(
            query: query, questionEnd: questionEnd, udpLimit: udpLimit, client: client, socket: socket, upstream: 0,
            deadline: 0)
        if targets.isEmpty {
            fail(entry)
            return
        }
        send(entry)
    }

    /// Sends `entry` to its upstream (or the next ones that accept it), or answers SERVFAIL.
    private func send(_ entry: Pending) {
        var entry = entry
        while entry.upstream < targets.count {
            if own.contains(upstreams[entry.upstream]) {
                entry.upstream += 1
                continue
            }
            let target = targets[entry.upstream]
            entry.deadline = Sockets.now() + timeout
            let full = entry
            let id: UInt16? = state.withLock { state in
                guard !state.stopping, state.pending.count < Self.maxPending else { return nil }
                var id = UInt16.random(in: 0...UInt16.max)
                while state.pending[id] != nil { id = UInt16.random(in: 0...UInt16.max) }
                let wasEmpty = state.pending.isEmpty
                state.pending[id] = full
                state.order.append((id, full.deadline))
                if wasEmpty { cdns_eventfd_signal(wake) }
                return id
            }
            guard let id else { break }
            var packet = entry.query
            packet[0] = UInt8(id >> 8)
            packet[1] = UInt8(id & 0xff)
            let fd = target.family == AF_INET ? socket4 : socket6
            let sent = packet.withUnsafeBytes { raw in
                target.withSockaddr { sendto(fd, raw.baseAddress, raw.count, Sockets.dontWait, $0, $1) }
            }
            if sent == packet.count { return }
            // Refused at once (no route, no buffer): take it back and try the next upstream.
            let taken = state.withLock { $0.pending.removeValue(forKey: id) != nil }
            guard taken else { return }  // the reply raced in, or the thread timed it out
            entry.upstream += 1
        }
        fail(entry)
    }

    private func fail(_ entry: Pending) {
        entry.socket.send(
            QuestionSpan.bareReply(to: entry.query, questionEnd: entry.questionEnd, rcode: 2), to: entry.client)
    }

    private func serve() {
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while true {
            let wait: Int32 = state.withLock { state in
                if state.stopping { return -2 }
                return nextDeadline(&state).map { deadline in
                    let now = Sockets.now()
                    return deadline <= now ? 0 : Int32(min((deadline - now) / 1_000_000 + 1, 60_000))
                } ?? -1
            }
            if wait == -2 { return }
            var fds = [pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            for fd in [socket4, socket6] where fd >= 0 { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 && Errno.current != .EINTR { return }
            if fds[0].revents != 0 { cdns_eventfd_drain(wake) }
            for item in fds.dropFirst() where item.revents != 0 { receive(item.fd, &buffer) }
            expire()
        }
    }

    private func nextDeadline(_ state: inout State) -> UInt64? {
        if state.orderHead >= 1024 && state.orderHead * 2 >= state.order.count {
            // Under steady forwarding the queue never drains: drop its consumed front now and then.
            state.order.removeFirst(state.orderHead)
            state.orderHead = 0
        }
        while state.orderHead < state.order.count {
            let (id, deadline) = state.order[state.orderHead]
            if let entry = state.pending[id], entry.deadline == deadline { return deadline }
            state.orderHead += 1
        }
        state.order.removeAll(keepingCapacity: true)
        state.orderHead = 0
        return nil
    }

    /// Reads every queued reply on `fd` and passes the matching ones on.
    private func receive(_ fd: Int32, _ buffer: inout [UInt8]) {
        while true {
            var from = SocketAddress()
            var fromLength = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let count = buffer.withUnsafeMutableBytes { raw in
                withUnsafeMutableBytes(of: &from.storage) { address in
                    recvfrom(fd, raw.baseAddress, raw.count, Sockets.dontWait,
                        address.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: sockaddr.self), &fromLength)
                }
            }
            if count < 0 { return }
            from.length = fromLength
            guard count >= 12 else { continue }
            let reply = Array(buffer[0..<count])
            guard reply[2] & 0x80 != 0, let end = QuestionSpan.end(of: reply) else { continue }
            let id = UInt16(reply[0]) << 8 | UInt16(reply[1])
            let rcode = reply[3] & 0x0f
            let matched: Pending? = state.withLock { state in
                guard let entry = state.pending[id], targets[entry.upstream].sameEndpoint(as: from),
                    QuestionSpan.same(reply, end, entry.query, entry.questionEnd)
                else { return nil }
                state.pending[id] = nil
                return entry
            }
            guard var entry = matched else { continue }  // late, spoofed or unknown: dropped
            if (rcode == 2 || rcode == 5) && entry.upstream + 1 < targets.count {
                entry.upstream += 1
                send(entry)
                continue
            }
            var answer = reply
            answer[0] = entry.query[0]
            answer[1] = entry.query[1]
            if answer.count > entry.udpLimit {
                // Larger than the asker takes over UDP: TC and the question only, it retries over TCP.
                answer = QuestionSpan.bareReply(to: answer, questionEnd: end, rcode: rcode, truncated: true)
            }
            entry.socket.send(answer, to: entry.client)
        }
    }

    /// Moves queries past their deadline to the next upstream, or answers SERVFAIL.
    private func expire() {
        let now = Sockets.now()
        let expired: [Pending] = state.withLock { state in
            var result: [Pending] = []
            while let deadline = nextDeadline(&state), deadline <= now {
                let id = state.order[state.orderHead].id
                state.orderHead += 1
                if let entry = state.pending.removeValue(forKey: id) { result.append(entry) }
            }
            return result
        }
        for var entry in expired {
            entry.upstream += 1
            send(entry)
        }
    }
}
