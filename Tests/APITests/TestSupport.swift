import APIClient
import APIServer
import Foundation

/// A server with fake handlers on a socket in a fresh temporary directory, and a client for it.
struct TestServer {
    let directory: String
    let server: APIServer
    let client: APIClient

    var socketPath: String { server.socketPath }

    static func start(_ register: (Router) -> Void) async throws -> TestServer {
        let directory = try TestDirectory.make()
        let router = Router()
        register(router)
        let server = try await APIServer.start(socketPath: directory + "/api.sock", router: router)
        return TestServer(directory: directory, server: server, client: APIClient(socketPath: directory + "/api.sock"))
    }

    /// For `defer`: the directory goes at once, the server and client as soon as a task gets to them.
    func discard() {
        try? FileManager.default.removeItem(atPath: directory)
        let (server, client) = (server, client)
        Task {
            await client.close()
            await server.stop()
        }
    }

    func stop() async {
        await client.close()
        await server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

enum TestDirectory {
    /// Short, since a Unix socket path must fit in 108 bytes.
    static func make() throws -> String {
        let path = "/tmp/api-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

struct TimedOut: Error {}

/// Run `body`, failing with `TimedOut` after `seconds`.
func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw TimedOut()
        }
        guard let first = try await group.next() else { throw TimedOut() }
        group.cancelAll()
        return first
    }
}

/// A one-shot signal one task waits for and another fires.
final class Signal: Sendable {
    private let stream: AsyncStream<Void>
    private let continuation: AsyncStream<Void>.Continuation

    init() { (stream, continuation) = AsyncStream.makeStream() }

    func fire() {
        continuation.yield()
        continuation.finish()
    }

    func wait() async {
        for await _ in stream { return }
    }
}

/// Built executables sit next to the test binary (`.build/<config>/`).
func builtExecutable(_ name: String) -> String {
    let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
    var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
    while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
    return dir.appendingPathComponent(name).path
}
