#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// A file sent as a stream of chunks (read on a worker thread).
enum FileStreaming {
    static func chunks(of path: String, removing: Bool) -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                continuation.finish(throwing: StackError(.system, "cannot open \(path)"))
                return
            }
            if removing { unlink(path) }
            let task = Task {
                do {
                    for try await chunk in try await Self.reads(fd) {
                        if Task.isCancelled { break }
                        continuation.yield(chunk)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private static func reads(_ fd: Int32) async throws -> AsyncThrowingStream<[UInt8], any Error> {
        AsyncThrowingStream { continuation in
            Task.detached {
                var buffer = [UInt8](repeating: 0, count: 1 << 20)
                while true {
                    let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { break }
                    continuation.yield(Array(buffer[0..<got]))
                }
                close(fd)
                continuation.finish()
            }
        }
    }
}
