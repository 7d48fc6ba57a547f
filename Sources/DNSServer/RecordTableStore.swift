import DNS
import Synchronization

/// The record table as an immutable snapshot, swapped whole on every update: a reader takes the
/// current snapshot (one uncontended lock and a retain) and keeps it for a batch of queries, so it
/// sees either the old table or the new one, never a half-made change.
final class RecordTableStore: Sendable {
    final class Snapshot: Sendable {
        let table: RecordTable
        let version: UInt64
        init(table: RecordTable, version: UInt64) {
            self.table = table
            self.version = version
        }
    }

    private let current: Mutex<Snapshot>
    /// Serializes writers so two updates never build on the same old table.
    private let writer = Mutex<Void>(())

    init(_ table: RecordTable) {
        current = Mutex(Snapshot(table: table, version: 0))
    }

    func read() -> Snapshot {
        current.withLock { $0 }
    }

    func update(_ change: (inout RecordTable) -> Void) {
        writer.withLock { _ in
            let old = read()
            var table = old.table
            change(&table)
            let next = Snapshot(table: table, version: old.version &+ 1)
            current.withLock { $0 = next }
        }
    }
}
