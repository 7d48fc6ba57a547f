/// Undo actions collected while `create` makes things; run in reverse unless `commit()`ed.
final class CreateCleanup {
    private var actions: [() -> Void] = []
    private var committed = false

    func add(_ action: @escaping () -> Void) { actions.append(action) }

    func commit() { committed = true }

    func run() {
        guard !committed else { return }
        for action in actions.reversed() { action() }
        actions.removeAll()
    }

    deinit { run() }
}
