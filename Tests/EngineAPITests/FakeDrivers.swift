import Cgroups
import Engine
import Foundation
import Images
import Monitor
import StackCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Monitor exits on demand: `end(pid:)` runs what the engine asked to be told for that pid.
final class FakeExitNotifier: ExitNotifier {
    private struct State {
        var handlers: [Int32: @Sendable () -> Void] = [:]
        var ended: Set<Int32> = []
    }
    private let state = Mutex(State())

    func watch(pid: Int32, handler: @escaping @Sendable () -> Void) -> Bool {
        let gone = state.withLock { state -> Bool in
            if state.ended.contains(pid) { return true }
            state.handlers[pid] = handler
            return false
        }
        if gone { handler() }
        return !gone
    }

    /// The process `pid` ended: call its handler (once) on a thread of its own, as the real
    /// watcher calls it from its thread, not from inside the engine's call that ended it.
    func end(pid: Int32) {
        let handler = state.withLock { state in
            state.ended.insert(pid)
            return state.handlers.removeValue(forKey: pid)
        }
        guard let handler else { return }
        Thread { handler() }.start()
    }

    /// Pids the engine is waiting on.
    var watched: Set<Int32> { state.withLock { Set($0.handlers.keys) } }
}

/// A runtime that runs nothing: it keeps each container's status, records the calls it gets, and
/// ends a "container" like its monitor would (exit.json, then the monitor's exit) when told to or
/// when a signal it does not ignore arrives.
final class FakeRuntime: ContainerRuntimeDriver {
    enum Status: Sendable { case created, running, paused, stopped }

    struct Entry: Sendable {
        var status: Status
        var monitorPID: Int32
        var pid: Int32
        var directory: String
        var oomKilled = false
    }

    struct Signal: Sendable, Equatable {
        var id: String
        var signal: Int32
        var all: Bool
    }

    private struct State {
        var containers: [String: Entry] = [:]
        var signals: [Signal] = []
        var deleted: [String] = []
        var ignoredSignals: Set<Int32> = []
        var startFailure: String?
    }
    private let state = Mutex(State())
    let exits: FakeExitNotifier

    init(exits: FakeExitNotifier) { self.exits = exits }

    // MARK: what tests set and read

    /// Signals that leave a container running (every other signal ends it with 128+N).
    func ignore(_ signals: Set<Int32>) { state.withLock { $0.ignoredSignals = signals } }
    /// Make `start` fail with this message.
    func failStart(_ message: String?) { state.withLock { $0.startFailure = message } }
    /// Every signal the engine asked for, in order (also to containers that had ended).
    var signals: [Signal] { state.withLock { $0.signals } }
    var deleted: [String] { state.withLock { $0.deleted } }
    func entry(_ id: String) -> Entry? { state.withLock { $0.containers[id] } }

    /// What the monitor fake does once it "created" a container.
    func created(id: String, monitorPID: Int32, pid: Int32, directory: String) {
        state.withLock {
            $0.containers[id] = Entry(status: .created, monitorPID: monitorPID, pid: pid, directory: directory)
        }
    }

    /// The container's process ends: with `signal`, the code is 128+signal. exit.json is written
    /// as stack-monitor writes it, then the monitor "exits".
    func end(_ id: String, code: Int32, signal: Int32? = nil, oomKilled: Bool = false) {
        let ended = state.withLock { state -> Entry? in
            guard var entry = state.containers[id], entry.status != .stopped else { return nil }
            entry.status = .stopped
            entry.oomKilled = oomKilled
            state.containers[id] = entry
            return entry
        }
        guard let ended else { return }
        let record = ExitRecord(
            pid: ended.pid, exitCode: signal.map { 128 + $0 } ?? code, signal: signal,
            finishedAt: TimeText.rfc3339(TimeText.now()))
        if let data = try? JSONEncoder().encode(record) {
            _ = FileManager.default.createFile(atPath: ended.directory + "/exit.json", contents: data)
        }
        exits.end(pid: ended.monitorPID)
    }

    // MARK: ContainerRuntimeDriver

    func exists(_ id: String) -> Bool { state.withLock { $0.containers[id] != nil } }

    func start(_ id: String) throws(StackError) {
        let failure: StackError? = state.withLock { state in
            if let message = state.startFailure { return StackError(.system, message) }
            guard state.containers[id]?.status == .created else {
                return StackError(.invalidArgument, "cannot start a container that is not created")
            }
            state.containers[id]?.status = .running
            return nil
        }
        if let failure { throw failure }
    }

    func kill(_ id: String, signal: Int32, all: Bool) throws(StackError) {
        let ends = try state.withLock { (state) throws(StackError) -> Bool in
            // Every signal asked for is recorded, also those too late for a container that ended.
            state.signals.append(Signal(id: id, signal: signal, all: all))
            guard let entry = state.containers[id], entry.status != .stopped else {
                throw StackError(.invalidArgument, "container not running")
            }
            return !state.ignoredSignals.contains(signal)
        }
        if ends { end(id, code: 0, signal: signal) }
    }

    func delete(_ id: String, force: Bool) throws(StackError) {
        let running = state.withLock { state -> Bool in
            guard let entry = state.containers[id] else { return false }
            return entry.status != .stopped && entry.status != .created
        }
        if running && !force { throw StackError(.invalidArgument, "container is running") }
        if running { end(id, code: 0, signal: SIGKILL) }
        state.withLock { state in
            state.containers[id] = nil
            state.deleted.append(id)
        }
    }

    func pause(_ id: String) throws(StackError) { try move(id, from: .running, to: .paused) }
    func resume(_ id: String) throws(StackError) { try move(id, from: .paused, to: .running) }

    private func move(_ id: String, from: Status, to: Status) throws(StackError) {
        try state.withLock { (state) throws(StackError) in
            guard state.containers[id]?.status == from else {
                throw StackError(.invalidArgument, "container \(id) is not \(from)")
            }
            state.containers[id]?.status = to
        }
    }

    func processes(_ id: String) throws(StackError) -> [Int32] {
        guard let entry = entry(id) else { throw StackError(.notFound, "container \(id) does not exist") }
        return [entry.pid]
    }

    func stats(_ id: String) throws(StackError) -> CgroupStats {
        guard entry(id) != nil else { throw StackError(.notFound, "container \(id) does not exist") }
        var stats = CgroupStats()
        stats.memory.usage = 1 << 20
        stats.memory.limit = 64 << 20
        stats.pids.current = 1
        return stats
    }

    func oomKilled(_ id: String) -> Bool { entry(id)?.oomKilled ?? false }
}

/// A monitor that starts nothing: it hands out made-up pids and "creates" the container in the
/// fake runtime, or fails as told.
final class FakeMonitor: MonitorDriver {
    private struct State {
        var launches: [MonitorOptions] = []
        var failure: String?
        /// Far above any real pid_max, so no real process is ever meant.
        var nextPID: Int32 = 900_000_000
    }
    private let state = Mutex(State())
    let runtime: FakeRuntime

    init(runtime: FakeRuntime) { self.runtime = runtime }

    /// Make the next launches fail with this message (as the runtime's stderr would read).
    func fail(_ message: String?) { state.withLock { $0.failure = message } }
    var launches: [MonitorOptions] { state.withLock { $0.launches } }

    func launch(_ options: MonitorOptions) throws(StackError) -> MonitorResult {
        let outcome: Result<Int32, StackError> = state.withLock { state in
            state.launches.append(options)
            if let failure = state.failure { return .failure(StackError(.system, failure)) }
            state.nextPID += 2
            return .success(state.nextPID)
        }
        let monitorPID = try outcome.get()
        runtime.created(id: options.id, monitorPID: monitorPID, pid: monitorPID + 1, directory: options.directory)
        return MonitorResult(monitorPid: monitorPID, containerPid: monitorPID + 1)
    }

    func isMonitor(pid: Int32, containerID: String) -> Bool {
        guard let entry = runtime.entry(containerID) else { return false }
        return entry.monitorPID == pid && entry.status != .stopped
    }
}

/// Mounts that only exist in a set: tests ask what is still "mounted".
final class FakeRootfs: RootfsDriver {
    private struct State {
        var mounted: Set<String> = []
        var mounts: [OverlayRootfs] = []
    }
    private let state = Mutex(State())

    var mounted: Set<String> { state.withLock { $0.mounted } }
    var mounts: [OverlayRootfs] { state.withLock { $0.mounts } }

    func isMounted(_ target: String) -> Bool { state.withLock { $0.mounted.contains(target) } }

    func mount(_ overlay: OverlayRootfs) throws(StackError) {
        for directory in overlay.lowerDirectories + [overlay.upperDirectory, overlay.workDirectory, overlay.target]
            .compactMap({ $0 })
        where access(directory, F_OK) != 0 {
            throw StackError(.system, "overlay: \(directory) does not exist")
        }
        state.withLock { state in
            state.mounted.insert(overlay.target)
            state.mounts.append(overlay)
        }
    }

    func unmount(_ target: String) { _ = state.withLock { $0.mounted.remove(target) } }
}
