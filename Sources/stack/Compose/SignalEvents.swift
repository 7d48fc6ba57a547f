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

/// SIGINT and SIGTERM (or other signals) caught instead of ending the process: a handler
/// (sigaction, whichever thread gets the signal) writes them into a pipe that a thread reads
/// and hands to the current handler. Until a handler is set (while `up`'s plan runs), the first
/// signal is held and `notice` printed; a second ends the process with 130 at once. `cancel()`
/// puts the default actions back. One at a time per process.
final class SignalEvents: @unchecked Sendable {
    /// Gets each signal; `held` when it arrived before the handler was set.
    typealias Handler = @Sendable (_ number: Int32, _ held: Bool) -> Void

    private let signals: [Int32]
    private var pipeEnds: [Int32] = [-1, -1]
    private let lock = NSLock()
    /// Guarded by `lock`.
    private var handler: Handler?
    private var held: [Int32] = []

    init(_ signals: [Int32] = [SIGINT, SIGTERM], notice: String) {
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
        let reader = pipeEnds[0]
        let thread = Thread { [self] in
            while true {
                var byte: UInt8 = 0
                let count = read(reader, &byte, 1)
                if count == 1 {
                    arrived(Int32(byte), notice: notice)
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            close(reader)
        }
        thread.start()
    }

    private func arrived(_ number: Int32, notice: String) {
        lock.lock()
        if let handler {
            lock.unlock()
            handler(number, false)
            return
        }
        held.append(number)
        let count = held.count
        lock.unlock()
        if count == 1 {
            Output.line(notice)
        } else {
            exit(130)
        }
    }

    /// From now on signals go to `handler`; those held are handed over first.
    func deliver(to handler: @escaping Handler) {
        lock.lock()
        self.handler = handler
        let pending = held
        held = []
        lock.unlock()
        for number in pending { handler(number, true) }
    }

    /// Stop listening; the signals get their default actions again.
    func cancel() {
        for number in signals { signal(number, SIG_DFL) }
        if pipeEnds[1] >= 0 {
            signalPipe = -1
            close(pipeEnds[1])  // the reader sees the end and closes its side
            pipeEnds[1] = -1
        }
    }
}
