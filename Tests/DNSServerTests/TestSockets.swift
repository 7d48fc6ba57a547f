import DNS
import Foundation
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Socket plumbing for the tests: everything on loopback.
enum TestNet {
    static func address(_ text: String, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, text, &address.sin_addr)
        return address
    }

    static func bind(_ fd: Int32, _ text: String, _ port: UInt16) -> Bool {
        var address = address(text, port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    static func localPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    static func setReceiveTimeout(_ fd: Int32, milliseconds: Int) {
        var value = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Whether a UDP and a TCP socket can both bind 127.0.0.1:port (the server let go of it).
    static func portIsFree(_ port: UInt16, _ host: String = "127.0.0.1") -> Bool {
        let udp = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let tcp = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(udp); close(tcp) }
        var one: Int32 = 1
        setsockopt(tcp, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        return bind(udp, host, port) && bind(tcp, host, port) && listen(tcp, 1) == 0
    }

    static func name(_ text: String) throws -> DNSName { try #require(DNSName(text)) }
    static func ip(_ text: String) throws -> IPAddress { try #require(IPAddress(text)) }
}

import Testing

/// A UDP client socket bound to one loopback source address (127.0.0.x stands for a container).
final class UDPClient {
    let fd: Int32
    let server: UInt16

    init(source: String, server: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.server = server
        try #require(fd >= 0)
        try #require(TestNet.bind(fd, source, 0), "bind \(source)")
        TestNet.setReceiveTimeout(fd, milliseconds: 1500)
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], to host: String = "127.0.0.1") {
        var address = TestNet.address(host, server)
        _ = bytes.withUnsafeBytes { raw in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, raw.baseAddress, raw.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// The next datagram, or nil after `milliseconds`.
    func receive(milliseconds: Int = 1500) -> [UInt8]? {
        TestNet.setReceiveTimeout(fd, milliseconds: milliseconds)
        var buffer = [UInt8](repeating: 0, count: 65_535)
        let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count >= 0 ? Array(buffer[0..<count]) : nil
    }

    func ask(_ query: DNSMessage, milliseconds: Int = 1500) throws -> DNSMessage? {
        send(query.encoded())
        guard let bytes = receive(milliseconds: milliseconds) else { return nil }
        return try DNSMessage(decoding: bytes)
    }

    func ask(_ name: String, _ type: DNSType, id: UInt16 = 4321) throws -> DNSMessage? {
        try ask(DNSMessage.query(id: id, name: try TestNet.name(name), type: type))
    }
}

/// A TCP connection to the server from a loopback source address.
final class TCPClient {
    let fd: Int32

    init(source: String, server: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        try #require(TestNet.bind(fd, source, 0))
        TestNet.setReceiveTimeout(fd, milliseconds: 2000)
        var address = TestNet.address("127.0.0.1", server)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
    }

    deinit { close(fd) }

    func send(_ message: [UInt8]) {
        let framed = [UInt8(message.count >> 8), UInt8(message.count & 0xff)] + message
        _ = framed.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    func read(_ count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress.unsafelyUnwrapped + done, count - done, 0) }
            if got <= 0 { return nil }
            done += got
        }
        return bytes
    }

    func receive() -> [UInt8]? {
        guard let prefix = read(2) else { return nil }
        return read(Int(prefix[0]) << 8 | Int(prefix[1]))
    }

    func ask(_ name: String, _ type: DNSType, id: UInt16) throws -> DNSMessage? {
        send(DNSMessage.query(id: id, name: try TestNet.name(name), type: type).encoded())
        guard let bytes = receive() else { return nil }
        return try DNSMessage(decoding: bytes)
    }
}
