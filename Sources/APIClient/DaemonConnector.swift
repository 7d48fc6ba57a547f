#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
import Glibc
#endif

/// Finds the daemon's socket and, when nothing answers there, starts `stackd` and waits for it.
///
/// Two CLIs starting at once may both spawn a daemon: the root lock makes the second exit, and both
/// clients just wait for the socket of the first.
public struct DaemonConnector: Sendable {
    /// How to start the daemon when none answers.
    public struct Autostart: Sendable {
        /// The `stackd` binary.
        public var executable: String
        public var root: String
        public var run: String
        /// How long to wait for the new daemon's socket.
        public var timeout: Duration
        /// Extra arguments (e.g. `--debug`).
        public var arguments: [String]

        public init(executable: String, root: String, run: String, timeout: Duration = .seconds(10), arguments: [String] = []) {
            self.executable = executable
            self.root = root
            self.run = run
            self.timeout = timeout
            self.arguments = arguments
        }

        /// Where the daemon's output goes: `$STACK_RUN/stackd.log`.
        public var logPath: String { run + "/stackd.log" }
    }

    public var socketPath: String
    public var autostart: Autostart?

    public init(socketPath: String, autostart: Autostart?) {
        self.socketPath = socketPath
        self.autostart = autostart
    }

    /// The daemon of `STACK_ROOT`/`STACK_RUN` (defaults /var/lib/stack, /run/stack), started from
    /// `$STACKD` or the `stackd` next to the running executable when `autostart` is true.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, autostart: Bool = true
    ) -> DaemonConnector {
        let root = environment["STACK_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? "/var/lib/stack"
        let run = environment["STACK_RUN"].flatMap { $0.isEmpty ? nil : $0 } ?? "/run/stack"
        let executable = environment["STACKD"].flatMap { $0.isEmpty ? nil : $0 } ?? siblingExecutable("stackd")
        return DaemonConnector(
            socketPath: run + "/stackd.sock",
            autostart: autostart ? Autostart(executable: executable, root: root, run: run) : nil)
    }

    /// `name` in the directory of the running executable.
    public static func siblingExecutable(_ name: String) -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// A connected socket, and whether this call started the daemon.
    public struct Connected: Sendable {
        public var socket: CInt
        public var startedDaemon: Bool
    }

    /// Connect to the socket; when nothing answers (no socket file, or connection refused) and autostart
    /// is set, start the daemon and poll every 10 ms until it accepts or the timeout passes.
    public func connect() async throws -> Connected {
        switch UnixSocket.connect(socketPath) {
        case .success(let socket):
            return Connected(socket: socket, startedDaemon: false)
        case .failure(let error) where error.code == ENOENT || error.code == ECONNREFUSED:
            guard let autostart else {
                throw APIClientError.daemonUnavailable("cannot connect to stackd at \(socketPath): \(error)")
            }
            return Connected(socket: try await start(autostart), startedDaemon: true)
        case .failure(let error):
            throw APIClientError.daemonUnavailable("cannot connect to stackd at \(socketPath): \(error)")
        }
    }

    private func start(_ autostart: Autostart) async throws -> CInt {
        let child = try DaemonSpawner.spawn(autostart)
        let clock = ContinuousClock()
        let deadline = clock.now + autostart.timeout
        var exited = false
        while true {
            if case .success(let socket) = UnixSocket.connect(socketPath) { return socket }
            if !exited, let status = DaemonSpawner.reap(child) {
                exited = true
                // A daemon that lost the race for the root lock exits; the winner's socket is coming.
                if !DaemonSpawner.tail(of: autostart.logPath).contains("another stackd") {
                    throw APIClientError.daemonUnavailable(
                        "stackd exited (\(status)) before answering on \(socketPath)\(DaemonSpawner.logExcerpt(autostart.logPath))")
                }
            }
            if clock.now >= deadline {
                throw APIClientError.daemonUnavailable(
                    "stackd did not answer on \(socketPath) within \(autostart.timeout)\(DaemonSpawner.logExcerpt(autostart.logPath))")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}

/// Connecting a Unix stream socket without SwiftNIO (cheap, synchronous, errno visible).
enum UnixSocket {
    struct Failure: Error, CustomStringConvertible {
        var code: CInt
        var description: String { String(cString: strerror(code)) }
    }

    static func connect(_ path: String) -> Result<CInt, Failure> {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else { return .failure(Failure(code: ENAMETOOLONG)) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(Failure(code: errno)) }
        let status = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        if status != 0 {
            let code = errno
            close(fd)
            return .failure(Failure(code: code))
        }
        return .success(fd)
    }
}
