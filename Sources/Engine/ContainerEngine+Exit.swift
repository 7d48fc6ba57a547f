import Monitor
import Runtime
import StackAPI
import StackCore
import Store

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension ContainerEngine {
    /// A monitor ended: record how its container exited (exit.json) and whether the OOM killer did
    /// it, and wake waiters at once; then clean up the runtime's container and the mount off the
    /// actor (other requests go on meanwhile), and remove `--rm` ones.
    func monitorEnded(_ id: String) async {
        PhaseClock.mark(id, "monitor-ended")
        guard var record = try? store.containers.get(id) else { return }
        guard record.state == .running || record.state == .paused else { return }
        let exit = (try? ExitRecord.read(directory: paths.container(id))) ?? nil
        let oomKilled = runtime.oomKilled(id)
        record.state = .exited
        record.pid = 0
        record.monitorPID = nil
        record.finishedAt = exit?.finishedDate?.timeIntervalSince1970 ?? TimeText.now()
        if let exit {
            record.exitCode = exit.exitCode
            record.oomKilled = oomKilled && exit.signal == SIGKILL
        } else {
            record.exitCode = 255
            record.error = "the container's monitor ended without recording an exit status"
        }
        let storedConfig = try? StoredConfig.decode(record.config, container: id)
        let restart = storedConfig.map { restartDecision(record, stored: $0) }?.delay
        if let restart {
            record.state = .restarting
            // Known from now on, though the timer is set once the clean-up below is done.
            restartDue[id] = TimeText.now() + restart
        }
        try? save(record)
        stopHealthChecks(id)
        stopNetworking(id)
        let autoRemove = storedConfig?.request.hostConfig.autoRemove ?? false
        if autoRemove {
            let now = TimeText.now()
            removedExits = removedExits.filter { now - $0.value.time < 300 }
            removedExits[id] = (record.exitCode ?? 255, now, nil)
        }
        containerEvent(record.oomKilled == true ? "oom" : "die", record, attributes: ["exitCode": "\(record.exitCode ?? 255)"])
        let status = ContainerWaitResponse(statusCode: record.exitCode ?? 255)
        // A `--rm` container's waiters (`run --rm`) are woken once it is gone, so that what the
        // caller does next no longer sees it; others at once.
        if !autoRemove {
            resumeWaiters(id, with: status)
            PhaseClock.mark(id, "waiters-resumed")
        }

        let runtime = self.runtime
        let rootfs = self.rootfs
        let target = paths.rootfs(id)
        let cleanup = Task {
            _ = try? await BlockingWork.run {
                if runtime.exists(id) { try? runtime.delete(id, force: true) }
                rootfs.unmount(target)
            }
        }
        cleanups[id] = cleanup
        await cleanup.value
        cleanups[id] = nil
        PhaseClock.mark(id, "cleaned-up")
        if let restart, !autoRemove {
            scheduleRestart(id, after: restart)
        }
        if autoRemove {
            // In the same turn of the actor as the removal: no request runs in between.
            resumeWaiters(id, with: status)
            try? discard(id)
            PhaseClock.mark(id, "removed")
        }
    }

    /// Wait for the clean-up after an exit of `id`, if one is under way (a start or removal must
    /// not race it).
    func awaitCleanup(_ id: String) async {
        if let cleanup = cleanups[id] { await cleanup.value }
    }

    /// `POST /containers/{id}/wait`: the exit status once it stops (at once when already stopped
    /// and `condition` is not `next-exit`).
    public func wait(_ reference: String, condition: String?) async throws -> ContainerWaitResponse {
        let record: Store.ContainerRecord
        do {
            record = try self.record(reference)
        } catch {
            // A `--rm` container removed since it stopped: its status is still known by id.
            if let removed = removedExits.first(where: { $0.key == reference || $0.key.hasPrefix(reference) && reference.count >= 12 }) {
                return ContainerWaitResponse(statusCode: removed.value.status, error: removed.value.error)
            }
            throw error
        }
        if record.state == .created, let error = record.error, !error.isEmpty {
            return ContainerWaitResponse(statusCode: -1, error: error)
        }
        let stopped = record.state == .exited || record.state == .created || record.state == .dead
        if condition == "removed" { return await waitRemoved(record, stopped: stopped) }
        if stopped && condition != "next-exit" {
            return ContainerWaitResponse(statusCode: record.exitCode ?? 0)
        }
        return await waitNext(record.id)
    }

    /// `condition=removed` (`run --rm` waits so): the exit status once the container is gone, so
    /// the caller returns after the removal, as Docker's CLI does.
    private func waitRemoved(_ record: Store.ContainerRecord, stopped: Bool) async -> ContainerWaitResponse {
        var response = stopped ? ContainerWaitResponse(statusCode: record.exitCode ?? 0) : await waitNext(record.id)
        // `discard` wakes the waiters of the container it removes ("container removed").
        while (try? store.containers.get(record.id)) != nil {
            let next = await waitNext(record.id)
            if next.error == Self.cancelledWait { return next }
            if next.error != "container removed" { response = next }
        }
        if let removed = removedExits[record.id] {
            response = ContainerWaitResponse(statusCode: removed.status, error: removed.error)
        }
        return response
    }

    /// Wait up to `seconds` for `id` to stop; true when it did.
    func waitForExit(_ id: String, seconds: Double) async -> Bool {
        guard let record = try? store.containers.get(id), record.state == .running || record.state == .paused else {
            return true
        }
        let engine = self
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                let response = await engine.waitNextIfRunning(id)
                return response.error != ContainerEngine.cancelledWait
            }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    static let cancelledWait = "wait cancelled"

    /// `waitNext`, or at once when `id` has stopped meanwhile: its exit may have been handled
    /// between the caller's check and this task reaching the actor, and no exit would follow.
    private func waitNextIfRunning(_ id: String) async -> ContainerWaitResponse {
        guard let record = try? store.containers.get(id),
            record.state == .running || record.state == .paused || record.state == .restarting
        else { return ContainerWaitResponse(statusCode: (try? store.containers.get(id))?.exitCode ?? 0) }
        return await waitNext(id)
    }

    /// The next exit of `id`; a cancelled task gets `cancelledWait` as its error at once.
    func waitNext(_ id: String) async -> ContainerWaitResponse {
        let token = nextWaiterToken()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: ContainerWaitResponse(statusCode: -1, error: Self.cancelledWait))
                } else {
                    waiters[id, default: [:]][token] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id, token) }
        }
    }

    private func nextWaiterToken() -> Int {
        waiterSequence += 1
        return waiterSequence
    }

    private func cancelWaiter(_ id: String, _ token: Int) {
        guard let continuation = waiters[id]?.removeValue(forKey: token) else { return }
        continuation.resume(returning: ContainerWaitResponse(statusCode: -1, error: Self.cancelledWait))
    }

    func resumeWaiters(_ id: String, with response: ContainerWaitResponse) {
        let pending = waiters.removeValue(forKey: id) ?? [:]
        for continuation in pending.values { continuation.resume(returning: response) }
    }

    /// At daemon start: watch the monitors of containers that ran while stackd was away, and
    /// record the exits of those that ended meanwhile; remove `--rm` containers that ended.
    public func readopt() async {
        guard let records = try? store.containers.list(all: true) else { return }
        for record in records where record.state == .running || record.state == .paused {
            if let monitor = record.monitorPID, monitors.isMonitor(pid: monitor, containerID: record.id) {
                watch(record)
                if let stored = try? StoredConfig.decode(record.config, container: record.id) {
                    startHealthChecks(record.id, stored: stored)
                }
            } else {
                await monitorEnded(record.id)
            }
        }
    }

    /// After `readopt` and the network reconciliation: restart policies take over again.
    public func resumeSupervision() async {
        await restartWithDaemon()
    }
}
