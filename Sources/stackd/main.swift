import Daemon
import Dispatch

// Synchronous top-level code, so this runs on the process's main thread before any other thread
// exists: SIGTERM/SIGINT are blocked everywhere and stay pending for TerminationSignals.wait().
// (With `await` at top level the code may run off the main thread, which keeps them unblocked.)
TerminationSignals.block()

let command: StackdCommand
do {
    command = try StackdCommand.parse()
} catch {
    StackdCommand.exit(withError: error)
}
let finished = DispatchSemaphore(value: 0)
Task.detached {
    do {
        try await command.serve()
    } catch {
        StackdCommand.exit(withError: error)
    }
    finished.signal()
}
finished.wait()
