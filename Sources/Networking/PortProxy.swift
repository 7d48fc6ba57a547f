import CRuntime
import LinuxOS
import StackCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The userland port proxy (docker-proxy's role): connections to a published port on loopback
/// never pass the DNAT rules, so a `stack-proxy` process per container relays them.
///
/// stackd binds the host sockets itself (`bind`: a port in use is an error before anything
/// starts), then `launch` hands them to one detached `stack-proxy`, which survives stackd and
/// serves until `stop`. IPv4 only.
public struct PortProxy {
    /// Binds every host socket (TCP: listening, SO_REUSEADDR as Docker). A port in use is a
    /// `.conflict` naming `IP:port/proto`; on any error every socket opened so far is closed.
    public static func bind(_ mappings: [ProxyMapping]) throws(StackError) -> BoundPorts {
        var fds: [Int32] = []
        var bound: [ProxyMapping] = []
        do {
            for mapping in mappings {
                try mapping.validate()
                let (fd, port) = try bindSocket(mapping)
                fds.append(fd)
                var actual = mapping
                actual.hostPort = port
                bound.append(actual)
            }
        } catch {
            for fd in fds { close(fd) }
            throw error
        }
        return BoundPorts(mappings: bound, fds: fds)
    }

    /// Spawns one detached `stack-proxy` serving `ports` (the sockets at fds 3, 4, … in the child,
    /// nothing else inherited), waits for its first process, which exits once the proxy serves and
    /// has written `pidFile`, and returns the proxy's pid. `ports` stays open: close it afterwards.
    /// `udpIdleTimeout` (seconds, default 30) is how long a UDP client's flow may stay idle.
    public static func launch(
        binary: String, ports: BoundPorts, pidFile: String, udpIdleTimeout: Int? = nil
    ) throws(StackError) -> Int32 {
        let sockets = ports.fileDescriptors
        guard !sockets.isEmpty else { throw StackError(.invalidArgument, "port proxy: no bound ports (closed already?)") }
        unlink(pidFile)
        let arguments = [binary, "--pid-file", pidFile] + (udpIdleTimeout.map { ["--udp-timeout", String($0)] } ?? [])
            + zip(ports.mappings, sockets.indices).map { $0.argument(fd: Int32(3 + $1)) }

        var ends: [Int32] = [-1, -1]
        _ = try rawSyscall("pipe2") { ends.withUnsafeMutableBufferPointer { cr_sys_pipe2($0.baseAddress, O_CLOEXEC) } }
        var readEnd: Int32 = ends[0]
        defer { if readEnd >= 0 { close(readEnd) } }
        // Copies above every target slot (3 ..< 3 + count), so no dup2 overwrites a later source and
        // each dup2 lands on a different number (which clears close-on-exec in the child).
        let base = max(10, Int32(3 + sockets.count))
        var sources: [Int32] = []
        defer { for fd in sources { close(fd) } }
        do {
            defer { close(ends[1]) }
            for fd in [ends[1]] + sockets {
                sources.append(try syscall("fcntl F_DUPFD_CLOEXEC") { fcntl(fd, F_DUPFD_CLOEXEC, base) })
            }
        }
        let pid = try spawn(binary: binary, arguments: arguments, stderr: sources[0], sockets: Array(sources.dropFirst()))
        for fd in sources { close(fd) }
        sources = []

        let message = readAll(readEnd)
        close(readEnd)
        readEnd = -1
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let text = String(String(decoding: message, as: UTF8.self).reversed().drop(while: \.isWhitespace).reversed())
        // The proxy writes on stderr only when it fails (also when someone else reaped the first process).
        guard status == 0, text.isEmpty else {
            if !text.isEmpty { throw StackError(.system, text) }
            let exited = status & 0x7f == 0
            let how = exited ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)"
            throw StackError(.system, "stack-proxy \(how)")
        }
        guard let proxy = ProxyProcess.readPid(pidFile) else {
            throw StackError(.system, "stack-proxy started but \(pidFile) holds no pid")
        }
        return proxy
    }

    /// Stops the proxy named by `pidFile`: SIGTERM, up to 2 s for it to go, then SIGKILL. Removes
    /// the pid file. Quiet when the file or the process is gone; a pid that is no longer this
    /// proxy (reused) is left alone.
    public static func stop(pidFile: String) {
        if let pid = ProxyProcess.readPid(pidFile), ProxyProcess.isProxy(pid: pid, pidFile: pidFile) {
            ProxyProcess.terminate(pid: pid)
        }
        unlink(pidFile)
    }

    /// Whether the proxy named by `pidFile` is alive (and still the process that wrote it).
    public static func isRunning(pidFile: String) -> Bool {
        guard let pid = ProxyProcess.readPid(pidFile) else { return false }
        return ProxyProcess.isProxy(pid: pid, pidFile: pidFile)
    }

    /// The proxy binary: `$STACK_PROXY`, else `stack-proxy` next to the running executable (for a
    /// test bundle, next to the `.xctest`).
    public static func locateBinary() throws(StackError) -> String {
        if let path = ProcessInfo.processInfo.environment["STACK_PROXY"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("stack-proxy").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw StackError(.notFound, "stack-proxy not found next to \(executable) (set STACK_PROXY)")
        }
        return candidate
    }

    // MARK: - Binding

    private static func bindSocket(_ mapping: ProxyMapping) throws(StackError) -> (fd: Int32, port: UInt16) {
        let name = "\(mapping.bindAddress):\(mapping.hostPort)/\(mapping.proto)"
        let type = mapping.proto == "tcp" ? Int32(SOCK_STREAM.rawValue) : Int32(SOCK_DGRAM.rawValue)
        let fd = try syscall("socket for \(name)") { socket(AF_INET, type | Int32(SOCK_CLOEXEC.rawValue), 0) }
        do throws(StackError) {
            if mapping.proto == "tcp" {
                // Lets a port in TIME_WAIT be reused; never a second listener on the same port.
                var on: Int32 = 1
                _ = try syscall("setsockopt SO_REUSEADDR") {
                    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
                }
            }
            var address = try socketAddress(mapping.bindAddress, port: mapping.hostPort)
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            if result < 0 {
                let error = Errno.current
                if error == Errno(EADDRINUSE) {
                    throw StackError(.conflict, "Bind for \(name) failed: port is already allocated")
                }
                if error == Errno(EADDRNOTAVAIL) {
                    throw StackError(.invalidArgument, "Bind for \(name) failed: \(mapping.bindAddress) is not an address of this host")
                }
                throw StackError(.system, "Bind for \(name) failed", cause: error)
            }
            if mapping.proto == "tcp" {
                _ = try syscall("listen on \(name)") { listen(fd, SOMAXCONN) }
            }
            var actual = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = try syscall("getsockname for \(name)") {
                withUnsafeMutablePointer(to: &actual) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }
            }
            return (fd, UInt16(bigEndian: actual.sin_port))
        } catch {
            close(fd)
            throw error
        }
    }

    private static func socketAddress(_ text: String, port: UInt16) throws(StackError) -> sockaddr_in {
        guard let ip = IPAddress(text), ip.isIPv4 else { throw StackError(.invalidArgument, "not an IPv4 address: \(text)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: ip.bytes) }
        return address
    }

    // MARK: - Spawning

    /// stdin/stdout on /dev/null, stderr on `stderr`, `sockets[i]` at fd 3 + i.
    private static func spawn(binary: String, arguments: [String], stderr: Int32, sockets: [Int32]) throws(StackError) -> pid_t {
        try DaemonSpawn.spawn(
            binary, arguments: arguments, stdio: [nil, nil, stderr],
            extra: sockets.enumerated().map { (from: $0.element, to: Int32(3 + $0.offset)) })
    }

    private static func readAll(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return data }
            data += buffer[0..<count]
        }
    }
}
