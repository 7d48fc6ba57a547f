import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The write end of the pipe `onSignal` reports to (set while a `SignalEvents` listens).
nonisolated(unsafe) private var signalPipe: Int32 = -1

/// The process's handler for the signals `SignalEvents` listens to: one byte, the signal's
/// number, into the pipe (async-signal-safe).
private func onSignal(_ number: Int32) {
    var byte = UInt8(truncatingIfNeeded: number)
    _ = write(signalPipe, &byte, 1)
}

/// SIGINT and SIGTERM (or other signals) delivered as an async stream instead of ending the
/// process: a handler (sigaction, whichever thread gets the signal) writes them into a pipe
/// that a thread reads. `cancel()` puts the default actions back. One at a time per process.
final class SignalEvents: @unchecked Sendable {
    /// The signals, in the order they arrive.
    let stream: AsyncStream<Int32>
    private let continuation: AsyncStream<Int32>.Continuation
    private let signals: [Int32]
    private var pipeEnds: [Int32] = [-1, -1]

    init(_ signals: [Int32] = [SIGINT, SIGTERM]) {
        (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        self.signals = signals
        guard pipe(&pipeEnds) == 0 else {
            // Without a pipe the signals keep their default actions (they end `up`).
            Terminal.err("stack: cannot catch signals: \(String(cString: strerror(errno)))\n")
            return
        }
        for end in pipeEnds { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        signalPipe = pipeEnds[1]
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = onSignal
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(number, &action, nil)
        }
        let (reader, continuation) = (pipeEnds[0], self.continuation)
        let thread = Thread {
            while true {
                var byte: UInt8 = 0
                let count = read(reader, &byte, 1)
                if count == 1 {
                    continuation.yield(Int32(byte))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(reader)
            continuation.finish()
        }
        thread.start()
    }

    /// Stop listening; the signals get their default actions again.
    func cancel() {
        for number in signals { signal(number, SIG_DFL) }
        if pipeEnds[1] >= 0 {
            signalPipe = -1
            close(pipeEnds[1])  // the reader sees the end, closes its side and finishes the stream
            pipeEnds[1] = -1
        }
    }
}
