#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A complete response from the daemon.
public struct APIClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    /// The first header of that name (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.equalsIgnoringCase(name) }?.value
    }

    /// Decode the body as JSON.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: body)
    }
}

/// The CLI's side of the daemon's API. One event-loop thread; plain requests reuse one kept-alive
/// connection; streams and upgrades use a connection of their own.
///
/// Statuses ≥ 400 throw `APIClientError.server(status:message:)` with the daemon's JSON `message`.
public final class APIClient: Sendable {
    public let connector: DaemonConnector
    let group: any EventLoopGroup
    private let ownsGroup: MultiThreadedEventLoopGroup?
    private let idle = NIOLockedValueBox<ClientConnection?>(nil)

    /// A client for the daemon `connector` reaches (starting it when it may). By default the client
    /// makes its own event loop group with one thread; `close()` shuts it down.
    public init(connector: DaemonConnector, group: (any EventLoopGroup)? = nil) {
        self.connector = connector
        if let group {
            self.group = group
            self.ownsGroup = nil
        } else {
            let own = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            self.group = own
            self.ownsGroup = own
        }
    }

    /// A client for a server on `socketPath` that never starts a daemon.
    public convenience init(socketPath: String, group: (any EventLoopGroup)? = nil) {
        self.init(connector: DaemonConnector(socketPath: socketPath, autostart: nil), group: group)
    }

    /// Close the kept-alive connection and the client's own event loop.
    public func close() async {
        if let connection = idle.withLockedValue({ $0.take() }) {
            // Wait for the close, so nothing is left to run on the loop being shut down.
            try? await connection.channel.close()
        }
        try? await ownsGroup?.shutdownGracefully()
    }

    // MARK: - Requests

    /// Send a request and read the whole response.
    public func request(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        headers: [(String, String)] = []
    ) async throws -> APIClientResponse {
        let head = RequestBuilder.head(method: method, path: path, query: query, headers: headers, bodyLength: body?.count ?? 0)
        if let reused = idle.withLockedValue({ $0.take() }), reused.channel.isActive {
            do {
                return try await exchange(head, body: body, on: reused)
            } catch is StaleConnection {
                // The daemon closed the idle connection (or restarted) before reading anything back:
                // the request is sent again on a fresh connection, once.
            }
        }
        do {
            return try await exchange(head, body: body, on: try await connect())
        } catch is StaleConnection {
            throw APIClientError.connectionClosed
        }
    }

    /// A connection that closed before any of the response arrived.
    private struct StaleConnection: Error {}

    /// Send `value` as the JSON body.
    public func request<T: Encodable>(
        _ method: String, _ path: String, query: [(String, String)] = [], json value: T
    ) async throws -> APIClientResponse {
        try await request(method, path, query: query, body: try JSONEncoder().encode(value))
    }

    private func exchange(_ head: HTTPRequestHead, body: Data?, on connection: ClientConnection) async throws -> APIClientResponse {
        var responseHead: HTTPResponseHead?
        var bytes = Data()
        do {
            for try await event in connection.send(head, body: body) {
                switch event {
                case .head(let head): responseHead = head
                case .body(var buffer): bytes.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
                case .end: break
                }
            }
        } catch {
            connection.close()
            if responseHead == nil, case APIClientError.connectionClosed = error { throw StaleConnection() }
            throw error
        }
        guard let responseHead else {
            connection.close()
            throw APIClientError.connectionClosed
        }
        if responseHead.isKeepAlive && connection.channel.isActive {
            let previous = idle.withLockedValue { slot -> ClientConnection? in
                let previous = slot
                slot = connection
                return previous
            }
            previous?.close()
        } else {
            connection.close()
        }
        let response = APIClientResponse(
            status: Int(responseHead.status.code), headers: responseHead.headers.map { ($0.name, $0.value) }, body: bytes)
        if response.status >= 400 { throw APIClient.error(status: response.status, body: bytes) }
        return response
    }

    /// A new connection; the connector starts the daemon first when it is allowed to and none answers.
    func connect() async throws -> ClientConnection {
        let connected = try await connector.connect()
        let connection = try await ClientConnection.adopt(socket: connected.socket, group: group)
        if connected.startedDaemon {
            // Wait for the daemon to answer, not just to listen.
            let ping = RequestBuilder.head(method: "GET", path: "/_ping", query: [], headers: [], bodyLength: nil)
            for try await _ in connection.send(ping, body: nil) {}
        }
        return connection
    }

    /// The error for an error status: the JSON `message` when there is one, else the body as text.
    static func error(status: Int, body: Data) -> APIClientError {
        struct ErrorBody: Decodable { var message: String }
        if let decoded = try? JSONDecoder().decode(ErrorBody.self, from: body) {
            return .server(status: status, message: decoded.message)
        }
        let text = String(decoding: body, as: UTF8.self).trimmed
        return .server(status: status, message: text.isEmpty ? "HTTP status \(status)" : text)
    }

    // MARK: - Streams

    /// Send a request whose answer is a stream (logs -f, events): waits for the status, then yields the
    /// body's bytes as they arrive. Ending the iteration early (or cancelling it) closes the connection,
    /// which the daemon sees as the client going away.
    public func stream(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
        headers: [(String, String)] = []
    ) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        let connection = try await connect()
        let head = RequestBuilder.head(method: method, path: path, query: query, headers: headers, bodyLength: body?.count ?? 0)
        let events = connection.send(head, body: body)
        var iterator = events.makeAsyncIterator()
        let status: Int
        do {
            guard case .head(let responseHead)? = try await iterator.next() else { throw APIClientError.connectionClosed }
            status = Int(responseHead.status.code)
            if status >= 400 {
                var bytes = Data()
                while let event = try await iterator.next() {
                    if case .body(var buffer) = event { bytes.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? []) }
                }
                throw APIClient.error(status: status, body: bytes)
            }
        } catch {
            connection.close()
            throw error
        }
        let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        let pump = Task {
            do {
                for try await event in events {
                    if case .body(let buffer) = event { continuation.yield(Array(buffer.readableBytesView)) }
                    if case .end = event { break }
                }
                // Closed before the consumer learns of the end: a `close()` of the client that follows
                // must not shut the event loop down under this close.
                connection.close()
                continuation.finish()
            } catch {
                connection.close()
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in
            pump.cancel()
            connection.close()
        }
        return stream
    }

    // MARK: - Upgrade

    /// Send a request asking for Docker's connection upgrade (`Connection: Upgrade`, `Upgrade: tcp`) and,
    /// once the daemon answers `101`, run `body` with the raw connection. The connection closes when
    /// `body` returns. A non-101 answer throws (an error status with the daemon's message).
    public func upgrade<Result: Sendable>(
        _ method: String, _ path: String, query: [(String, String)] = [], body requestBody: Data? = nil,
        _ body: @escaping @Sendable (RawConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await connect()
        let head = RequestBuilder.head(
            method: method, path: path, query: query, headers: [("Connection", "Upgrade"), ("Upgrade", "tcp")],
            bodyLength: requestBody?.count ?? 0)
        var iterator = connection.send(head, body: requestBody).makeAsyncIterator()
        let raw: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            guard case .head(let responseHead)? = try await iterator.next() else { throw APIClientError.connectionClosed }
            let status = Int(responseHead.status.code)
            guard status == 101 else {
                var bytes = Data()
                while let event = try await iterator.next() {
                    if case .body(var buffer) = event { bytes.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? []) }
                }
                if status >= 400 { throw APIClient.error(status: status, body: bytes) }
                throw APIClientError.protocolError("expected 101 UPGRADED, got \(status)")
            }
            raw = try await connection.channel.eventLoop.submit {
                try RawConnection.takeOver(connection.channel)
            }.get()
        } catch {
            connection.close()
            throw error
        }
        let allocator = connection.channel.allocator
        return try await raw.executeThenClose { inbound, outbound in
            try await body(RawConnection(inbound: inbound, outbound: outbound, allocator: allocator))
        }
    }
}
