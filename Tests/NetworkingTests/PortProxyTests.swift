import Foundation
import StackCore
import Testing

@testable import Networking

#if canImport(Glibc)
import Glibc
#endif

/// The port proxy end to end on loopback (unprivileged): stackd's side binds and launches, the C
/// `stack-proxy` relays to echo servers standing in for containers.
@Suite struct PortProxyTests {
    typealias T = ProxyTestSupport

    /// A running proxy for `mappings`; stopped (and checked gone) by `finish`.
    struct Running {
        var pid: Int32
        var pidFile: String
        var mappings: [ProxyMapping]
        var directory: String

        func finish() {
            PortProxy.stop(pidFile: pidFile)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    static func start(_ mappings: [ProxyMapping], udpIdleTimeout: Int? = nil) throws -> Running {
        let directory = T.temporaryDirectory()
        let pidFile = directory + "/proxy.pid"
        let ports = try PortProxy.bind(mappings)
        defer { ports.close() }  // the proxy has its own copies
        let pid = try PortProxy.launch(binary: T.binary(), ports: ports, pidFile: pidFile, udpIdleTimeout: udpIdleTimeout)
        return Running(pid: pid, pidFile: pidFile, mappings: ports.mappings, directory: directory)
    }

    @Test func tcpRelaysSmallExchangeAndFourMegabytesWithHalfClose() throws {
        let echo = TCPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port)])
        defer { proxy.finish() }
        let port = proxy.mappings[0].hostPort
        #expect(port != 0 && port != echo.port)

        // A request and its answer on an open connection.
        let fd = T.connectTCP(port)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(T.sendAll(fd, Array("hello proxy\n".utf8)))
        #expect(T.readExactly(fd, 12) == Array("hello proxy\n".utf8))

        // 4 MB written while the echo comes back, then SHUT_WR: everything returns, then EOF.
        let big = T.payload(4 << 20, seed: 7)
        let writer = T.background {
            _ = T.sendAll(fd, big)
            shutdown(fd, Int32(SHUT_WR))
        }
        let received = T.readToEnd(fd)
        writer()
        #expect(received?.count == big.count)
        let identical = received == big  // a Bool: a failure must not print 4 MB
        #expect(identical)
    }

    @Test func tcpServesManyConnectionsAtOnce() throws {
        let echo = TCPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port)])
        defer { proxy.finish() }
        let port = proxy.mappings[0].hostPort
        let clients = (0..<24).map { _ in T.connectTCP(port) }
        defer { for fd in clients { close(fd) } }
        try #require(clients.allSatisfy { $0 >= 0 })
        // All open together; each gets its own bytes back.
        for (index, fd) in clients.enumerated() { #expect(T.sendAll(fd, T.payload(100_000, seed: UInt32(index + 1)))) }
        for (index, fd) in clients.enumerated() {
            let identical = T.readExactly(fd, 100_000) == T.payload(100_000, seed: UInt32(index + 1))
            #expect(identical, "connection \(index)")
        }
    }

    @Test func tcpClientSeesCloseWhenTheContainerRefusesAndTheProxyGoesOn() throws {
        let closedPort = T.freePort()
        let echo = TCPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([
            ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: closedPort),
            ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port),
        ])
        defer { proxy.finish() }
        let refused = T.connectTCP(proxy.mappings[0].hostPort)
        try #require(refused >= 0)
        defer { close(refused) }
        #expect(T.readToEnd(refused) == [])  // closed, no data, no hang
        let working = T.connectTCP(proxy.mappings[1].hostPort)
        defer { close(working) }
        #expect(T.sendAll(working, [1, 2, 3]))
        #expect(T.readExactly(working, 3) == [1, 2, 3])
    }

    @Test func udpRoundTripsForTwoClientsFromTheBoundPort() throws {
        let echo = UDPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([ProxyMapping(proto: "udp", hostIP: "", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port)])
        defer { proxy.finish() }
        let port = proxy.mappings[0].hostPort
        #expect(proxy.mappings[0].hostIP == "")
        let idleFDs = T.openFDCount(proxy.pid)

        let clients = (0..<2).map { _ in socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0) }
        defer { for fd in clients { close(fd) } }
        for fd in clients { T.setTimeout(fd, seconds: 5) }
        for round in 0..<3 {
            for (index, fd) in clients.enumerated() {
                var target = T.address(port)
                let message = Array("client \(index) round \(round)".utf8)
                let sent = message.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &target) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                        }
                    }
                }
                #expect(sent == message.count)
            }
            for (index, fd) in clients.enumerated() {
                var buffer = [UInt8](repeating: 0, count: 2048)
                var from = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let n = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &from) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length) }
                    }
                }
                try #require(n > 0, "client \(index) got no reply in round \(round)")
                #expect(String(decoding: buffer[0..<n], as: UTF8.self) == "echo:client \(index) round \(round)")
                // The reply comes from the published port on the address the client wrote to.
                #expect(UInt16(bigEndian: from.sin_port) == port)
                #expect(from.sin_addr.s_addr == T.address(0).sin_addr.s_addr)
            }
        }
        // One upstream socket per client, kept across rounds: two more fds than when idle.
        #expect(T.openFDCount(proxy.pid) == idleFDs + 2)
    }

    @Test func udpFlowsExpireWhenIdle() throws {
        let echo = UDPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start(
            [ProxyMapping(proto: "udp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port)],
            udpIdleTimeout: 1)
        defer { proxy.finish() }
        let idle = T.openFDCount(proxy.pid)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(fd) }
        T.setTimeout(fd, seconds: 5)
        var target = T.address(proxy.mappings[0].hostPort)
        _ = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { sendto(fd, "x", 1, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(recv(fd, &buffer, buffer.count, 0) == 6)
        #expect(T.openFDCount(proxy.pid) == idle + 1)
        var expired = false
        for _ in 0..<40 where !expired {
            usleep(100_000)
            expired = T.openFDCount(proxy.pid) == idle
        }
        #expect(expired, "the idle flow's socket was not closed within 4 s")
    }

    @Test func portInUseIsAConflictAndNothingStaysBound() throws {
        let occupant = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        defer { close(occupant) }
        #expect(T.bind(occupant, port: 0) == 0)
        listen(occupant, 1)
        let taken = T.localPort(occupant)
        let free = T.freePort()
        let freeUDP = T.freePort(Int32(SOCK_DGRAM.rawValue))

        do {
            _ = try PortProxy.bind([
                ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: free, containerIP: "10.0.0.2", containerPort: 80),
                ProxyMapping(proto: "udp", hostIP: "127.0.0.1", hostPort: freeUDP, containerIP: "10.0.0.2", containerPort: 53),
                ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: taken, containerIP: "10.0.0.2", containerPort: 8080),
            ])
            Issue.record("binding a port in use succeeded")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message == "Bind for 127.0.0.1:\(taken)/tcp failed: port is already allocated")
        }
        // The sockets bound before the failure were closed.
        #expect(T.canBind(free))
        #expect(T.canBind(freeUDP, type: Int32(SOCK_DGRAM.rawValue)))
    }

    @Test func sameHostPortTwiceInOneCallConflicts() throws {
        let port = T.freePort()
        #expect(throws: StackError.self) {
            try PortProxy.bind([
                ProxyMapping(proto: "tcp", hostIP: "", hostPort: port, containerIP: "10.0.0.2", containerPort: 80),
                ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: port, containerIP: "10.0.0.3", containerPort: 80),
            ])
        }
        #expect(T.canBind(port))
        // tcp and udp on one number are two ports.
        let both = try PortProxy.bind([
            ProxyMapping(proto: "tcp", hostIP: "", hostPort: port, containerIP: "10.0.0.2", containerPort: 53),
            ProxyMapping(proto: "udp", hostIP: "", hostPort: port, containerIP: "10.0.0.2", containerPort: 53),
        ])
        #expect(both.mappings.map(\.hostPort) == [port, port])
        #expect(both.hostPort(containerPort: 53, proto: "udp") == port)
        both.close()
        #expect(both.isClosed)
        #expect(T.canBind(port))
    }

    @Test func unsupportedMappingsAreRefusedClearly() {
        let cases: [(ProxyMapping, StackError.Code, String)] = [
            (ProxyMapping(proto: "tcp", hostIP: "::1", hostPort: 0, containerIP: "10.0.0.2", containerPort: 80), .unsupported, "IPv6"),
            (ProxyMapping(proto: "sctp", hostIP: "", hostPort: 0, containerIP: "10.0.0.2", containerPort: 80), .unsupported, "tcp and udp"),
            (ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "fd00::2", containerPort: 80), .invalidArgument, "IPv4"),
            (ProxyMapping(proto: "tcp", hostIP: "not-an-ip", hostPort: 0, containerIP: "10.0.0.2", containerPort: 80), .invalidArgument, "invalid host address"),
        ]
        for (mapping, code, fragment) in cases {
            do {
                _ = try PortProxy.bind([mapping])
                Issue.record("\(mapping) was accepted")
            } catch {
                #expect(error.code == code, "\(mapping)")
                #expect(error.message.contains(fragment), "\(error.message)")
            }
        }
    }

    @Test func bindingAnAddressNotOnThisHostIsRefused() {
        do {
            // 192.0.2.0/24 is TEST-NET-1: documentation only, on no interface.
            _ = try PortProxy.bind([ProxyMapping(proto: "tcp", hostIP: "192.0.2.1", hostPort: 0, containerIP: "10.0.0.2", containerPort: 80)])
            Issue.record("bound 192.0.2.1")
        } catch {
            #expect(error.code == .invalidArgument)
            #expect(error.message.hasPrefix("Bind for 192.0.2.1:0/tcp failed"), "\(error.message)")
        }
    }

    @Test func launchingClosedPortsIsAnError() throws {
        let ports = try PortProxy.bind([ProxyMapping(proto: "udp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: 53)])
        ports.close()
        let binary = try T.binary()
        #expect(throws: StackError.self) {
            try PortProxy.launch(binary: binary, ports: ports, pidFile: "/tmp/never-written.pid")
        }
    }

    @Test func stopFreesThePortAndEndsTheProcess() throws {
        let echo = TCPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([ProxyMapping(proto: "tcp", hostIP: "", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port)])
        defer { proxy.finish() }
        let port = proxy.mappings[0].hostPort
        #expect(PortProxy.isRunning(pidFile: proxy.pidFile))
        #expect(!T.canBind(port))  // the proxy holds it (stackd's copy is closed)

        let clock = ContinuousClock()
        let started = clock.now
        PortProxy.stop(pidFile: proxy.pidFile)
        #expect(clock.now - started < .seconds(1))  // SIGTERM was enough, no SIGKILL after 2 s
        #expect(!PortProxy.isRunning(pidFile: proxy.pidFile))
        #expect(!FileManager.default.fileExists(atPath: proxy.pidFile))
        #expect(!ProxyProcess.isAlive(proxy.pid))
        #expect(T.canBind(port))
        PortProxy.stop(pidFile: proxy.pidFile)  // quiet when gone
    }

    @Test func theProxyIsDetachedFromItsSpawner() throws {
        let echo = TCPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port)])
        defer { proxy.finish() }
        let info = try #require(T.processInfo(proxy.pid))
        #expect(info.parent != getpid())  // reparented: never a zombie of ours
        #expect(info.session == proxy.pid)  // its own session
        // Only its own fds: stdio, the socket, epoll, signalfd, timerfd (and the spare for EMFILE).
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(proxy.pid)/fd").compactMap(Int32.init)
        #expect(fds.count <= 7, "\(fds)")
        // A pid file naming another process is not trusted.
        try "\(getpid())\n".write(toFile: proxy.directory + "/other.pid", atomically: true, encoding: .utf8)
        #expect(!PortProxy.isRunning(pidFile: proxy.directory + "/other.pid"))
    }

    @Test func idleProxyIsSmall() throws {
        let echo = TCPEchoServer()
        defer { echo.stop() }
        let proxy = try Self.start([
            ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: echo.port),
            ProxyMapping(proto: "udp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: 9),
        ])
        defer { proxy.finish() }
        let info = try #require(T.processInfo(proxy.pid))
        print("stack-proxy idle RSS: \(info.rssKB) kB")
        #expect(info.rssKB > 0 && info.rssKB < 1024)
    }

    @Test func launchReportsTheProxysError() throws {
        let directory = T.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let ports = try PortProxy.bind([ProxyMapping(proto: "tcp", hostIP: "127.0.0.1", hostPort: 0, containerIP: "127.0.0.1", containerPort: 80)])
        defer { ports.close() }
        // A pid file in a directory that does not exist: the detached process fails and says so.
        let binary = try T.binary()
        do {
            _ = try PortProxy.launch(binary: binary, ports: ports, pidFile: directory + "/missing/proxy.pid")
            Issue.record("launch succeeded")
        } catch {
            #expect(error.message.contains("missing/proxy.pid"), "\(error.message)")
        }
        #expect(throws: StackError.self) {
            try PortProxy.launch(binary: directory + "/no-such-binary", ports: ports, pidFile: directory + "/proxy.pid")
        }
    }
}
