import APIServer
import Engine
import Runtime
import StackAPI
import StackCore

/// The container endpoints of Docker's Engine API that `stack container …` uses, over the engine.
public enum ContainerRoutes {
    /// Add the container and exec routes for `engine` to `router`.
    public static func register(on router: Router, engine: ContainerEngine) {
        router.get("/containers/json") { request in
            .json(.ok, try await engine.list(all: try request.queryBool("all")))
        }
        router.post("/containers/create") { request in
            let body: ContainerCreateRequest = try request.decode()
            return .json(.created, try await engine.create(body, name: request.query("name")))
        }
        router.get("/containers/{id}/json") { request in
            .json(.ok, try await engine.inspect(try request.parameter("id")))
        }
        router.post("/containers/{id}/start") { request in
            do {
                try await engine.start(try request.parameter("id"))
            } catch let error as StackError where error.code == .notModified {
                return .empty(.notModified)
            }
            return .empty()
        }
        router.post("/containers/{id}/stop") { request in
            do {
                try await engine.stop(try request.parameter("id"), timeout: try request.queryInt("t"))
            } catch let error as StackError where error.code == .notModified {
                return .empty(.notModified)
            }
            return .empty()
        }
        router.post("/containers/{id}/restart") { request in
            try await engine.restart(try request.parameter("id"), timeout: try request.queryInt("t"))
            return .empty()
        }
        router.post("/containers/{id}/kill") { request in
            let name = request.query("signal") ?? "SIGKILL"
            let signal: Int32
            do {
                signal = try SignalName.parse(name)
            } catch let error as StackError {
                throw APIError(.badRequest, error.message)
            }
            try await engine.kill(try request.parameter("id"), signal: signal)
            return .empty()
        }
        router.post("/containers/{id}/pause") { request in
            try await engine.pause(try request.parameter("id"), paused: true)
            return .empty()
        }
        router.post("/containers/{id}/unpause") { request in
            try await engine.pause(try request.parameter("id"), paused: false)
            return .empty()
        }
        router.delete("/containers/{id}") { request in
            try await engine.remove(
                try request.parameter("id"), force: try request.queryBool("force"), volumes: try request.queryBool("v"))
            return .empty()
        }
        router.post("/containers/{id}/wait") { request in
            .json(.ok, try await engine.wait(try request.parameter("id"), condition: request.query("condition")))
        }
        router.post("/containers/{id}/rename") { request in
            guard let name = request.query("name") else { throw APIError(.badRequest, "rename needs ?name=") }
            try await engine.rename(try request.parameter("id"), to: name)
            return .empty()
        }
        router.get("/containers/{id}/top") { request in
            .json(.ok, try await engine.top(try request.parameter("id")))
        }
        router.get("/containers/{id}/stats") { request in
            .json(.ok, try await engine.stats(try request.parameter("id")))
        }
        router.get("/containers/{id}/logs") { request in
            let options = LogOptions(
                follow: try request.queryBool("follow"), stdout: try request.queryBool("stdout", default: true),
                stderr: try request.queryBool("stderr", default: true), timestamps: try request.queryBool("timestamps"),
                tail: request.query("tail").flatMap { $0 == "all" ? nil : Int($0) }, since: request.query("since"),
                until: request.query("until"))
            let (tty, stream) = try await engine.logs(try request.parameter("id"), options: options)
            return .stream(
                .ok, contentType: tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream",
                stream)
        }
        router.post("/containers/{id}/attach") { request in
            let id = try request.parameter("id")
            let options = AttachOptions(
                stdin: try request.queryBool("stdin"), start: try request.queryBool("start"))
            // Check the container now, so a bad name is a plain 404 rather than a dead stream.
            _ = try await engine.inspect(id)
            return .hijack { connection in
                try await engine.attach(id, client: ClientStream(connection), options: options)
            }
        }
        router.post("/containers/{id}/resize") { request in
            let rows = try request.queryInt("h") ?? 24
            let columns = try request.queryInt("w") ?? 80
            try await engine.resize(try request.parameter("id"), rows: rows, columns: columns)
            return .empty(.ok)
        }
        router.post("/containers/{id}/exec") { request in
            let body: ExecRequest = try request.decode()
            let id = try await engine.createExec(try request.parameter("id"), body)
            return .json(.created, ["Id": id])
        }
        router.post("/exec/{id}/start") { request in
            let id = try request.parameter("id")
            let body: ExecStartRequest = request.body.isEmpty ? ExecStartRequest() : try request.decode()
            if body.detach {
                try await engine.startExec(id, client: nil)
                return .empty(.ok)
            }
            _ = try await engine.inspectExec(id)
            return .hijack { connection in
                try await engine.startExec(id, client: ClientStream(connection))
            }
        }
        router.get("/exec/{id}/json") { request in
            .json(.ok, try await engine.inspectExec(try request.parameter("id")))
        }
    }
}
