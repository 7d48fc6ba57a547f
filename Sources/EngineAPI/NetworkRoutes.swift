import APIServer
import Engine
import StackAPI
import StackCore

/// The network endpoints of Docker's Engine API that `stack network …` uses.
public enum NetworkRoutes {
    /// Add the network routes for `engine` to `router`.
    public static func register(on router: Router, engine: ContainerEngine) {
        router.get("/networks") { _ in
            .json(.ok, try await engine.listNetworks())
        }
        router.post("/networks/create") { request in
            let body: NetworkCreateRequest = try request.decode()
            return .json(.created, try await engine.createNetwork(body))
        }
        router.post("/networks/prune") { _ in
            .json(.ok, try await engine.pruneNetworks())
        }
        router.get("/networks/{id}") { request in
            .json(.ok, try await engine.inspectNetwork(try request.parameter("id")))
        }
        router.delete("/networks/{id}") { request in
            try await engine.removeNetwork(try request.parameter("id"))
            return .empty(.noContent)
        }
        router.post("/networks/{id}/connect") { request in
            let body: NetworkConnectRequest = try request.decode()
            try await engine.connect(
                network: try request.parameter("id"), container: body.container, settings: body.endpointConfig)
            return .empty()
        }
        router.post("/networks/{id}/disconnect") { request in
            let body: NetworkDisconnectRequest = try request.decode()
            try await engine.disconnect(
                network: try request.parameter("id"), container: body.container, force: body.force)
            return .empty()
        }
    }
}
