import NIOCore

/// A connection taken over from HTTP (attach, exec): raw bytes both ways.
///
/// Read `inbound` for what the client sends (it ends when the client half-closes or goes away);
/// `write` sends bytes (waiting while the client is slow to read); `closeWrite()` half-closes so the
/// client sees the end of output. The connection closes when the hijack handler returns.
public struct HijackedConnection: Sendable {
    /// The client's bytes, in the order sent. Iterate it at most once.
    public struct Inbound: AsyncSequence, Sendable {
        public typealias Element = [UInt8]
        let stream: NIOAsyncChannelInboundStream<ByteBuffer>

        public struct AsyncIterator: AsyncIteratorProtocol {
            var base: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
            public mutating func next() async throws -> [UInt8]? {
                guard let buffer = try await base.next() else { return nil }
                return Array(buffer.readableBytesView)
            }
        }

        public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: stream.makeAsyncIterator()) }
    }

    public let inbound: Inbound
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let allocator: ByteBufferAllocator

    init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, allocator: ByteBufferAllocator) {
        self.inbound = Inbound(stream: inbound)
        self.outbound = outbound
        self.allocator = allocator
    }

    /// Send bytes to the client.
    public func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(allocator.buffer(bytes: bytes))
    }

    /// Half-close: the client reads end-of-file; its bytes can still arrive on `inbound`.
    public func closeWrite() {
        outbound.finish()
    }
}
