/// A client's raw connection (an attach or exec that took over the HTTP connection), as the
/// engine sees it: bytes from the client, a way to send bytes, and a half-close.
public struct ClientStream: Sendable {
    /// What the client sends (stdin); it ends when the client half-closes.
    public var input: AsyncThrowingStream<[UInt8], any Error>
    /// Send bytes to the client.
    public var write: @Sendable ([UInt8]) async throws -> Void
    /// Tell the client there is no more output.
    public var closeWrite: @Sendable () -> Void

    public init(
        input: AsyncThrowingStream<[UInt8], any Error>, write: @escaping @Sendable ([UInt8]) async throws -> Void,
        closeWrite: @escaping @Sendable () -> Void
    ) {
        self.input = input
        self.write = write
        self.closeWrite = closeWrite
    }
}

/// Docker's stream framing for non-terminal output (stdcopy): a header of the stream number
/// (1 stdout, 2 stderr), three zero bytes and the length (big-endian u32), then the bytes.
public enum StreamFrame {
    public static func frame(stream: UInt8, _ bytes: [UInt8]) -> [UInt8] {
        let count = UInt32(bytes.count)
        var result: [UInt8] = [stream, 0, 0, 0, UInt8(count >> 24), UInt8((count >> 16) & 0xFF),
            UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
        result.reserveCapacity(8 + bytes.count)
        result.append(contentsOf: bytes)
        return result
    }
}
