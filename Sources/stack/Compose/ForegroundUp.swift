import APIClient
import Foundation
import Reconciler
import StackAPI

/// `up` in the foreground, once the plan is carried out (Compose's attached mode): the output
/// of the attached services' containers as prefixed lines, followed across restarts and
/// recreations (stackd's `/events`), `<name> exited with code N` as each one ends. It returns
/// when every watched container has exited, with 0, the code of the exit that aborted the stack
/// (`--abort-on-container-exit`/`-failure`), or `--exit-code-from`'s. SIGINT or SIGTERM stops the
/// stack's containers (reverse dependency order, not removed) and makes it 130; a second one
/// kills them.
actor ForegroundUp {
    /// One container of the project as the session knows it.
    struct Tracked {
        var id: String
        var name: String
        var service: String
        var tty: Bool
        /// Colour slot.
        var index: Int
        var attached: Bool
        var watched: Bool
        /// Exited for good, gone, or not run by this `up`: nothing to wait for.
        var done: Bool
        /// The timestamp of the last log entry printed (where a new follower goes on).
        var cursor: String
        var follower: Task<Void, Never>?
        /// Started again while a follower ran: follow once more when it ends.
        var again = false
    }

    let client: APIClient
    let project: String
    let options: ForegroundOptions
    let stopper: ProjectStopper
    /// When `up` began (before the plan ran): output and events from then on count.
    let since: Date
    let sinceText: String
    var prefix: LogPrefix

    private var containers: [String: Tracked] = [:]
    /// Ids of containers that are not the project's (or are gone).
    private var ignored: Set<String> = []
    private var exitCode: Int32 = 0
    private var capturedExitCodeFrom = false
    private var aborting = false
    private var stopping = false
    private var signals = 0
    private var finished = false
    private var finish: CheckedContinuation<Void, Never>?
    /// Exit lines waiting for their container's last output.
    private var pendingLines = 0
    /// The time of the last event handled, and the events of that time (nanoseconds).
    private var lastEvent: Int64?
    private var seenAtLast: Set<String> = []

    /// The notice of the first SIGINT/SIGTERM.
    static let stoppingNotice = "Gracefully stopping... (press Ctrl+C again to force)"

    private let signalEvents: SignalEvents

    /// `signals` caught since before the plan ran (`up` stops the stack at once if one came).
    init(client: APIClient, desired: DesiredState, options: ForegroundOptions, since: Date, signals: SignalEvents) {
        self.signalEvents = signals
        self.client = client
        self.project = desired.project
        self.options = options
        self.since = since
        self.sinceText = RFC3339Text.format(seconds: since.timeIntervalSince1970)
        stopper = ProjectStopper(client: client, desired: desired, timeout: options.timeout)
        let width = desired.services.filter { options.attach.contains($0.name) }.flatMap(\.containers).map(\.name.count).max()
        // Compose pads names to one more than the longest (`web-1  | `).
        prefix = LogPrefix(width: (width ?? 0) + 1, colour: options.colour, none: options.noLogPrefix)
    }

    /// Follow the stack until it is done; the exit status `up` ends with.
    func run() async throws -> Int32 {
        let events = try await EngineEventLine.stream(client, since: since.timeIntervalSince1970)
        try await adoptRunningContainers()
        let eventTask = Task.detached { await self.watch(events) }
        signalEvents.deliver { number, held in
            Task { await self.received(number, announced: held) }
        }
        checkDone()
        await withCheckedContinuation { continuation in
            if finished { continuation.resume() } else { finish = continuation }
        }
        eventTask.cancel()
        await drain()
        return signals > 0 ? 130 : exitCode
    }

    // MARK: Containers

    /// The project's containers when `up` attaches: those running, and those that ran since it
    /// began (their exits are among the recorded events), are waited for; attached ones are
    /// followed from `since` (a container that ran before `up` shows only its new output).
    private func adoptRunningContainers() async throws {
        let summaries = try await ProjectContainers.list(client, project: project, all: true)
        var attaching: [(tracked: Tracked, live: Bool, startedAt: String)] = []
        for summary in summaries {
            guard let inspect = try? await inspect(summary.id), var tracked = await track(summary.id, inspected: inspect)
            else { continue }
            let live = inspect.state.running || inspect.state.restarting || inspect.state.paused
            let ranSinceUp = inspect.state.finishedAt >= sinceText
            tracked.done = !(live || ranSinceUp)
            containers[summary.id] = tracked
            if tracked.attached && !tracked.done { attaching.append((tracked, live, inspect.state.startedAt)) }
        }
        guard !attaching.isEmpty else { return }
        Output.line("Attaching to \(attaching.map(\.tracked.name).joined(separator: ", "))")
        // In the order they started; the output of one that has already exited (an init
        // container the others waited for) is printed whole before the next one's.
        for (tracked, live, _) in attaching.sorted(by: { $0.startedAt < $1.startedAt }) {
            follow(tracked.id)
            if live { continue }
            for _ in 0..<100 where containers[tracked.id]?.follower != nil {
                try? await Task.sleep(nanoseconds: 20_000_000)
            }
        }
    }

    /// The container `id` if it is one of the project's services' (inspected the first time,
    /// unless the caller already has `inspected`).
    private func track(_ id: String, inspected: ContainerInspect? = nil) async -> Tracked? {
        if let known = containers[id] { return known }
        if ignored.contains(id) { return nil }
        var found = inspected
        if found == nil { found = try? await inspect(id) }
        guard let inspect = found else {
            ignored.insert(id)
            return nil
        }
        if let known = containers[id] { return known }
        let labels = inspect.config.labels
        guard labels[ComposeLabel.project] == project, labels[ComposeLabel.oneOff]?.lowercased() != "true",
            let service = labels[ComposeLabel.service]
        else {
            ignored.insert(id)
            return nil
        }
        let tracked = Tracked(
            id: id, name: Self.name(inspect), service: service, tty: inspect.config.tty, index: containers.count,
            attached: options.attach.contains(service), watched: options.watch.contains(service), done: true,
            cursor: sinceText)
        containers[id] = tracked
        return tracked
    }

    private func inspect(_ id: String) async throws -> ContainerInspect {
        try EngineConnection.decode(ContainerInspect.self, try await client.request("GET", "/containers/\(id)/json"))
    }

    private static func name(_ inspect: ContainerInspect) -> String {
        inspect.name.hasPrefix("/") ? String(inspect.name.dropFirst()) : inspect.name
    }

    // MARK: Events

    /// Handle `events`; when stackd goes away (killed, restarted), connect again (which starts it)
    /// and go on from the last event seen, for up to 15 s.
    private nonisolated func watch(_ first: AsyncThrowingStream<EngineEventLine, any Error>) async {
        var events = first
        while true {
            var failure: (any Error)? = nil
            do {
                for try await event in events { await handle(event) }
            } catch {
                failure = error
            }
            let finished = await isFinished
            if Task.isCancelled || finished { return }
            var reconnected: AsyncThrowingStream<EngineEventLine, any Error>? = nil
            for _ in 0..<60 where reconnected == nil && !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                reconnected = try? await EngineEventLine.stream(client, since: await resumeFrom)
            }
            guard let reconnected else {
                await eventsEnded(failure)
                return
            }
            events = reconnected
            await followAgain()
        }
    }

    private var isFinished: Bool { finished }

    /// Where a new event stream starts: the last event seen (replayed, and skipped as seen).
    private var resumeFrom: Double { lastEvent.map { Double($0) / 1e9 } ?? since.timeIntervalSince1970 }

    /// After stackd came back: follow again the attached containers whose followers ended.
    private func followAgain() {
        for tracked in containers.values where tracked.attached && !tracked.done && tracked.follower == nil {
            follow(tracked.id)
        }
    }

    private func handle(_ event: EngineEventLine) async {
        // Events at or before the last one handled come again after a reconnection.
        let key = "\(event.timeNano ?? 0) \(event.actor.id) \(event.action)"
        if let time = event.timeNano, let lastEvent {
            if time < lastEvent || (time == lastEvent && seenAtLast.contains(key)) { return }
        }
        if let time = event.timeNano {
            if time != lastEvent { seenAtLast = [] }
            lastEvent = time
            seenAtLast.insert(key)
        }
        guard event.type == "container", !finished else { return }
        let id = event.actor.id
        switch event.action {
        case "create", "start":
            guard await track(id) != nil else { return }
            if event.action == "start", let inspect = try? await inspect(id) {
                containers[id]?.name = Self.name(inspect)  // a recreated container is renamed after its creation
            }
            containers[id]?.done = false
            if event.action == "start" { follow(id) }
        case "die", "oom":
            guard let tracked = await track(id) else { return }
            let code = Int32(event.actor.attributes?["exitCode"] ?? "") ?? 255
            var restarting = false
            if let inspect = try? await inspect(id) {
                // Started again after this exit (a recorded event replayed), or about to be.
                let at = event.timeNano.map { RFC3339Text.format(nanoseconds: $0) } ?? ""
                restarting = inspect.state.startedAt > at || inspect.state.restarting || inspect.state.running
            }
            exited(tracked, code: code, restarting: restarting)
        case "destroy":
            guard containers[id] != nil else { return }
            containers[id]?.done = true
            checkDone()
        default:
            break
        }
    }

    /// A container ended: its exit line (after its last output), the wait, the cascade and the
    /// exit code.
    private func exited(_ tracked: Tracked, code: Int32, restarting: Bool) {
        let aborts = tracked.watched && !aborting && signals == 0
            && (options.cascade == .stop || (options.cascade == .fail && code != 0))
        let abortLine = Array("Aborting on container exit...\n".utf8)
        if tracked.attached {
            let line = prefix.status(
                name: tracked.name, index: tracked.index, "exited with code \(code)" + (restarting ? " (restarting)" : ""))
            pendingLines += 1
            let id = tracked.id
            Task.detached {
                // Give its follower a moment to print what the container wrote last.
                for _ in 0..<40 {
                    guard await self.isFollowing(id) else { break }
                    try? await Task.sleep(nanoseconds: 25_000_000)
                }
                Output.write(1, aborts ? line + abortLine : line)
                await self.linePrinted()
            }
        }
        if tracked.service == options.exitCodeFrom && !capturedExitCodeFrom {
            capturedExitCodeFrom = true
            exitCode = code
        }
        if !restarting { containers[tracked.id]?.done = true }
        guard tracked.watched else { return }
        if aborts {
            aborting = true
            if options.exitCodeFrom == nil || !capturedExitCodeFrom { exitCode = code }
            if !tracked.attached { Output.write(1, abortLine) }
            stop()
        }
        checkDone()
    }

    private func isFollowing(_ id: String) -> Bool { containers[id]?.follower != nil }

    private func linePrinted() { pendingLines -= 1 }

    private func eventsEnded(_ error: (any Error)?) {
        guard !finished else { return }
        Terminal.err("stack: up: the event stream from stackd ended\(error.map { ": \(ContainerActions.message($0))" } ?? "")\n")
        if exitCode == 0 { exitCode = 1 }
        finishNow()
    }

    private func checkDone() {
        guard !finished else { return }
        if containers.values.allSatisfy({ !$0.watched || $0.done }) { finishNow() }
    }

    private func finishNow() {
        finished = true
        finish?.resume()
        finish = nil
    }

    // MARK: Logs

    /// Follow `id`'s log from its cursor, unless a follower already runs (then once more after it).
    private func follow(_ id: String) {
        guard let tracked = containers[id], tracked.attached, !finished else { return }
        if tracked.follower != nil {
            containers[id]?.again = true
            return
        }
        let label = prefix.bytes(name: tracked.name, index: tracked.index)
        let (client, cursor, tty, timestamps) = (self.client, tracked.cursor, tracked.tty, options.timestamps)
        containers[id]?.follower = Task.detached {
            let query = [
                ("stdout", "1"), ("stderr", "1"), ("follow", "1"), ("timestamps", "1"), ("since", cursor), ("tail", "all"),
            ]
            var last: String? = cursor
            try? await ContainerLogLines.stream(
                client, id: id, tty: tty, query: query, cutTimestamps: true, keepTimestamps: timestamps, cursor: &last
            ) {
                Output.write($0, label + $1)
            }
            await self.followerEnded(id, last: last)
        }
    }

    private func followerEnded(_ id: String, last: String?) {
        guard containers[id] != nil else { return }
        containers[id]?.follower = nil
        if let last { containers[id]?.cursor = last }
        if containers[id]?.again == true {
            containers[id]?.again = false
            follow(id)
        }
    }

    /// After the end: let followers of stopped containers finish their output (a little while),
    /// cancel the rest, and print the exit lines still due.
    private func drain() async {
        for _ in 0..<60 {
            // Followers of containers still running (attached, not waited for) are not waited for.
            let waiting = containers.values.contains { $0.follower != nil && $0.done } || pendingLines > 0
            if !waiting { break }
            try? await Task.sleep(nanoseconds: 50_000_000)
        }
        for tracked in containers.values { tracked.follower?.cancel() }
    }

    // MARK: Stopping

    /// SIGINT/SIGTERM: the first stops the stack, the next kills it. One that came while the
    /// plan ran has been `announced` already.
    private func received(_ number: Int32, announced: Bool) {
        signals += 1
        if signals == 1 {
            if !announced { Output.line(Self.stoppingNotice) }
            if !stopping { stop() }
        } else if signals == 2 {
            let stopper = self.stopper
            Task {
                await stopper.kill()
                await self.sweep()
            }
        }
    }

    private func stop() {
        guard !stopping else { return }
        stopping = true
        let stopper = self.stopper
        Task {
            await stopper.stop()
            await self.sweep()
        }
    }

    /// Once the stops are through: a watched container that is no longer running counts as
    /// exited even if its event is late or lost (after a grace for the events to arrive).
    private func sweep() async {
        try? await Task.sleep(nanoseconds: 1_500_000_000)
        for tracked in containers.values where tracked.watched && !tracked.done && !finished {
            let inspect = try? await inspect(tracked.id)
            if let state = inspect?.state, state.running || state.restarting || state.paused { continue }
            containers[tracked.id]?.done = true
        }
        checkDone()
    }
}
