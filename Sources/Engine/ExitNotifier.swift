/// Tells the engine when a monitor process ends (its container has then ended and exit.json is
/// written). The real one is `ProcessExitWatcher` (pidfds); a fake ends "processes" on demand.
public protocol ExitNotifier: Sendable {
    /// Call `handler` once process `pid` has ended — at once when it already has. Returns false
    /// when `pid` was already gone.
    @discardableResult
    func watch(pid: Int32, handler: @escaping @Sendable () -> Void) -> Bool
}

extension ProcessExitWatcher: ExitNotifier {}
