import APIServer
import Engine
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StackAPI
import StackCore

/// `POST /stack/deployments`: carry out a plan (`stack up`, `stack down`) in stackd, journaled;
/// the answer streams one JSON object per finished step and a last one with `Finished`.
/// `GET /stack/deployments?project=P`: the project's journaled deployments.
public enum DeploymentRoutes {
    /// Add the deployment routes for `deployments` to `router`.
    public static func register(on router: Router, deployments: Deployments) {
        router.post("/stack/deployments") { request in
            let body: DeploymentRequest = try request.decode()
            let progress = try deployments.start(body)
            let lines = AsyncThrowingStream<[UInt8], any Error> { continuation in
                let task = Task {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    for await item in progress {
                        guard let line = try? encoder.encode(item) else { continue }
                        continuation.yield(Array(line) + [10])
                    }
                    continuation.finish()
                }
                // The client going away ends the answer, not the deployment.
                continuation.onTermination = { _ in task.cancel() }
            }
            return .stream(.ok, contentType: "application/json", lines)
        }
        router.get("/stack/deployments") { request in
            guard let project = request.query("project") else { throw APIError(.badRequest, "?project= is needed") }
            return .json(.ok, try deployments.journal(project: project))
        }
    }
}
