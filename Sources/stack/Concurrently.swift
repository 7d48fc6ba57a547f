import Dispatch

/// Runs `background` on another thread while `foreground` runs on this one, and returns both
/// results. Used where two independent steps can share the machine's cores.
func concurrently<A: Sendable, B>(
    _ background: @escaping @Sendable () -> A, _ foreground: () -> B
) -> (A, B) {
    let slot = ResultSlot<A>()
    let done = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        slot.value = background()
        done.signal()
    }
    let b = foreground()
    done.wait()
    // The semaphore orders the write before this read.
    guard let a = slot.value else { preconditionFailure("background work finished without a result") }
    return (a, b)
}

/// Hands one value from a background thread to the waiting one (ordered by a semaphore).
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
}
