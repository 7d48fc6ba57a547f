import CDNSSocket
import DNS
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One UDP port 53 socket and the thread serving it: recvmmsg a batch, answer local names in place,
/// hand the others to the forwarder, sendmmsg the replies.
final class UDPListener: Sendable {
    let socket: UDPSocket
    let port: UInt16
    private let store: RecordTableStore
    private let forwarder: UDPForwarder
    private let useCache: Bool
    private let stopping = Atomic<Bool>(false)
    private let thread = Mutex<ServiceThread?>(nil)

    static let batchSize = 64
    static let bufferSize = 4096

    init(address: IPAddress, port: UInt16, store: RecordTableStore, forwarder: UDPForwarder, cache: Bool = true) throws(StackError) {
        let fd = try Sockets.bound(Sockets.udp, address, port: port)
        Sockets.setInt(fd, SOL_SOCKET, SO_RCVBUF, 4 << 20)
        Sockets.setInt(fd, SOL_SOCKET, SO_SNDBUF, 4 << 20)
        // A backstop for the stop flag should shutdown() not wake the receiver.
        Sockets.setTimeout(fd, SO_RCVTIMEO, milliseconds: 1000)
        self.socket = UDPSocket(fd: fd)
        self.port = Sockets.localPort(fd)
        self.store = store
        self.forwarder = forwarder
        self.useCache = cache
    }

    func start() throws(StackError) {
        let started = try ServiceThread.start { [self] in serve() }
        thread.withLock { $0 = started }
    }

    /// Stops the thread, waits for it, closes the socket (the port is free when this returns).
    func stop() {
        stopping.store(true, ordering: .releasing)
        socket.shutdownReceiving()
        if let running = thread.withLock({ value -> ServiceThread? in defer { value = nil }; return value }) {
            running.join()
        }
        forwarder.forget(socket)
        socket.close()
    }

    private func serve() {
        let count = Self.batchSize
        let size = Self.bufferSize
        let inbound = UnsafeMutablePointer<UInt8>.allocate(capacity: count * size)
        let outbound = UnsafeMutablePointer<UInt8>.allocate(capacity: count * size)
        defer {
            inbound.deallocate()
            outbound.deallocate()
        }
        var received = [cdns_slot](repeating: cdns_slot(), count: count)
        var replies = [cdns_slot](repeating: cdns_slot(), count: count)
        for i in 0..<count {
            received[i].buffer = inbound + i * size
            received[i].capacity = UInt32(size)
            replies[i].buffer = outbound + i * size
            replies[i].capacity = UInt32(size)
        }
        var sources = SourceAddressCache()
        let cache = useCache ? AnswerCache() : nil
        defer { cache?.release() }
        let fd = socket.fd
        while !stopping.load(ordering: .acquiring) {
            let got = Int(cdns_receive_batch(fd, &received, UInt32(count)))
            if got <= 0 {
                if stopping.load(ordering: .acquiring) { break }
                if got == -Int(EBADF) || got == -Int(ENOTSOCK) || got == -Int(EINVAL) { break }
                continue  // timeout, ICMP errors reported on the socket, shortage of memory: go on
            }
            let snapshot = store.read()
            let version = snapshot.version
            var replyCount = 0
            for i in 0..<got {
                let length = Int(received[i].length)
                guard length >= 12 else { continue }
                let bytes = UnsafePointer(received[i].buffer.unsafelyUnwrapped)
                let client = SocketAddress(storage: received[i].address, length: received[i].address_length)
                guard client.port != 0 else { continue }
                // The fast path: the same question from the same IPv4 address since the last update.
                let source4 = cache != nil ? client.ipv4Key : nil
                var hash: UInt64 = 0
                if let source4, length - 2 <= AnswerCache.maxKey {
                    hash = AnswerCache.hash(source: source4, packet: bytes, length: length)
                    if let hit = cache?.lookup(hash: hash, source: source4, packet: bytes, length: length, version: version) {
                        let out = replies[replyCount].buffer.unsafelyUnwrapped
                        UnsafeMutableRawPointer(out).copyMemory(from: hit.baseAddress.unsafelyUnwrapped, byteCount: hit.count)
                        out[0] = bytes[0]
                        out[1] = bytes[1]
                        replies[replyCount].length = UInt32(hit.count)
                        replies[replyCount].address = received[i].address
                        replies[replyCount].address_length = received[i].address_length
                        replyCount += 1
                        continue
                    }
                }
                guard let source = sources.address(of: client) else { continue }
                let packet = Array(UnsafeBufferPointer(start: bytes, count: length))
                switch LocalAnswerer.outcome(for: packet, from: source, table: snapshot.table, overUDP: true) {
                case .reply(let reply):
                    guard reply.count <= size else { continue }
                    if let source4, AnswerCache.cacheable(queryLength: length, reply: reply) {
                        cache?.store(hash: hash, source: source4, packet: bytes, length: length, version: version, reply: reply)
                    }
                    reply.withUnsafeBufferPointer {
                        replies[replyCount].buffer.update(from: $0.baseAddress.unsafelyUnwrapped, count: $0.count)
                    }
                    replies[replyCount].length = UInt32(reply.count)
                    replies[replyCount].address = received[i].address
                    replies[replyCount].address_length = received[i].address_length
                    replyCount += 1
                case .forward(let questionEnd, let udpLimit):
                    forwarder.forward(packet, questionEnd: questionEnd, udpLimit: udpLimit, client: client, via: socket)
                case .drop:
                    continue
                }
            }
            if replyCount > 0 { _ = cdns_send_batch(fd, &replies, UInt32(replyCount)) }
        }
    }
}

extension SocketAddress {
    /// An IPv4 address's 4 bytes as they sit in memory; nil for other families.
    var ipv4Key: UInt32? {
        guard family == AF_INET else { return nil }
        return withUnsafeBytes(of: storage) { raw in raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self) }
    }
}

/// Source addresses as `IPAddress` values, cached by their bytes (StackCore builds addresses from
/// text only, which is too slow to do per packet).
struct SourceAddressCache {
    private var v4: [UInt32: IPAddress] = [:]

    mutating func address(of client: SocketAddress) -> IPAddress? {
        guard let key = client.ipv4Key else { return client.ipAddress }
        if let known = v4[key] { return known }
        guard let address = client.ipAddress else { return nil }
        if v4.count >= 4096 { v4.removeAll(keepingCapacity: true) }
        v4[key] = address
        return address
    }
}
