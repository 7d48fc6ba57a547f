#if canImport(Glibc)
import Glibc
#endif
import StackAPI
import StackCore
import Store
import Synchronization

/// Healthchecks run by stackd: the probe is an exec in the container, on the container's
/// interval (the start interval during the start period); its result moves the container's
/// health between starting, healthy and unhealthy, as Docker's does.
extension ContainerEngine {
    /// Begin probing a container that just started (or was re-adopted running).
    func startHealthChecks(_ id: String, stored: StoredConfig) {
        stopHealthChecks(id)
        guard let plan = HealthCheckPlan(stored.request.healthcheck) else { return }
        health[id] = HealthState(status: "starting")
        let began = ContinuousClock.now
        healthChecks[id] = Task { [weak self] in
            while !Task.isCancelled {
                let inStartPeriod = ContinuousClock.now - began < .nanoseconds(plan.startPeriod)
                try? await Task.sleep(for: .nanoseconds(inStartPeriod ? plan.startInterval : plan.interval))
                guard !Task.isCancelled, let self else { return }
                let probe = await self.probe(id, plan: plan)
                guard !Task.isCancelled else { return }
                await self.recordProbe(id, probe, plan: plan, inStartPeriod: inStartPeriod)
            }
        }
    }

    /// Stop probing (the container stopped or is removed); its last health stays for inspect.
    func stopHealthChecks(_ id: String) {
        healthChecks.removeValue(forKey: id)?.cancel()
    }

    private func recordProbe(_ id: String, _ probe: HealthProbe, plan: HealthCheckPlan, inStartPeriod: Bool) {
        guard healthChecks[id] != nil else { return }
        let before = health[id] ?? HealthState()
        let after = plan.applying(probe, to: before, inStartPeriod: inStartPeriod)
        health[id] = after
        if after.status != before.status {
            // The one container event without the record at hand.
            let attributes = (try? store.containers.get(id)).map { Self.eventAttributes($0) } ?? [:]
            event(type: "container", action: "health_status: \(after.status)", actor: id, attributes: attributes)
        }
    }

    /// One probe: an exec of the plan's command whose output is kept (4 KiB at most); one that
    /// outlives the timeout is killed and counts as a failure (exit code -1).
    private func probe(_ id: String, plan: HealthCheckPlan) async -> HealthProbe {
        let start = TimeText.rfc3339(TimeText.now())
        let execID: String
        do {
            execID = try createExec(id, ExecRequest(cmd: plan.command))
        } catch {
            return HealthProbe(start: start, end: start, exitCode: -1, output: "\(error)")
        }
        let output = ProbeOutput()
        let (input, finished) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
        finished.finish()
        let client = ClientStream(input: input, write: { output.append($0) }, closeWrite: {})
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: .nanoseconds(plan.timeout))
            guard !Task.isCancelled, let self else { return }
            output.timedOut()
            await self.killExec(execID)
        }
        var exitCode = -1
        do {
            try await startExec(execID, client: client)
            exitCode = Int(execs[execID]?.exitCode ?? -1)
        } catch {
            output.append(Array("\(error)".utf8))
        }
        timeout.cancel()
        execs[execID] = nil
        let (text, timedOut) = output.result()
        return HealthProbe(
            start: start, end: TimeText.rfc3339(TimeText.now()), exitCode: timedOut ? -1 : exitCode,
            output: timedOut ? "Health check exceeded timeout" : text)
    }

    /// Kill a probe: its process in the container (from the runtime's pid file; the runtime
    /// does not pass SIGKILL on) and the runtime that waits for it.
    private func killExec(_ execID: String) {
        guard let exec = execs[execID] else { return }
        let pidFile = execPIDFile(exec.containerID, execID)
        if let text = FileSystem.readText(pidFile, limit: 64), let pid = Int32(text.filter(\.isNumber)), pid > 0 {
            _ = Glibc.kill(pid, SIGKILL)
        }
        if exec.pid > 0 { _ = Glibc.kill(exec.pid, SIGKILL) }
    }
}

/// What a probe printed (stdout and stderr, without their stream frames), at most 4 KiB.
final class ProbeOutput: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var timedOut = false
    }
    private let state = Mutex(State())

    func append(_ frame: [UInt8]) {
        // Frames are StreamFrame's: 8 header bytes, then the payload.
        let payload = frame.count > 8 && frame[1] == 0 && frame[2] == 0 && frame[3] == 0 ? Array(frame.dropFirst(8)) : frame
        state.withLock { state in
            if state.bytes.count < 4096 { state.bytes += payload.prefix(4096 - state.bytes.count) }
        }
    }

    func timedOut() { state.withLock { $0.timedOut = true } }

    func result() -> (String, Bool) {
        state.withLock { (String(decoding: $0.bytes, as: UTF8.self), $0.timedOut) }
    }
}
