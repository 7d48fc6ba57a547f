import LinuxOS
import StackCore
import Store
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What an attach asks for.
public struct AttachOptions: Sendable {
    /// Forward the client's bytes to the container's stdin.
    public var stdin: Bool
    /// Start a created container once attached (how `run` attaches without missing output).
    public var start: Bool

    public init(stdin: Bool, start: Bool) {
        self.stdin = stdin
        self.start = start
    }
}

extension ContainerEngine {
    /// `POST /containers/{id}/attach` (hijacked): relay between the client and the monitor's
    /// attach socket — output frames (or raw terminal bytes) out, stdin in — until the
    /// container's output ends.
    public func attach(_ reference: String, client: ClientStream, options: AttachOptions) async throws {
        let record = try record(reference)
        let socketPath = paths.attachSocket(record.id)
        let fd: Int32
        if record.state == .created || record.state == .exited {
            guard options.start else {
                throw StackError(.conflict, "container \(record.id) is not running (attach needs a running container)")
            }
            let connected = ConnectedFD()
            try await start(record.id) { _ in
                connected.set(try UnixSocket.connect(socketPath))
            }
            guard let value = connected.value else { throw StackError(.internalError, "attach socket not connected") }
            fd = value
        } else {
            fd = try UnixSocket.connect(socketPath)
        }
        let input: Task<Void, Never>? =
            options.stdin
            ? Task {
                do {
                    for try await chunk in client.input { try await FDStream.write(fd, chunk) }
                } catch {}
                shutdown(fd, Int32(SHUT_WR))
            } : nil
        let readable = dup(fd)
        do {
            for try await chunk in FDStream.reads(readable) { try await client.write(chunk) }
        } catch {}
        input?.cancel()
        client.closeWrite()
        close(fd)
    }

    /// `POST /containers/{id}/resize`: the terminal size, through the monitor's control socket.
    public func resize(_ reference: String, rows: Int, columns: Int) async throws {
        let record = try record(reference)
        guard record.state == .running || record.state == .paused else {
            throw StackError(.conflict, "container \(record.id) is not running")
        }
        let fd = try UnixSocket.connect(paths.controlSocket(record.id))
        defer { close(fd) }
        try await FDStream.write(fd, Array("resize \(rows) \(columns)\n".utf8))
    }
}

/// An fd set once from a `@Sendable` closure.
final class ConnectedFD: Sendable {
    private let stored = Mutex<Int32?>(nil)

    func set(_ fd: Int32) { stored.withLock { $0 = fd } }
    var value: Int32? { stored.withLock { $0 } }
}
