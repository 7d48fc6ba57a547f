import StackAPI
import StackCore
import Store

/// Supervision: restart policies after an exit (with back-off), manual stops that cancel them,
/// and containers that come back when stackd starts.
extension ContainerEngine {
    /// The marker of a container stopped or killed by hand (a file, so it survives stackd).
    func manualStopMarker(_ id: String) -> String { paths.container(id) + "/manually-stopped" }

    func markManuallyStopped(_ id: String) {
        try? FileSystem.write(manualStopMarker(id), "")
        cancelRestart(id)
    }

    /// Called with the exit just recorded: the restart decision under the container's policy.
    func restartDecision(_ record: Store.ContainerRecord, stored: StoredConfig) -> RestartPolicyDecision {
        RestartPolicyDecision(
            policy: stored.request.hostConfig.restartPolicy, exitCode: record.exitCode ?? 255,
            restartCount: record.restartCount, manuallyStopped: FileSystem.exists(manualStopMarker(record.id)),
            previousDelay: restartDelays[record.id],
            ranFor: (record.finishedAt ?? 0) - (record.startedAt ?? 0))
    }

    /// Start `id` again after `delay` seconds, unless stopped, removed or started meanwhile.
    func scheduleRestart(_ id: String, after delay: Double) {
        restartDelays[id] = delay
        cancelRestart(id)
        restartDue[id] = TimeText.now() + delay
        restartTimers[id] = Task { [weak self] in
            try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
            guard !Task.isCancelled, let self else { return }
            await self.restartNow(id)
        }
    }

    private func restartNow(_ id: String) async {
        restartTimers[id] = nil
        restartDue[id] = nil
        guard let record = try? store.containers.get(id), record.state == .restarting else { return }
        do {
            try await start(id, manual: false, restart: true)
        } catch let error as StackError where error.code == .notModified {
            return  // started meanwhile (by hand, or a start was under way)
        } catch {
            // A failed start counts as a failed run: the policy decides again, with more back-off.
            guard var failed = try? store.containers.get(id), failed.state != .running,
                let stored = try? StoredConfig.decode(failed.config, container: id)
            else { return }
            failed.exitCode = failed.exitCode == 0 ? 255 : failed.exitCode
            if failed.restartCount == record.restartCount { failed.restartCount += 1 }  // the attempt counts
            let decision = restartDecision(failed, stored: stored)
            if let delay = decision.delay {
                failed.state = .restarting
                try? save(failed)
                scheduleRestart(id, after: delay)
            } else {
                failed.state = .exited
                try? save(failed)
            }
        }
    }

    /// Forget a pending restart (a manual stop, kill, start or removal).
    func cancelRestart(_ id: String) {
        restartTimers.removeValue(forKey: id)?.cancel()
        restartDue[id] = nil
    }

    /// At stackd start: containers that were waiting to restart, and those whose policy brings
    /// them back with the daemon (`always`; `unless-stopped` not stopped by hand), are started.
    func restartWithDaemon() async {
        var due: [String: Store.ContainerRecord] = [:]
        var candidates: [DaemonStartOrder.Candidate] = []
        for record in ((try? store.containers.list(all: true)) ?? []).reversed() {
            // Exits recorded by this start (readopt) already have their restart scheduled.
            guard restartTimers[record.id] == nil,
                record.state == .exited || record.state == .restarting, record.startedAt != nil,
                let stored = try? StoredConfig.decode(record.config, container: record.id)
            else { continue }
            let policy = stored.request.hostConfig.restartPolicy
            let manual = FileSystem.exists(manualStopMarker(record.id))
            guard record.state == .restarting || RestartPolicyDecision.startsWithDaemon(policy, manuallyStopped: manual)
            else { continue }
            due[record.id] = record
            candidates.append(DaemonStartOrder.Candidate(id: record.id, labels: record.labels))
        }
        // Dependencies first, as `up` would start them.
        for id in DaemonStartOrder.sorted(candidates) {
            guard let record = due[id] else { continue }
            // A restart that was due when the previous stackd ended counts as one.
            try? await start(record.id, manual: false, restart: record.state == .restarting)
        }
    }
}
