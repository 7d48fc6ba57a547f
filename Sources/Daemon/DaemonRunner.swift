import APIServer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// Work the daemon does around serving: the engine re-adopts containers in `onStart` and
/// stops what it must in `onShutdown`.
public struct DaemonHooks: Sendable {
    /// Runs with the lock held and the pid file written, before the socket accepts connections.
    public var onStart: @Sendable (DaemonPaths) async throws -> Void
    /// Runs after the server stopped accepting and its connections closed.
    public var onShutdown: @Sendable (DaemonPaths) async -> Void

    public init(
        onStart: @escaping @Sendable (DaemonPaths) async throws -> Void = { _ in },
        onShutdown: @escaping @Sendable (DaemonPaths) async -> Void = { _ in }
    ) {
        self.onStart = onStart
        self.onShutdown = onShutdown
    }
}

/// Lines on stderr (which is `$STACK_RUN/stackd.log` when the CLI started the daemon).
public struct DaemonLog: Sendable {
    public var debugEnabled: Bool

    public init(debug: Bool = false) { self.debugEnabled = debug }

    public func info(_ message: String) { emit("info", message) }
    public func error(_ message: String) { emit("error", message) }
    public func debug(_ message: @autoclosure () -> String) { if debugEnabled { emit("debug", message()) } }

    private func emit(_ level: String, _ message: String) {
        let line = "\(Date().formatted(.iso8601)) stackd[\(getpid())] \(level): \(message)\n"
        let bytes = Array(line.utf8)
        _ = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}

/// The daemon's life: lock the root, write the pid file, run the start hook, serve the router on
/// the socket until `stop` returns (by default: SIGTERM or SIGINT), then stop accepting, remove
/// the socket and the pid file, run the shutdown hook, and return.
public enum DaemonRunner {
    public static func run(
        paths: DaemonPaths, router: Router, hooks: DaemonHooks = DaemonHooks(), log: DaemonLog = DaemonLog(),
        stop: @escaping @Sendable () async -> Int32 = TerminationSignals.wait
    ) async throws {
        try paths.prepare()
        let lock = try DaemonLock.acquire(paths)
        defer { lock.release() }
        try PidFile.write(paths.pidFile)
        defer { PidFile.remove(paths.pidFile) }
        try await hooks.onStart(paths)
        let server = try await APIServer.start(socketPath: paths.socket, router: router)
        log.info("listening on \(paths.socket) (root \(paths.root), pid \(getpid()))")
        let signal = await stop()
        log.info("\(TerminationSignals.name(signal)) received, shutting down")
        await server.stop()
        await hooks.onShutdown(paths)
        log.info("stopped")
    }
}
