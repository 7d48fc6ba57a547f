import CDNSSocket
import DNS
import LinuxOS
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One TCP port 53 listener: an accepting thread and a thread per connection (DNS over TCP is rare:
/// retries after TC and zone-size answers). Several length-prefixed queries per connection, answered
/// in order; a connection idle for `idleTimeout` is closed; at most `maxConnections` at once (more
/// are closed at once).
final class TCPListener: Sendable {
    private struct State {
        var connections: Set<Int32> = []
        var stopping = false
    }

    let fd: Int32
    let port: UInt16
    private let store: RecordTableStore
    private let upstream: TCPUpstreamClient
    private let idleTimeout: Duration
    private let maxConnections: Int
    private let state = Mutex(State())
    private let acceptor = Mutex<ServiceThread?>(nil)

    init(
        address: IPAddress, port: UInt16, store: RecordTableStore, upstream: TCPUpstreamClient,
        idleTimeout: Duration = .seconds(10), maxConnections: Int = 64
    ) throws(StackError) {
        let fd = try Sockets.bound(Sockets.tcp, address, port: port)
        guard listen(fd, 128) == 0 else {
            let error = Errno.current
            close(fd)
            throw StackError.system("DNS: listen on \(address):\(port)/tcp", error)
        }
        self.fd = fd
        self.port = Sockets.localPort(fd)
        self.store = store
        self.upstream = upstream
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }

    func start() throws(StackError) {
        let started = try ServiceThread.start { [self] in acceptLoop() }
        acceptor.withLock { $0 = started }
    }

    /// Stops accepting, ends every connection and waits for their threads; the port is free afterwards.
    func stop() {
        state.withLock { state in
            state.stopping = true
            for connection in state.connections { _ = shutdown(connection, Int32(SHUT_RDWR)) }
        }
        _ = shutdown(fd, Int32(SHUT_RDWR))  // wakes accept()
        if let running = acceptor.withLock({ value -> ServiceThread? in defer { value = nil }; return value }) {
            running.join()
        }
        close(fd)
        // Connection threads are detached; wait (bounded) until they have closed their sockets.
        for _ in 0..<5000 where !state.withLock({ $0.connections.isEmpty }) { usleep(1000) }
    }

    private func acceptLoop() {
        while true {
            let connection = cdns_accept(fd)
            if connection < 0 {
                let error = Errno(-connection)
                if state.withLock({ $0.stopping }) { return }
                if error == .EINTR || error == Errno(ECONNABORTED) || error == Errno(EMFILE) || error == Errno(ENFILE) {
                    if error != .EINTR { usleep(10_000) }
                    continue
                }
                return
            }
            let admitted = state.withLock { state -> Bool in
                guard !state.stopping, state.connections.count < maxConnections else { return false }
                state.connections.insert(connection)
                return true
            }
            guard admitted else {
                close(connection)
                continue
            }
            Sockets.setTimeout(connection, SO_RCVTIMEO, milliseconds: idleTimeout.milliseconds)
            Sockets.setTimeout(connection, SO_SNDTIMEO, milliseconds: idleTimeout.milliseconds)
            do {
                _ = try ServiceThread.start(detached: true) { [self] in serve(connection) }
            } catch {
                state.withLock { state in
                    state.connections.remove(connection)
                    close(connection)
                }
            }
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            state.withLock { state in
                state.connections.remove(connection)
                close(connection)
            }
        }
        var peer = SocketAddress()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutableBytes(of: &peer.storage) { raw in
            getpeername(connection, raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: sockaddr.self), &length)
        }
        peer.length = length
        guard let source = peer.ipAddress else { return }
        while let packet = TCPStream.readMessage(connection) {
            let reply: [UInt8]
            switch LocalAnswerer.outcome(for: packet, from: source, table: store.read().table, overUDP: false) {
            case .reply(let bytes):
                reply = bytes
            case .forward(let questionEnd, _):
                reply = upstream.exchange(packet, questionEnd: questionEnd)
                    ?? QuestionSpan.bareReply(to: packet, questionEnd: questionEnd, rcode: 2)
            case .drop:
                return  // a malformed message or a response: end the connection
            }
            guard TCPStream.writeMessage(connection, reply) else { return }
        }
    }
}
