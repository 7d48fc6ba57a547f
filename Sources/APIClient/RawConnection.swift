import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// An upgraded connection (attach, exec): raw bytes both ways.
public struct RawConnection: Sendable {
    /// The daemon's bytes; ends when the daemon closes or half-closes its side.
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

    /// Send bytes to the daemon.
    public func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(allocator.buffer(bytes: bytes))
    }

    /// Half-close: the daemon reads end-of-file (the container's stdin closes); output keeps coming.
    public func closeWrite() {
        outbound.finish()
    }

    /// Copy `input` (e.g. stdin) to the connection and the connection to `output` (e.g. stdout) until
    /// the daemon's side ends. End of `input` half-closes the connection. `input: nil` half-closes at once.
    public func relay(input: CInt?, output: CInt) async throws {
        // Reading input blocks a pool thread; it is left behind (not awaited) once output ends.
        let pump = Task {
            defer { closeWrite() }
            guard let input else { return }
            while !Task.isCancelled {
                let chunk = try await NIOThreadPool.singleton.runIfActive { try RawConnection.readSome(input) }
                if chunk.isEmpty || Task.isCancelled { break }
                try await write(chunk)
            }
        }
        defer { pump.cancel() }
        for try await bytes in inbound { try RawConnection.writeAll(output, bytes) }
    }

    static func readSome(_ fd: CInt) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 32 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            if errno != EINTR { throw IOError(errnoCode: errno, reason: "read") }
        }
    }

    static func writeAll(_ fd: CInt, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw IOError(errnoCode: errno, reason: "write")
            }
            offset += count
        }
    }

    /// On the event loop, after a `101`: wrap the channel as raw bytes and take the HTTP handlers out.
    /// The response sink leaves first, so bytes the decoder held back go to the raw channel.
    static func takeOver(_ channel: Channel) throws -> NIOAsyncChannel<ByteBuffer, ByteBuffer> {
        let pipeline = channel.pipeline.syncOperations
        let raw = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        let sink = try pipeline.context(handlerType: ResponseSink.self)
        let encoder = try pipeline.context(handlerType: HTTPRequestEncoder.self)
        let decoder = try pipeline.context(handlerType: ByteToMessageHandler<HTTPResponseDecoder>.self)
        _ = pipeline.removeHandler(context: sink)
        _ = pipeline.removeHandler(context: encoder)
        // The decoder leaves on a later tick, passing on bytes that came with the 101; NIOAsyncChannel
        // hands reads over at read-complete, so one is fired after.
        pipeline.removeHandler(context: decoder).whenComplete { _ in channel.pipeline.fireChannelReadComplete() }
        return raw
    }
}
