import NIOCore

/// First handler of a server connection: the client's end of input (a half-close) goes past the HTTP
/// request decoder as `HTTPInputEnded` instead of `ChannelEvent.inputClosed`. Seeing the real event,
/// the decoder would drop bytes it holds back after an upgrade request (stdin sent right behind
/// `Connection: Upgrade`); after a hijack the gate leaves and the real event is fired again.
final class EndOfInputGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private(set) var sawEndOfInput = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case ChannelEvent.inputClosed = event {
            sawEndOfInput = true
            context.fireUserInboundEventTriggered(HTTPInputEnded())
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// The client half-closed its side of an HTTP connection.
struct HTTPInputEnded {}
