import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Blocking file-descriptor I/O (pipes, Unix sockets, pty masters) kept off Swift's cooperative
/// threads: reads run on a dedicated thread that feeds an async stream, writes on their own thread.
enum FDStream {
    /// Everything read from `fd` until end-of-file or an error; `fd` is closed at the end when
    /// `closing`. A pty master's EIO (the other side closed) counts as end-of-file.
    static func reads(_ fd: Int32, closing: Bool = true) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let started = BlockingThread.run {
                var buffer = [UInt8](repeating: 0, count: 32768)
                while true {
                    let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if got > 0 {
                        continuation.yield(Array(buffer[0..<got]))
                        continue
                    }
                    if got < 0 {
                        let error = Errno.current
                        if error == .EINTR || error == .EAGAIN { continue }
                        if error != .EIO { continuation.finish(throwing: StackError.system("read", error)) }
                    }
                    break
                }
                if closing { close(fd) }
                continuation.finish()
            }
            if !started {
                if closing { close(fd) }
                continuation.finish(throwing: StackError(.system, "cannot start a reader thread"))
            }
        }
    }

    /// Write all of `bytes` to `fd` without blocking the caller's thread.
    static func write(_ fd: Int32, _ bytes: [UInt8]) async throws {
        let result: Errno? = await withCheckedContinuation { continuation in
            let started = BlockingThread.run {
                var offset = 0
                while offset < bytes.count {
                    let written = bytes.withUnsafeBytes { raw -> Int in
                        guard let base = raw.baseAddress else { return 0 }
                        return Glibc.write(fd, base + offset, raw.count - offset)
                    }
                    if written < 0 {
                        let error = Errno.current
                        if error == .EINTR || error == .EAGAIN { continue }
                        continuation.resume(returning: error)
                        return
                    }
                    offset += written
                }
                continuation.resume(returning: nil)
            }
            if !started { continuation.resume(returning: .EAGAIN) }
        }
        if let result { throw StackError.system("write", result) }
    }
}

/// A detached pthread running one closure.
enum BlockingThread {
    private final class Box: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    /// Start `body` on a new thread; false when the thread could not be made.
    @discardableResult
    static func run(_ body: @escaping @Sendable () -> Void) -> Bool {
        let box = Unmanaged.passRetained(Box(body))
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 256 * 1024)
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        defer { pthread_attr_destroy(&attributes) }
        var thread = pthread_t()
        let result = pthread_create(&thread, &attributes, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, box.toOpaque())
        if result != 0 {
            box.release()
            return false
        }
        return true
    }
}

/// Slow blocking work (unpacking an image, hashing a layer) on its own thread, awaited without
/// holding one of Swift's few cooperative threads.
public enum BlockingWork {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            let started = BlockingThread.run {
                do {
                    continuation.resume(returning: .success(try body()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !started { continuation.resume(returning: .failure(StackError(.system, "cannot start a worker thread"))) }
        }
        return try result.get()
    }
}
