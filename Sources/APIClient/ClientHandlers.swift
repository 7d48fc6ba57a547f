import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// A response as it arrives, one part at a time.
enum ClientEvent: Sendable {
    case head(HTTPResponseHead)
    case body(ByteBuffer)
    case end
}

/// The last handler of a client connection: hands response parts to whoever sent the request.
/// Its sink is set from outside the event loop, hence the lock.
final class ResponseSink: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart
    typealias Events = AsyncThrowingStream<ClientEvent, any Error>

    private let lock = NIOLock()
    private var continuation: Events.Continuation?
    private var closed = false

    /// Start listening for the next response.
    func begin() -> Events {
        let (events, continuation) = Events.makeStream()
        lock.withLock {
            if closed {
                continuation.finish(throwing: APIClientError.connectionClosed)
            } else {
                self.continuation?.finish(throwing: APIClientError.protocolError("overlapping requests"))
                self.continuation = continuation
            }
        }
        return events
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        lock.withLock {
            switch part {
            case .head(let head): continuation?.yield(.head(head))
            case .body(let buffer): continuation?.yield(.body(buffer))
            case .end:
                continuation?.yield(.end)
                continuation?.finish()
                continuation = nil
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(APIClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error)
        context.close(promise: nil)
    }

    private func fail(_ error: any Error) {
        lock.withLock {
            closed = true
            continuation?.finish(throwing: error)
            continuation = nil
        }
    }
}
