#if canImport(FoundationEssentials)
import FoundationEssentials
#else
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#endif
import Images
import LinuxOS
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
    /// `POST /containers/{id}/start`: mount the root filesystem, start the monitor (which runs
    /// `stack-runtime create` under it), then let the container's process go. `beforeStart` runs
    /// between the two (attach connects there, so no output is missed).
    /// `manual` is false for starts of the restart policy (a manual start clears a manual stop).
    public func start(
        _ reference: String, manual: Bool = true, restart: Bool = false,
        beforeStart: (@Sendable (String) async throws -> Void)? = nil
    ) async throws -> Void {
        await awaitCleanup(try record(reference).id)
        var record = try record(reference)
        if manual {
            unlink(manualStopMarker(record.id))
            if record.state == .exited || record.state == .created { cancelRestart(record.id) }
        }
        switch record.state {
        case .running: throw StackError(.notModified, "container \(record.name) is already running")
        // A restart policy's own start goes from `restarting` straight to `running` (nobody sees it exited between).
        case .restarting where manual: throw StackError(.notModified, "container \(record.name) is already running")
        case .restarting: break
        case .paused: throw StackError(.conflict, "cannot start a paused container, try unpause instead")
        case .removing, .dead: throw StackError(.conflict, "container \(record.name) is marked for removal and cannot be started")
        case .created, .exited: break
        }
        let id = record.id
        // One start at a time per container; stop and remove wait for one under way.
        guard startsInFlight[id] == nil else { throw StackError(.notModified, "container \(record.name) is already starting") }
        startsInFlight[id] = []
        defer { finishStart(id) }
        PhaseClock.mark(id, "start")
        let stored = try StoredConfig.decode(record.config, container: id)
        try mountRootfs(record)
        try prepareMounts(id, stored: stored)  // volumes: bind sources, copy-up
        PhaseClock.mark(id, "mounted")
        do {
            try startNetworking(record, stored: stored)
        } catch {
            unmountRootfs(id)
            startFailed(&record, stored: stored, error: "\(error)")
            throw ContainerStartError(message: "\(error)")
        }
        PhaseClock.mark(id, "network")
        FileSystem.removeTree(paths.exitFile(id))
        // A leftover runtime container (an earlier exit not yet cleaned) would make create fail.
        if runtime.exists(id) { try? runtime.delete(id, force: true) }
        let options = MonitorOptions(
            id: id, bundle: paths.container(id), runtime: paths.runtimeBinary, runtimeRoot: paths.runtimeRoot,
            directory: paths.container(id), logFile: paths.log(id), logMaxSize: stored.logRotation.maxSize,
            logMaxFiles: stored.logRotation.maxFiles, openStdin: stored.request.openStdin, terminal: stored.request.tty)
        let launched: MonitorResult
        do {
            // Off the actor: the monitor runs `stack-runtime create` (~20 ms), and other
            // containers' starts (a whole stack's) go on meanwhile.
            let monitors = self.monitors
            launched = try await BlockingWork.run { () throws(StackError) -> MonitorResult in try monitors.launch(options) }
        } catch {
            stopNetworking(id)
            unmountRootfs(id)
            startFailed(&record, stored: stored, error: "\(error)")
            throw ContainerStartError(message: "\(error)")
        }
        PhaseClock.mark(id, "monitor-launched")
        // The record as it is now: other requests ran while the monitor was launched (a rename).
        if let fresh = try? store.containers.get(id) { record = fresh }
        // A restart policy's start counts once the container runs (or fails to), not before.
        if restart { record.restartCount += 1 }
        record.pid = launched.containerPid
        record.monitorPID = launched.monitorPid
        record.error = nil
        do {
            if let beforeStart { try await beforeStart(id) }
            try runtime.start(id)
            PhaseClock.mark(id, "started")
        } catch {
            // The container was created but cannot run: kill it; its monitor then ends, and the
            // exit handler records the exit and cleans up (runtime state, mount, --rm) as for
            // any other end.
            try? runtime.kill(id, signal: SIGKILL, all: true)
            record.state = .running
            record.error = "\(error)"
            try? save(record)
            watch(record)
            throw ContainerStartError(message: "\(error)")
        }
        record.state = .running
        record.startedAt = TimeText.now()
        record.finishedAt = nil
        record.exitCode = 0
        record.oomKilled = false
        try save(record)
        if isOnUserNetwork(id) { refreshDNS() }
        startHealthChecks(id, stored: stored)
        containerEvent("start", record)
        watch(record)
        PhaseClock.mark(id, "start-recorded")
    }

    /// Wait while a start of `id` is under way (its monitor is being launched off the actor).
    func awaitStart(_ id: String) async {
        guard startsInFlight[id] != nil else { return }
        await withCheckedContinuation { continuation in startsInFlight[id, default: []].append(continuation) }
    }

    func finishStart(_ id: String) {
        for waiter in startsInFlight.removeValue(forKey: id) ?? [] { waiter.resume() }
    }

    /// Record why a start failed; a `--rm` container is removed, its failure kept for `wait`.
    func startFailed(_ record: inout Store.ContainerRecord, stored: StoredConfig, error: String) {
        record.error = error
        try? save(record)
        if stored.request.hostConfig.autoRemove && record.state == .created {
            removedExits[record.id] = (-1, TimeText.now(), error)
            try? discard(record.id)
        }
    }

    /// Learn when the monitor of `record` ends (it writes exit.json first).
    func watch(_ record: Store.ContainerRecord) {
        guard let monitor = record.monitorPID else { return }
        let id = record.id
        exits.watch(pid: monitor) { [weak self] in
            guard let self else { return }
            Task { await self.monitorEnded(id) }
        }
    }

    /// `POST /containers/{id}/kill`.
    public func kill(_ reference: String, signal: Int32) throws(StackError) {
        let record = try record(reference)
        if record.state == .restarting {
            throw StackError(.conflict, "container \(record.id) is restarting, wait until the container is running")
        }
        guard record.state == .running || record.state == .paused else {
            throw StackError(.conflict, "container \(record.id) is not running")
        }
        do {
            try runtime.kill(record.id, signal: signal, all: false)
        } catch {
            throw StackError(.conflict, "cannot kill container \(record.name): \(error.message)")
        }
        // A kill by hand (of a signal that ends it) is a manual stop: no restart follows.
        if signal == SIGKILL || signal == SIGTERM || signal == SIGINT { markManuallyStopped(record.id) }
        // As Docker: SIGKILL or the stop signal ends a paused container too, so it is thawed (a
        // frozen process cannot act on it); other signals wait for unpause.
        let stopSignal = (try? StoredConfig.decode(record.config, container: record.id))
            .flatMap { try? SignalName.parse($0.resolved.stopSignal ?? "SIGTERM") } ?? SIGTERM
        if record.state == .paused && (signal == SIGKILL || signal == stopSignal), (try? runtime.resume(record.id)) != nil {
            var thawed = record
            thawed.state = .running
            try? save(thawed)
        }
        containerEvent("kill", record, attributes: ["signal": "\(signal)"])
    }

    /// `POST /containers/{id}/stop`: the stop signal, then SIGKILL after `timeout` seconds.
    public func stop(_ reference: String, timeout: Int?) async throws {
        await awaitStart(try record(reference).id)
        var record = try record(reference)
        markManuallyStopped(record.id)
        if record.state == .restarting {
            // Waiting for its next start: it simply stays stopped.
            record.state = .exited
            try save(record)
            return
        }
        guard record.state == .running || record.state == .paused else {
            throw StackError(.notModified, "container \(record.name) is not running")
        }
        let stored = try StoredConfig.decode(record.config, container: record.id)
        let grace = timeout ?? stored.request.stopTimeout ?? 10
        let signal = (try? SignalName.parse(stored.resolved.stopSignal ?? "SIGTERM")) ?? SIGTERM
        if record.state == .paused { try? runtime.resume(record.id) }
        try? runtime.kill(record.id, signal: signal, all: false)
        if grace > 0, await waitForExit(record.id, seconds: Double(grace)) { return }
        try? runtime.kill(record.id, signal: SIGKILL, all: true)
        _ = await waitForExit(record.id, seconds: 30)
    }

    /// `POST /containers/{id}/restart`.
    public func restart(_ reference: String, timeout: Int?) async throws {
        let record = try record(reference)
        if record.state == .running || record.state == .paused { try await stop(record.id, timeout: timeout) }
        var again = try self.record(record.id)
        again.restartCount = again.restartCount + 1
        try save(again)
        try await start(record.id)
    }

    /// `POST /containers/{id}/pause` and `/unpause`: freeze or thaw its cgroup.
    public func pause(_ reference: String, paused: Bool) throws(StackError) {
        var record = try record(reference)
        if paused {
            guard record.state == .running else {
                throw StackError(.conflict, "container \(record.id) is not running")
            }
            try runtime.pause(record.id)
            record.state = .paused
        } else {
            guard record.state == .paused else { throw StackError(.conflict, "container \(record.id) is not paused") }
            try runtime.resume(record.id)
            record.state = .running
        }
        try save(record)
        containerEvent(paused ? "pause" : "unpause", record)
    }

    /// `DELETE /containers/{id}`: refused while it runs unless forced (then killed first).
    public func remove(_ reference: String, force: Bool, volumes: Bool = false) async throws {
        await awaitStart(try record(reference).id)
        let record = try record(reference)
        if record.state == .running || record.state == .paused || record.state == .restarting {
            guard force else {
                throw StackError(
                    .conflict,
                    "cannot remove container \"/\(record.name)\": container is running: stop the container before "
                        + "removing or force remove")
            }
            markManuallyStopped(record.id)
            if record.state == .restarting {
                var stopped = record
                stopped.state = .exited
                try save(stopped)
            } else {
                if record.state == .paused { try? runtime.resume(record.id) }
                try? runtime.kill(record.id, signal: SIGKILL, all: true)
                _ = await waitForExit(record.id, seconds: 30)
            }
        }
        await awaitCleanup(record.id)
        // A `--rm` container removed itself once it ended: that is what was asked.
        if (try? store.containers.get(record.id)) == nil { return }
        try discard(record.id, volumes: volumes)
    }

    /// Remove what is left of a stopped container: runtime state, mount, directory, record (and, with
    /// `volumes` or for `--rm`, its anonymous volumes).
    func discard(_ id: String, volumes: Bool = false) throws(StackError) {
        let anonymousVolumes = volumesToRemove(id, explicit: volumes)  // `rm -v`, `--rm`
        // Its labels, name and image, for the destroy event recorded once the record is gone.
        let gone = (try? store.containers.get(id)).map { Self.eventAttributes($0) } ?? [:]
        if runtime.exists(id) { try? runtime.delete(id, force: true) }
        unmountRootfs(id)
        FileSystem.removeTree(paths.container(id))
        try store.endpoints.deleteAll(container: id)
        try store.containers.delete(id)
        removeUnusedVolumes(anonymousVolumes)
        stopHealthChecks(id)
        health[id] = nil
        event(type: "container", action: "destroy", actor: id, attributes: gone)
        resumeWaiters(id, with: ContainerWaitResponse(statusCode: -1, error: "container removed"))
    }

    /// `POST /containers/{id}/rename`.
    public func rename(_ reference: String, to newName: String) throws(StackError) {
        let record = try record(reference)
        let bare = newName.hasPrefix("/") ? String(newName.dropFirst()) : newName
        try ContainerIdentity.validate(name: bare)
        if let other = try? store.containers.find(name: bare), other.id != record.id {
            throw StackError(.conflict, "the container name \"/\(bare)\" is already in use by container \"\(other.id)\"")
        }
        try store.containers.rename(record.id, to: bare)
        // A running container answers to its new name at once (a recreate renames its replacement).
        if record.state == .running || record.state == .paused, isOnUserNetwork(record.id) { refreshDNS() }
    }

    // MARK: root filesystem

    func mountRootfs(_ record: Store.ContainerRecord) throws(StackError) {
        let id = record.id
        guard let imageID = record.imageID else { throw StackError(.internalError, "container \(id) has no image") }
        try Directories.make(paths.upper(id), mode: 0o755)
        try Directories.make(paths.work(id), mode: 0o700)
        try Directories.make(paths.rootfs(id), mode: 0o755)
        if rootfs.isMounted(paths.rootfs(id)) { return }
        let layers = try images.layerPaths(try Digest(parsing: imageID))
        let overlay = OverlayRootfs(
            lowerDirectories: layers, upperDirectory: paths.upper(id), workDirectory: paths.work(id),
            target: paths.rootfs(id), linkDirectory: paths.container(id) + "/layers")
        try rootfs.mount(overlay)
    }

    func unmountRootfs(_ id: String) {
        rootfs.unmount(paths.rootfs(id))
    }
}

/// A start that failed: Docker's CLI exits 125, 126 (not executable) or 127 (not found) from it.
public struct ContainerStartError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
