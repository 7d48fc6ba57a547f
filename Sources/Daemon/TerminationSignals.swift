#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM and SIGINT, handled by waiting for them (`sigwait`) on a thread of their own.
///
/// Call `block()` first thing in `main`, before any thread exists, so every thread inherits the
/// blocked mask and the signals stay pending until `wait()` takes them. Children must reset their
/// signal mask (posix_spawn's `POSIX_SPAWN_SETSIGMASK`; LinuxOS's `cr_spawn` does).
public enum TerminationSignals {
    public static let handled: [Int32] = [SIGTERM, SIGINT]

    /// Block SIGTERM/SIGINT in the calling thread (and so in threads created after) and ignore SIGPIPE.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGPIPE, SIG_IGN)
    }

    /// The next SIGTERM or SIGINT sent to the process, taken by `sigwait` on a thread of its own.
    public static func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let context = Unmanaged.passRetained(Waiter(continuation)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                guard let raw else { return nil }
                let waiter = Unmanaged<Waiter>.fromOpaque(raw).takeRetainedValue()
                var set = TerminationSignals.signalSet()
                var received: Int32 = 0
                while sigwait(&set, &received) != 0 {}
                waiter.continuation.resume(returning: received)
                return nil
            }, context)
            if status == 0 {
                pthread_detach(thread)
            } else {
                // No thread, no signal waiting: stop at once rather than never.
                Unmanaged<Waiter>.fromOpaque(context).release()
                continuation.resume(returning: SIGTERM)
            }
        }
    }

    private final class Waiter {
        let continuation: CheckedContinuation<Int32, Never>
        init(_ continuation: CheckedContinuation<Int32, Never>) { self.continuation = continuation }
    }

    static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in handled { sigaddset(&set, signal) }
        return set
    }

    /// `SIGTERM` for 15, the number otherwise.
    public static func name(_ signal: Int32) -> String {
        switch signal {
        case SIGTERM: return "SIGTERM"
        case SIGINT: return "SIGINT"
        default: return "signal \(signal)"
        }
    }
}
