import Foundation

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

    /// The next SIGTERM or SIGINT sent to the process.
    public static func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var set = signalSet()
                var received: Int32 = 0
                while sigwait(&set, &received) != 0 {}
                continuation.resume(returning: received)
            }
            thread.name = "stackd-signals"
            thread.start()
        }
    }

    private static func signalSet() -> sigset_t {
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
