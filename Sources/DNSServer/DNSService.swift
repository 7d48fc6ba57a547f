import DNS
import StackCore
import Synchronization

/// The embedded DNS server: UDP and TCP listeners on each user-defined network's gateway address,
/// answering container names from a `RecordTable` and forwarding everything else to the upstreams.
///
/// Each UDP socket has its own thread that receives and answers in batches (recvmmsg/sendmmsg);
/// local names are answered synchronously on that thread from an immutable snapshot of the table,
/// which `update` swaps atomically. Forwarded UDP queries wait on a separate forwarder thread, so
/// they never hold up local answers. TCP connections get a thread each.
public final class DNSService: Sendable {
    private struct Listener {
        var udp: UDPListener
        var tcp: TCPListener
    }

    private struct State {
        var listeners: [IPAddress: Listener] = [:]
        var forwarder: UDPForwarder?
        var closed = false
    }

    /// Where queries outside our names go, in order of preference.
    public let upstreams: [DNSUpstream]
    /// How long one upstream gets to answer before the next one is asked (SERVFAIL after the last).
    public let timeout: Duration
    /// Whether each UDP listener keeps the replies it built for repeated questions (see `AnswerCache`).
    public let answerCache: Bool
    private let store: RecordTableStore
    private let state = Mutex(State())
    private let own = OwnEndpoints()

    /// A server that forwards to `upstreams` (none: SERVFAIL for names outside ours) and answers from
    /// `table`. `answerCache: false` builds every reply anew (for measuring the codec path).
    public init(
        upstreams: [DNSUpstream], timeout: Duration = .seconds(2), table: RecordTable = RecordTable(),
        answerCache: Bool = true
    ) {
        self.upstreams = upstreams
        self.timeout = timeout
        self.answerCache = answerCache
        self.store = RecordTableStore(table)
    }

    /// Starts answering on `address`, UDP and TCP, on `port` (0: a free port, the same for both).
    /// Returns the port. Listening again on an address already served changes nothing.
    @discardableResult
    public func listen(on address: IPAddress, port: UInt16 = 53) throws(StackError) -> UInt16 {
        let forwarder: UDPForwarder = try state.withLock { state throws(StackError) -> UDPForwarder in
            guard !state.closed else { throw StackError(.conflict, "DNS: the service is shut down") }
            if let forwarder = state.forwarder { return forwarder }
            let forwarder = try UDPForwarder(upstreams: upstreams, timeout: timeout, own: own)
            try forwarder.start()
            state.forwarder = forwarder
            return forwarder
        }
        if let existing = state.withLock({ $0.listeners[address] }) { return existing.udp.port }
        let (udp, tcp) = try bindPair(address, port: port, forwarder: forwarder)
        try udp.start()
        do {
            try tcp.start()
        } catch {
            udp.stop()
            tcp.stop()
            throw error
        }
        let raced: Listener? = state.withLock { state in
            if let other = state.listeners[address] { return other }
            state.listeners[address] = Listener(udp: udp, tcp: tcp)
            return nil
        }
        if let raced {
            udp.stop()
            tcp.stop()
            return raced.udp.port
        }
        own.insert(DNSUpstream(address, port: udp.port))
        return udp.port
    }

    /// A UDP and a TCP socket on the same port; for port 0 the TCP side takes UDP's random port,
    /// trying again with another one when that is taken over TCP.
    private func bindPair(_ address: IPAddress, port: UInt16, forwarder: UDPForwarder) throws(StackError) -> (UDPListener, TCPListener) {
        let client = TCPUpstreamClient(upstreams: upstreams, timeout: timeout, own: own)
        var attempt = 0
        while true {
            let udp = try UDPListener(address: address, port: port, store: store, forwarder: forwarder, cache: answerCache)
            do {
                let tcp = try TCPListener(address: address, port: udp.port, store: store, upstream: client)
                return (udp, tcp)
            } catch {
                udp.socket.close()
                attempt += 1
                guard port == 0, error.code == .conflict, attempt < 20 else { throw error }
            }
        }
    }

    /// Stops answering on `address` (both protocols); quiet when not listening there.
    public func stopListening(on address: IPAddress) {
        guard let listener = state.withLock({ $0.listeners.removeValue(forKey: address) }) else { return }
        own.remove(DNSUpstream(address, port: listener.udp.port))
        listener.udp.stop()
        listener.tcp.stop()
    }

    /// The addresses being served.
    public var addresses: [IPAddress] {
        state.withLock { Array($0.listeners.keys) }
    }

    /// Changes the names: `change` edits a copy of the table, which then replaces the current one in
    /// one step. Queries answered meanwhile see the old table or the new one, never a mix; the next
    /// query received after this returns sees the new one. Updates are serialized: `change` must not
    /// call `update` itself.
    public func update(_ change: (inout RecordTable) -> Void) {
        store.update(change)
    }

    /// The table queries are answered from now.
    public var table: RecordTable { store.read().table }

    deinit { shutdown() }

    /// Stops every listener and the forwarder; the ports are free when this returns. Final.
    public func shutdown() {
        let (listeners, forwarder) = state.withLock { state in
            state.closed = true
            defer {
                state.listeners = [:]
                state.forwarder = nil
            }
            return (Array(state.listeners.values), state.forwarder)
        }
        for listener in listeners {
            listener.udp.stop()
            listener.tcp.stop()
        }
        forwarder?.stop()
    }
}
