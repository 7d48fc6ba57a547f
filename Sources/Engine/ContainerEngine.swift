#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
#endif
import Images
import Runtime
import StackAPI
import StackCore
import Store

/// The daemon's container service: it owns every change to containers (create, start, stop,
/// remove …), records them in the store, and learns of exits from the monitors. One actor, so
/// changes to one container never interleave.
public actor ContainerEngine {
    let paths: EnginePaths
    let store: StateStore
    let images: ImageStore
    let runtime: ContainerOperations
    let watcher: ProcessExitWatcher
    /// Callers of `wait` per container id, resumed with the exit status when it stops.
    var waiters: [String: [Int: CheckedContinuation<ContainerWaitResponse, Never>]] = [:]
    var waiterSequence = 0
    /// Containers being removed because they asked for it (`--rm`), so a racing `rm` is quiet.
    var autoRemoving: Set<String> = []
    /// Exit statuses of `--rm` containers removed in the last minutes, for a `wait` that arrives
    /// after the removal (`run --rm` asks once the output ended).
    var removedExits: [String: (status: Int32, time: Double, error: String?)] = [:]
    /// Clean-ups after exits under way, by container id.
    var cleanups: [String: Task<Void, Never>] = [:]
    /// Exec instances by id.
    var execs: [String: ExecInstance] = [:]

    public init(paths: EnginePaths, store: StateStore, images: ImageStore) throws(StackError) {
        self.paths = paths
        self.store = store
        self.images = images
        self.runtime = ContainerOperations(store: StateDirectory(root: paths.runtimeRoot), log: RuntimeLog(file: nil))
        self.watcher = try ProcessExitWatcher()
        try FileSystem.makeDirectory(paths.containers, mode: 0o711)
    }

    /// The record of `reference` (full id, name, or unique id prefix).
    func record(_ reference: String) throws(StackError) -> Store.ContainerRecord {
        try store.containers.resolve(reference)
    }

    /// Persist a changed record.
    func save(_ record: Store.ContainerRecord) throws(StackError) {
        try store.containers.update(record)
    }
}

extension ContainerEngine {
    /// Record an event in the store's log (best effort: a failure to log never fails the change).
    func event(type: String, action: String, actor: String, attributes: [String: String]) {
        _ = try? store.events.append(
            EventRecord(seq: 0, time: TimeText.now(), type: type, action: action, actorID: actor, attributes: attributes))
    }
}
