import DNS
import Foundation
import StackCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A stand-in upstream resolver on 127.0.0.1 (UDP and TCP on one random port), run by the tests.
final class FakeDNSServer: @unchecked Sendable {
    enum Behaviour: Sendable {
        /// A records for the names in the table, NXDOMAIN for others.
        case answer([String: String])
        /// Receives, never replies.
        case silent
        /// Replies over UDP with this many A records (to exceed 512 bytes), any size over TCP.
        case large(Int)
    }

    let port: UInt16
    let behaviour: Behaviour
    private let udp: Int32
    private let tcp: Int32
    private let stopping = Atomic<Bool>(false)
    private let log = Mutex<[(tcp: Bool, query: DNSMessage)]>([])
    private let finished = DispatchSemaphore(value: 0)

    init(_ behaviour: Behaviour) throws {
        self.behaviour = behaviour
        // A random UDP port whose TCP twin is free too (another test may hold it): retry a few times.
        var sockets: (udp: Int32, tcp: Int32, port: UInt16)?
        for _ in 0..<20 where sockets == nil {
            let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
            let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            if TestNet.bind(udp, "127.0.0.1", 0), TestNet.bind(tcp, "127.0.0.1", TestNet.localPort(udp)), listen(tcp, 8) == 0 {
                sockets = (udp, tcp, TestNet.localPort(udp))
            } else {
                close(udp)
                close(tcp)
            }
        }
        let bound = try #require(sockets, "no UDP+TCP port pair free on 127.0.0.1")
        udp = bound.udp
        tcp = bound.tcp
        port = bound.port
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The queries received so far.
    var received: [(tcp: Bool, query: DNSMessage)] { log.withLock { $0 } }

    var upstream: String { "127.0.0.1:\(port)" }

    func stop() {
        stopping.store(true, ordering: .relaxed)
        finished.wait()
        close(udp)
        close(tcp)
    }

    private func serve() {
        defer { finished.signal() }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while !stopping.load(ordering: .relaxed) {
            var fds = [pollfd(fd: udp, events: Int16(POLLIN), revents: 0), pollfd(fd: tcp, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 2, 50) > 0 else { continue }
            if fds[0].revents != 0 {
                var from = sockaddr_storage()
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let count = buffer.withUnsafeMutableBytes { raw in
                    withUnsafeMutablePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(udp, raw.baseAddress, raw.count, 0, $0, &length) }
                    }
                }
                if count > 0, let reply = reply(to: Array(buffer[0..<count]), tcp: false) {
                    _ = reply.withUnsafeBytes { raw in
                        withUnsafePointer(to: &from) {
                            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(udp, raw.baseAddress, raw.count, 0, $0, length) }
                        }
                    }
                }
            }
            if fds[1].revents != 0 {
                let connection = accept(tcp, nil, nil)
                guard connection >= 0 else { continue }
                TestNet.setReceiveTimeout(connection, milliseconds: 1000)
                var prefix = [UInt8](repeating: 0, count: 2)
                if recv(connection, &prefix, 2, Int32(MSG_WAITALL)) == 2 {
                    let length = Int(prefix[0]) << 8 | Int(prefix[1])
                    var message = [UInt8](repeating: 0, count: length)
                    if recv(connection, &message, length, Int32(MSG_WAITALL)) == length, let reply = reply(to: message, tcp: true) {
                        let framed = [UInt8(reply.count >> 8), UInt8(reply.count & 0xff)] + reply
                        _ = framed.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    }
                }
                close(connection)
            }
        }
    }

    private func reply(to packet: [UInt8], tcp: Bool) -> [UInt8]? {
        guard let query = try? DNSMessage(decoding: packet), let question = query.questions.first else { return nil }
        log.withLock { $0.append((tcp, query)) }
        switch behaviour {
        case .silent:
            return nil
        case .answer(let table):
            let key = question.name.description.lowercased()
            guard let text = table[key], let address = IPAddress(text) else {
                return query.response(rcode: .nameError).encoded()
            }
            var reply = query.response()
            reply.answers = [DNSRecord.address(question.name, address, ttl: 60)]
            return reply.encoded()
        case .large(let count):
            var reply = query.response()
            for i in 0..<count {
                if let address = IPAddress("10.1.\(i / 250).\(i % 250 + 1)") {
                    reply.answers.append(DNSRecord.address(question.name, address, ttl: 60))
                }
            }
            return reply.encoded()  // deliberately not cut to 512 over UDP
        }
    }
}
