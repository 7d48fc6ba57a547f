#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StackAPI
import StackCore
import Store

/// stackd's deployments: each plan a client sends is journaled in the Store before its first
/// step, every finished step is recorded at once, and the plan runs in stackd, not in the
/// client: a client that goes away (Ctrl-C, a lost terminal) does not leave it half done, and
/// after a crash of stackd `resumeInterrupted()` finishes what the journal says is left.
public final class Deployments: Sendable {
    let store: StateStore
    let runner: DeploymentRunner
    let log: @Sendable (String) -> Void

    public init(store: StateStore, runner: DeploymentRunner, log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store
        self.runner = runner
        self.log = log
    }

    /// Journals `request` and starts it. Progress (a line per finished step, then a last line
    /// with `finished`) arrives on the stream; the deployment goes on when nobody reads it.
    /// Refused with `.conflict` while another deployment of the project runs.
    public func start(_ request: DeploymentRequest) throws(StackError) -> AsyncStream<DeploymentProgress> {
        try DeploymentRunner.validate(request)
        let plan: String
        do {
            plan = String(decoding: try JSONEncoder().encode(request), as: UTF8.self)
        } catch {
            throw StackError(.internalError, "deployment of \(request.project): \(error)")
        }
        let record = DeploymentRecord(
            id: ContainerIdentity.newID(), project: request.project, plan: plan, createdAt: Date().timeIntervalSince1970)
        try store.deployments.begin(record)
        let (stream, continuation) = AsyncStream.makeStream(of: DeploymentProgress.self, bufferingPolicy: .unbounded)
        let id = record.id
        Task {
            let error = await execute(request, id: id, done: [], resuming: false) { progress in
                continuation.yield(progress)
            }
            continuation.yield(DeploymentProgress(deployment: id, finished: true, error: error))
            continuation.finish()
        }
        return stream
    }

    /// Finishes the deployments a crash interrupted (those the journal still marks running),
    /// one after another; returns a line per deployment for stackd's log.
    public func resumeInterrupted() async -> [String] {
        var lines: [String] = []
        for record in (try? store.deployments.unfinished()) ?? [] {
            guard let request = try? JSONDecoder().decode(DeploymentRequest.self, from: Data(record.plan.utf8)) else {
                try? store.deployments.finish(record.id, state: .failed, error: "the journaled plan cannot be read")
                lines.append("deployment \(record.id) of \(record.project): the journaled plan cannot be read; dropped")
                continue
            }
            let left = request.steps.count - record.doneSteps.count
            let error = await execute(request, id: record.id, done: record.doneSteps, resuming: true) { _ in }
            lines.append(
                "deployment \(record.id) of \(record.project): \(left) step(s) left after a crash; "
                    + (error.map { "failed: \($0)" } ?? "finished"))
        }
        return lines
    }

    /// Runs the steps not yet done, journaling each as it ends; records the outcome.
    func execute(
        _ request: DeploymentRequest, id: String, done: Set<Int>, resuming: Bool,
        progress: @escaping @Sendable (DeploymentProgress) -> Void
    ) async -> String? {
        let store = self.store
        let log = self.log
        let error = await runner.run(request, done: done, resuming: resuming) { step, line in
            do {
                try store.deployments.markDone(id, step: step)
            } catch {
                log("deployment \(id): recording step \(step): \(error)")
            }
            progress(DeploymentProgress(deployment: id, step: step, message: line))
        }
        do {
            try store.deployments.finish(id, state: error == nil ? .done : .failed, error: error)
        } catch let failure {
            log("deployment \(id): recording its end: \(failure)")
        }
        return error
    }
}

extension Deployments {
    /// The project's journaled deployments, as the API shows them.
    public func journal(project: String) throws(StackError) -> [DeploymentSummary] {
        try store.deployments.list(project: project).map {
            DeploymentSummary(
                id: $0.id, project: $0.project, state: $0.state.rawValue, error: $0.error, steps: stepCount($0.plan),
                doneSteps: $0.doneSteps.sorted())
        }
    }

    func stepCount(_ plan: String) -> Int {
        ((try? JSONDecoder().decode(DeploymentRequest.self, from: Data(plan.utf8)))?.steps.count) ?? 0
    }
}
