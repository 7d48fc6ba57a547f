import NIOCore
import NIOHTTP1

/// One HTTP connection on the server: collects each request, runs the router off the event loop,
/// and writes the response — complete, chunked from a stream, or by handing the connection over
/// raw (hijack). Requests on one connection are answered in order.
final class HTTPConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let router: Router
    private let gate: EndOfInputGate
    private let decoder: ByteToMessageHandler<HTTPRequestDecoder>
    private let encoder: HTTPResponseEncoder
    private let maxBodySize: Int
    private let extraHeaders: [(String, String)]

    private var context: ChannelHandlerContext?
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []
    private var bodyTooLarge = false
    private var queue: [(head: HTTPRequestHead, body: [UInt8]?)] = []
    private var busy = false
    private var streaming = false
    private var task: Task<Void, Never>?
    private var inputClosed = false

    init(
        router: Router, gate: EndOfInputGate, decoder: ByteToMessageHandler<HTTPRequestDecoder>,
        encoder: HTTPResponseEncoder, maxBodySize: Int, extraHeaders: [(String, String)]
    ) {
        self.router = router
        self.gate = gate
        self.decoder = decoder
        self.encoder = encoder
        self.maxBodySize = maxBodySize
        self.extraHeaders = extraHeaders
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
            bodyTooLarge = false
        case .body(let buffer):
            if body.count + buffer.readableBytes > maxBodySize {
                bodyTooLarge = true
                body = []
            } else if !bodyTooLarge {
                body.append(contentsOf: buffer.readableBytesView)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            queue.append((head, bodyTooLarge ? nil : body))
            body = []
            startNext(context: context)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        task?.cancel()
        task = nil
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is HTTPInputEnded {
            // Over HTTP, end of input is the client going away: stop a stream; finish a plain answer.
            inputClosed = true
            if streaming {
                task?.cancel()
                context.close(promise: nil)
            } else if !busy {
                context.close(promise: nil)
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        task?.cancel()
        context.close(promise: nil)
    }

    // MARK: - Answering

    private func startNext(context: ChannelHandlerContext) {
        guard !busy else { return }
        guard !queue.isEmpty else {
            if inputClosed { context.close(promise: nil) }
            return
        }
        let (head, body) = queue.removeFirst()
        busy = true
        guard let body else {
            send(.error(APIError(.payloadTooLarge, "request body larger than \(maxBodySize) bytes")), for: head, keepAlive: false)
            return
        }
        let request = APIRequest(
            method: head.method.rawValue, path: RequestTarget.path(of: head.uri), query: RequestTarget.query(of: head.uri),
            headers: head.headers.map { ($0.name, $0.value) }, body: body)
        let router = self.router
        let eventLoop = context.eventLoop
        let handler = NIOLoopBound(self, eventLoop: eventLoop)
        task = Task {
            let response = await router.respond(to: request)
            eventLoop.execute {
                handler.value.send(response, for: head, keepAlive: head.isKeepAlive)
            }
        }
    }

    private func responseHead(_ response: APIResponse, for request: HTTPRequestHead, keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        for (name, value) in response.headers { headers.replaceOrAdd(name: name, value: value) }
        if !keepAlive { headers.replaceOrAdd(name: "Connection", value: "close") }
        return HTTPResponseHead(
            version: request.version, status: HTTPResponseStatus(statusCode: response.status.rawValue), headers: headers)
    }

    private func send(_ response: APIResponse, for request: HTTPRequestHead, keepAlive requestedKeepAlive: Bool) {
        guard let context, context.channel.isActive else {
            task = nil
            return
        }
        let keepAlive = requestedKeepAlive && !inputClosed
        let isHead = request.method == .HEAD
        var body = response.body
        if case .bytes = body, !HTTPResponseStatus(statusCode: response.status.rawValue).mayHaveResponseBody {
            body = .empty  // 204 and 304 carry no body, whatever the handler (or an error mapping) made
        }
        switch body {
        case .empty:
            var head = responseHead(response, for: request, keepAlive: keepAlive)
            if head.status.mayHaveResponseBody { head.headers.replaceOrAdd(name: "Content-Length", value: "0") }
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            finish(context: context, keepAlive: keepAlive)
        case .bytes(let bytes):
            var head = responseHead(response, for: request, keepAlive: keepAlive)
            head.headers.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if !isHead && !bytes.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            }
            finish(context: context, keepAlive: keepAlive)
        case .stream(let stream):
            var head = responseHead(response, for: request, keepAlive: keepAlive)
            head.headers.remove(name: "Content-Length")
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            streaming = true
            let channel = context.channel
            let eventLoop = context.eventLoop
            let handler = NIOLoopBound(self, eventLoop: eventLoop)
            task = Task {
                var failed = false
                do {
                    // One chunk in flight at a time: a slow reader slows the producer (backpressure).
                    for try await chunk in stream where !chunk.isEmpty {
                        let part = HTTPServerResponsePart.body(.byteBuffer(channel.allocator.buffer(bytes: chunk)))
                        try await channel.writeAndFlush(part).get()
                    }
                } catch {
                    failed = true
                }
                let outcome = failed
                eventLoop.execute { handler.value.streamEnded(failed: outcome, keepAlive: keepAlive) }
            }
        case .hijack(let body):
            hijack(context: context, response: response, request: request, body: body)
        }
    }

    private func streamEnded(failed: Bool, keepAlive: Bool) {
        streaming = false
        guard let context, context.channel.isActive else {
            task = nil
            return
        }
        if failed {
            // The status is already sent; cutting the connection tells the client the body is incomplete.
            task = nil
            context.close(promise: nil)
            return
        }
        finish(context: context, keepAlive: keepAlive)
    }

    private func finish(context: ChannelHandlerContext, keepAlive: Bool) {
        task = nil
        busy = false
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            startNext(context: context)
        } else {
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    // MARK: - Hijack

    /// Answer `101 UPGRADED`, take the HTTP handlers out of the pipeline, and give the raw connection to `body`.
    private func hijack(
        context: ChannelHandlerContext, response: APIResponse, request: HTTPRequestHead,
        body: @escaping @Sendable (HijackedConnection) async throws -> Void
    ) {
        let apiRequest = APIRequest(method: request.method.rawValue, path: request.uri, headers: request.headers.map { ($0.name, $0.value) })
        guard apiRequest.wantsUpgrade else {
            send(
                .error(APIError(.badRequest, "this endpoint needs an upgraded connection (Connection: Upgrade, Upgrade: tcp)")),
                for: request, keepAlive: false)
            return
        }
        var head = responseHead(response, for: request, keepAlive: true)
        head.status = .custom(code: 101, reasonPhrase: "UPGRADED")
        head.headers.replaceOrAdd(name: "Connection", value: "Upgrade")
        head.headers.replaceOrAdd(name: "Upgrade", value: "tcp")
        context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)

        let channel = context.channel
        let pipeline = context.pipeline.syncOperations
        let raw: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            raw = try NIOAsyncChannel(
                wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            let encoderContext = try pipeline.context(handler: encoder)
            let decoderContext = try pipeline.context(handler: decoder)
            // This handler leaves first: bytes the decoder held back after the request go to the raw channel.
            _ = pipeline.removeHandler(context: context)
            _ = pipeline.removeHandler(context: encoderContext)
            // The decoder leaves on a later tick, passing on what it held back; NIOAsyncChannel hands reads
            // over at read-complete, so one is fired after. Then the gate leaves, and an end of input it
            // kept from the decoder is fired for real.
            let gate = NIOLoopBound(self.gate, eventLoop: channel.eventLoop)
            pipeline.removeHandler(context: decoderContext).whenComplete { _ in
                if let gateContext = try? channel.pipeline.syncOperations.context(handler: gate.value) {
                    _ = channel.pipeline.syncOperations.removeHandler(context: gateContext)
                }
                channel.pipeline.fireChannelReadComplete()
                if gate.value.sawEndOfInput { channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed) }
            }
        } catch {
            channel.close(promise: nil)
            return
        }
        let allocator = channel.allocator
        Task {
            try? await raw.executeThenClose { inbound, outbound in
                try await body(HijackedConnection(inbound: inbound, outbound: outbound, allocator: allocator))
            }
        }
    }
}

/// Splitting a request target into its decoded path and query items.
enum RequestTarget {
    static func path(of uri: String) -> String {
        let raw = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? uri
        return percentDecode(raw, plusIsSpace: false)
    }

    static func query(of uri: String) -> [QueryItem] {
        guard let mark = uri.firstIndex(of: "?") else { return [] }
        let query = uri[uri.index(after: mark)...]
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(String(parts[0]), plusIsSpace: true)
            let value = parts.count > 1 ? percentDecode(String(parts[1]), plusIsSpace: true) : ""
            return QueryItem(name, value)
        }
    }

    static func percentDecode(_ text: String, plusIsSpace: Bool) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }) else {
            return text
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            if byte == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), iterator.count >= 2,
                let high = hexValue(iterator[iterator.startIndex]), let low = hexValue(iterator[iterator.startIndex + 1])
            {
                bytes.append(high << 4 | low)
                iterator = iterator.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
