#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StackAPI
import StackCore

/// Carries out a deployment's steps against a target: every step whose `after` steps are done
/// runs at once (up to `maxParallel` together), container starts first wait for their
/// `depends_on` conditions, and the first failure stops new steps from starting (those under
/// way end). What ran before stays as it was.
///
/// When `resuming` (finishing a deployment a crash interrupted), a step whose effect is
/// already there counts as done: the network or volume exists, the container exists with the
/// same configuration hash, a rename already happened.
public struct DeploymentRunner: Sendable {
    public let target: any DeploymentTarget
    /// At most this many steps at the same time.
    public var maxParallel = 8
    /// Seconds between two looks at a dependency's state.
    public var pollInterval = 0.05

    public init(target: any DeploymentTarget) {
        self.target = target
    }

    /// Checks that every step's `after` names an earlier step of the request.
    public static func validate(_ request: DeploymentRequest) throws(StackError) {
        var seen: Set<Int> = []
        for step in request.steps {
            for before in step.after where !seen.contains(before) {
                throw StackError(.invalidArgument, "deployment step \(step.id) comes after step \(before), which is not before it")
            }
            guard seen.insert(step.id).inserted else { throw StackError(.invalidArgument, "deployment step \(step.id) twice") }
        }
    }

    /// Runs the steps of `request` not in `done`. `stepDone` is called as each one ends, with
    /// the line to show; the result is nil when all ended, else the first failure, naming its step.
    public func run(
        _ request: DeploymentRequest, done: Set<Int> = [], resuming: Bool = false,
        stepDone: @escaping @Sendable (Int, String?) async -> Void
    ) async -> String? {
        let pending = request.steps.filter { !done.contains($0.id) }
        let (finished, failed) = await withTaskGroup(
            of: (Int, Result<String?, StepFailure>).self, returning: (Set<Int>, String?).self
        ) { group in
            var finished = done
            var running: Set<Int> = []
            var failure: String?
            while true {
                if failure == nil {
                    for step in pending where running.count < max(1, maxParallel) {
                        guard !finished.contains(step.id), !running.contains(step.id),
                            step.after.allSatisfy(finished.contains)
                        else { continue }
                        running.insert(step.id)
                        group.addTask {
                            do {
                                return (step.id, .success(try await perform(step, request: request, resuming: resuming)))
                            } catch {
                                var text = "step \(step.line): \(Self.message(error))"
                                if !step.onFailure.isEmpty {
                                    text += "; " + (await undo(step.onFailure))
                                }
                                return (step.id, .failure(StepFailure(text: text)))
                            }
                        }
                    }
                }
                guard let (id, result) = await group.next() else { break }
                running.remove(id)
                switch result {
                case .success(let line):
                    finished.insert(id)
                    await stepDone(id, line)
                case .failure(let error):
                    if failure == nil { failure = error.text }
                }
            }
            return (finished, failure)
        }
        var failure = failed
        if failure == nil, let stuck = pending.first(where: { !finished.contains($0.id) }) {
            failure = "step \(stuck.line): never became runnable"
        }
        return failure
    }

    /// Carry out a failed step's compensating actions (each tolerant of what is already so);
    /// says what was done, for the error.
    func undo(_ actions: [DeploymentAction]) async -> String {
        var done: [String] = []
        for action in actions {
            do {
                _ = try await act(action, resuming: true)
                done.append(Self.describe(action))
            } catch {
                return "rolling back failed at \(Self.describe(action)): \(Self.message(error))"
            }
        }
        return "rolled back: " + done.joined(separator: ", ")
    }

    static func describe(_ action: DeploymentAction) -> String {
        switch action {
        case .removeContainer(_, let name, _): return "removed \(displayName(name))"
        case .startContainer(let name): return "started \(name) again"
        default: return "\(action)"
        }
    }

    /// A replacement's temporary name (`0123456789ab_demo-web-1`) as the user knows it.
    static func displayName(_ name: String) -> String {
        let prefix = name.prefix(13)
        guard prefix.count == 13, prefix.last == "_", prefix.dropLast().allSatisfy(\.isHexDigit) else { return name }
        return String(name.dropFirst(13))
    }

    struct StepFailure: Error {
        var text: String
    }

    /// One step; the line to show when it ends (nil for quiet steps).
    func perform(_ step: DeploymentStep, request: DeploymentRequest, resuming: Bool) async throws -> String? {
        var warnings: [String] = []
        for wait in step.waits {
            do {
                try await satisfy(wait, timeout: request.waitTimeout)
            } catch where !wait.required {
                // Compose's words for `required: false`.
                var reason = Self.message(error)
                if reason.hasPrefix("dependency failed to start: ") { reason.removeFirst("dependency failed to start: ".count) }
                warnings.append("warning: optional dependency \"\(wait.service)\" failed to start: \(reason)")
            }
        }
        let line = try await act(step.action, resuming: resuming)
        return (warnings + [line].compactMap { $0 }).joined(separator: "\n").nilIfEmpty
    }

    /// The step's action; the line to show when it ends (nil for quiet steps).
    func act(_ action: DeploymentAction, resuming: Bool) async throws -> String? {
        switch action {
        case .createNetwork(let network):
            try await tolerate(resuming ? [.conflict] : []) { try await target.createNetwork(network) }
            return "✔ Network \(network.name)  Created"
        case .createVolume(let volume):
            try await tolerate(resuming ? [.conflict] : []) { try await target.createVolume(volume) }
            return "✔ Volume \(volume.name)  Created"
        case .createContainer(let name, let display, let request):
            do {
                try await target.createContainer(request, name: name)
            } catch let error as StackError where resuming && error.code == .conflict {
                // Created before the crash, if it carries the configuration asked for.
                let hash = "com.docker.compose.config-hash"
                guard let existing = await target.containerStatus(name), existing.labels[hash] == request.labels[hash] else {
                    throw error
                }
            }
            return "✔ Container \(display)  \(name == display ? "Created" : "Recreated")"
        case .startContainer(let name):
            try await tolerate([.notModified]) { try await target.startContainer(name) }
            return "✔ Container \(Self.displayName(name))  Started"
        case .unpauseContainer(let name):
            try await target.unpauseContainer(name)
            return "✔ Container \(name)  Unpaused"
        case .stopContainer(let id, let name, let timeout):
            try await tolerate([.notModified, .notFound]) { try await target.stopContainer(id, timeout: timeout) }
            return "✔ Container \(name)  Stopped"
        case .removeContainer(let id, let name, let volumes):
            try await tolerate([.notFound]) { try await target.removeContainer(id, volumes: volumes) }
            return "✔ Container \(name)  Removed"
        case .renameContainer(let from, let to):
            do {
                try await target.renameContainer(from, to: to)
            } catch let error as StackError where resuming && error.code == .notFound {
                guard await target.containerStatus(to) != nil else { throw error }
            }
            return nil
        case .removeNetwork(let name):
            try await tolerate([.notFound]) { try await target.removeNetwork(name) }
            return "✔ Network \(name)  Removed"
        case .removeVolume(let name):
            try await tolerate([.notFound]) { try await target.removeVolume(name) }
            return "✔ Volume \(name)  Removed"
        }
    }

    /// Runs `body`; a `StackError` with one of `codes` counts as success (the effect is there).
    func tolerate(_ codes: Set<StackError.Code>, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as StackError where codes.contains(error.code) {
            return
        }
    }

    /// Waits until every container of the dependency meets the condition; one that can no
    /// longer meet it, or a timeout, is an error.
    func satisfy(_ wait: DeploymentWait, timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        for name in wait.containers {
            let start = Date()
            while try await !met(wait.condition, name, service: wait.service, waited: Date().timeIntervalSince(start)) {
                if Date() > deadline {
                    throw StackError(.conflict, "timed out waiting for \(name) (\(wait.condition.rawValue))")
                }
                try await Task.sleep(nanoseconds: UInt64(pollInterval * 1_000_000_000))
            }
        }
    }

    /// Whether `name` meets `condition` now; one that never can is an error in Compose's words.
    /// `waited`: seconds spent waiting for this container so far.
    func met(_ condition: DeploymentWait.Condition, _ name: String, service: String, waited: Double = 1) async throws -> Bool {
        guard let state = await target.containerStatus(name) else {
            throw StackError(.notFound, "dependency failed to start: container \(name) does not exist")
        }
        switch condition {
        case .started:
            return state.running || state.status == "exited"
        case .healthy:
            if state.status == "exited" || state.status == "dead" {
                throw StackError(.conflict, "dependency failed to start: container \(name) exited (\(state.exitCode))")
            }
            guard let health = state.health else {
                // Compose first looks after half a second: a dependency that exits at once is
                // reported as exited, not as lacking a healthcheck.
                if waited < 0.5 { return false }
                throw StackError(.conflict, "dependency failed to start: container \(name) has no healthcheck configured")
            }
            if health == "unhealthy" { throw StackError(.conflict, "dependency failed to start: container \(name) is unhealthy") }
            return health == "healthy"
        case .completedSuccessfully:
            guard state.status == "exited" else { return false }
            if state.exitCode != 0 {
                throw StackError(.conflict, "service \"\(service)\" didn't complete successfully: exit \(state.exitCode)")
            }
            return true
        }
    }

    static func message(_ error: any Error) -> String {
        if let error = error as? StackError { return error.message }
        return "\(error)"
    }
}

extension String {
    /// nil for the empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
