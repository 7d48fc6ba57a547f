import Foundation
import Testing

@testable import Networking

#if canImport(Glibc)
import Glibc
#endif

/// Small blocking-socket tools for the port proxy's tests: echo servers, clients, temp dirs.
enum ProxyTestSupport {
    /// The stack-proxy built next to the test bundle.
    static func binary() throws -> String { try PortProxy.locateBinary() }

    static func temporaryDirectory() -> String {
        var template = Array("/tmp/stack-proxy-test.XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        return path.map { String(cString: $0) } ?? "/tmp"
    }

    static func address(_ port: UInt16, ip: String = "127.0.0.1") -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, ip, &address.sin_addr)
        return address
    }

    static func bind(_ fd: Int32, port: UInt16, ip: String = "127.0.0.1") -> Int32 {
        var address = address(port, ip: ip)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    static func localPort(_ fd: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    /// Receive timeouts so that a broken proxy fails a test instead of hanging it.
    static func setTimeout(_ fd: Int32, seconds: Int = 10) {
        var time = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
    }

    /// A free port on 127.0.0.1 (bound and released: good enough on a test machine).
    static func freePort(_ type: Int32 = Int32(SOCK_STREAM.rawValue)) -> UInt16 {
        let fd = socket(AF_INET, type, 0)
        defer { close(fd) }
        _ = bind(fd, port: 0)
        return localPort(fd)
    }

    /// Whether 127.0.0.1:port can be bound now (for TCP: and listened on).
    static func canBind(_ port: UInt16, type: Int32 = Int32(SOCK_STREAM.rawValue)) -> Bool {
        let fd = socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        var on: Int32 = 1
        if type == Int32(SOCK_STREAM.rawValue) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        }
        return bind(fd, port: port, ip: "0.0.0.0") == 0
    }

    static func connectTCP(_ port: UInt16) -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        setTimeout(fd)
        var address = address(port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result < 0 {
            close(fd)
            return -1
        }
        return fd
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads until EOF (or an error/timeout, which returns nil).
    static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { return data }
            data += buffer[0..<n]
        }
    }

    /// Reads exactly `count` bytes, nil on EOF or timeout first.
    static func readExactly(_ fd: Int32, _ count: Int) -> [UInt8]? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while data.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, min($0.count, count - data.count), 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return nil }
            data += buffer[0..<n]
        }
        return data
    }

    /// Runs `body` on its own thread; the returned closure waits for it.
    static func background(_ body: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.start()
        return { done.wait() }
    }

    static func payload(_ count: Int, seed: UInt32 = 1) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 1_103_515_245 &+ 12345
            return UInt8(truncatingIfNeeded: state >> 16)
        }
    }

    /// The proxy's parent pid, session id and resident set size (kB) from /proc.
    static func processInfo(_ pid: Int32) -> (parent: Int32, session: Int32, rssKB: Int)? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": state, ppid, pgrp, session.
        guard fields.count > 3, let parent = Int32(fields[1]), let session = Int32(fields[3]) else { return nil }
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
            .flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") } ?? -1
        return (parent, session, rss)
    }

    static func openFDCount(_ pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }
}

/// A TCP echo server on 127.0.0.1: echoes every connection until EOF, then closes it.
final class TCPEchoServer: Sendable {
    let fd: Int32
    let port: UInt16

    init() {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        _ = ProxyTestSupport.bind(fd, port: 0)
        listen(fd, 128)
        port = ProxyTestSupport.localPort(fd)
        let listener = fd
        _ = ProxyTestSupport.background {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    close(listener)
                    return
                }
                _ = ProxyTestSupport.background {
                    ProxyTestSupport.setTimeout(client, seconds: 30)
                    var buffer = [UInt8](repeating: 0, count: 65536)
                    while true {
                        let n = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
                        if n < 0 && errno == EINTR { continue }
                        if n <= 0 { break }
                        if !ProxyTestSupport.sendAll(client, Array(buffer[0..<n])) { break }
                    }
                    close(client)
                }
            }
        }
    }

    /// Wakes the accept loop, which closes the socket.
    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }
}

/// A UDP echo server on 127.0.0.1 that prefixes each reply with "echo:".
final class UDPEchoServer: Sendable {
    let fd: Int32
    let port: UInt16

    init() {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        _ = ProxyTestSupport.bind(fd, port: 0)
        port = ProxyTestSupport.localPort(fd)
        let socket = fd
        _ = ProxyTestSupport.background {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                var peer = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let n = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &peer) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(socket, bytes.baseAddress, bytes.count, 0, $0, &length) }
                    }
                }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {  // shut down (zero-length datagrams are not used by the tests)
                    close(socket)
                    return
                }
                let reply = Array("echo:".utf8) + buffer[0..<n]
                _ = reply.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &peer) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(socket, bytes.baseAddress, bytes.count, 0, $0, length) }
                    }
                }
            }
        }
    }

    /// Wakes the receive loop, which closes the socket.
    func stop() { shutdown(fd, Int32(SHUT_RDWR)) }
}
