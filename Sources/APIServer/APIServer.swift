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
import StackCore

/// The daemon's API: HTTP/1.1 over a Unix socket, served by SwiftNIO, answered by a `Router`.
public final class APIServer: Sendable {
    /// Where the socket lives.
    public let socketPath: String
    private let channel: Channel
    private let connections: NIOLockedValueBox<[ObjectIdentifier: Channel]>
    private let ownsGroup: MultiThreadedEventLoopGroup?

    private init(socketPath: String, channel: Channel, connections: NIOLockedValueBox<[ObjectIdentifier: Channel]>, ownsGroup: MultiThreadedEventLoopGroup?) {
        self.socketPath = socketPath
        self.channel = channel
        self.connections = connections
        self.ownsGroup = ownsGroup
    }

    /// Bind `socketPath` (a stale socket file there is removed first; anything else there is an error),
    /// set its mode (0660 by default), and start answering with `router`.
    ///
    /// - Parameters:
    ///   - group: the event loops to serve on; by default the server makes its own with one thread.
    ///   - maxRequestBody: larger request bodies are refused with 413.
    ///   - headers: added to every response (e.g. `Api-Version`).
    public static func start(
        socketPath: String, router: Router, group: (any EventLoopGroup)? = nil, mode: mode_t = 0o660,
        maxRequestBody: Int = 256 << 20, headers: [(String, String)] = APIServer.defaultHeaders
    ) async throws -> APIServer {
        try removeStaleSocket(socketPath)
        let ownsGroup = group == nil ? MultiThreadedEventLoopGroup(numberOfThreads: 1) : nil
        guard let loops = group ?? ownsGroup else { throw StackError(.internalError, "no event loop group") }
        let connections = NIOLockedValueBox<[ObjectIdentifier: Channel]>([:])
        let bootstrap = ServerBootstrap(group: loops)
            .serverChannelOption(.backlog, value: 256)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let gate = EndOfInputGate()
                    let decoder = ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes))
                    let encoder = HTTPResponseEncoder()
                    let handler = HTTPConnectionHandler(
                        router: router, gate: gate, decoder: decoder, encoder: encoder, maxBodySize: maxRequestBody,
                        extraHeaders: headers)
                    try channel.pipeline.syncOperations.addHandlers([gate, decoder, encoder, handler])
                    let key = ObjectIdentifier(channel)
                    connections.withLockedValue { $0[key] = channel }
                    channel.closeFuture.whenComplete { _ in _ = connections.withLockedValue { $0.removeValue(forKey: key) } }
                }
            }
        let channel: Channel
        do {
            channel = try await bootstrap.bind(unixDomainSocketPath: socketPath).get()
        } catch {
            try? await ownsGroup?.shutdownGracefully()
            throw StackError(.system, "cannot listen on \(socketPath)", cause: SendableDescription(error))
        }
        if chmod(socketPath, mode) != 0 {
            let reason = String(cString: strerror(errno))
            try? await channel.close()
            try? await ownsGroup?.shutdownGracefully()
            throw StackError(.system, "chmod \(socketPath): \(reason)")
        }
        return APIServer(socketPath: socketPath, channel: channel, connections: connections, ownsGroup: ownsGroup)
    }

    /// Headers every response carries unless told otherwise.
    public static let defaultHeaders: [(String, String)] = [("Server", "stackd"), ("Api-Version", DockerCompat.apiVersion)]

    /// Stop accepting, close open connections (streams end, hijacked connections close), remove the socket file.
    public func stop() async {
        try? await channel.close()
        let open = connections.withLockedValue { Array($0.values) }
        for connection in open { try? await connection.close() }
        unlink(socketPath)
        try? await ownsGroup?.shutdownGracefully()
    }

    /// Resolves when the listening socket closes.
    public func waitUntilClosed() async {
        try? await channel.closeFuture.get()
    }

    /// A socket left by a daemon that died is removed; a file of another kind is left alone and is an error.
    static func removeStaleSocket(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw StackError(.system, "\(path) exists and is not a socket")
        }
        if unlink(path) != 0 && errno != ENOENT {
            throw StackError(.system, "unlink \(path): \(String(cString: strerror(errno)))")
        }
    }
}

/// An error kept as its description, so any error can be a `StackError` cause.
struct SendableDescription: Error, Sendable, CustomStringConvertible {
    var description: String
    init(_ error: any Error) { description = String(describing: error) }
}
