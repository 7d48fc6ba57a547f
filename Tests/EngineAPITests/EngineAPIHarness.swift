import APIServer
import Engine
import EngineAPI
import Foundation
import IPAM
import Images
import StackCore
import Store

#if canImport(Glibc)
import Glibc
#endif

/// A ContainerEngine on a temporary STACK_ROOT with a real store and image store (holding `tiny`,
/// imported from a tar of plain files made here), fake kernel/process drivers, and the engine's
/// routes on a router the tests call directly.
final class EngineAPIHarness: @unchecked Sendable {
    let directory: String
    let paths: EnginePaths
    let store: StateStore
    let images: ImageStore
    let exits = FakeExitNotifier()
    let runtime: FakeRuntime
    let monitor: FakeMonitor
    let rootfs = FakeRootfs()
    let network = FakeNetworkDriver()
    let engine: ContainerEngine
    let router = Router()
    /// The id of the `tiny:latest` image.
    let imageID: Digest

    init() throws {
        var template = Array("/tmp/stack-engineapi-test-XXXXXX".utf8CString)
        let made: String? = template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, let result = mkdtemp(base) else { return nil }
            return String(cString: result)
        }
        guard let made else { throw StackError(.system, "mkdtemp failed") }
        directory = made
        paths = EnginePaths(root: made + "/root", run: made + "/run", binaries: made + "/bin")
        for path in [paths.root, paths.run, paths.binaries, made + "/scratch"] {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        store = try StateStore(path: paths.database)
        images = try ImageStore(root: paths.images, metadata: SQLiteImageMetadata(store: store))
        imageID = try Self.importTinyImage(into: images, scratch: made)
        runtime = FakeRuntime(exits: exits)
        monitor = FakeMonitor(runtime: runtime)
        engine = try ContainerEngine(
            paths: paths, store: store, images: images, runtime: runtime, monitors: monitor, rootfs: rootfs, exits: exits,
            networkConfig: NetworkConfig(prefix: "tst", pools: try AddressPool.parseList("10.77.0.0/16/24")), network: network)
        ContainerRoutes.register(on: router, engine: engine)
        NetworkRoutes.register(on: router, engine: engine)
        ImageRoutes.register(on: router, images: images, engine: engine, scratch: made + "/scratch")
        EventRoutes.register(on: router, engine: engine)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A one-layer image of plain files only (no devices, no ownership), so import works unprivileged.
    static func importTinyImage(into images: ImageStore, scratch: String) throws -> Digest {
        let tar = scratch + "/tiny.tar"
        let writer = try TarWriter(path: tar)
        try writer.add("bin", .directory)
        try writer.add("bin/hello", .file(Array("#!/bin/sh\necho hello\n".utf8)), mode: 0o755)
        try writer.add("etc", .directory)
        try writer.add("etc/passwd", .file(Array("root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n".utf8)))
        try writer.add("etc/group", .file(Array("root:x:0:\nnogroup:x:65534:\n".utf8)))
        try writer.finish()
        return try images.importRootfs(
            from: .path(tar), reference: try ImageReference(parsing: "tiny"), changes: ["CMD [\"/bin/hello\"]"],
            message: nil)
    }

    // MARK: requests

    /// Send one request through the router. `body` is encoded as JSON (a String is sent as is); a
    /// streamed answer is read to its end.
    func send(
        _ method: String, _ path: String, query: [(String, String)] = [], body: Any? = nil
    ) async throws -> Reply {
        var bytes: [UInt8] = []
        if let text = body as? String {
            bytes = Array(text.utf8)
        } else if let body {
            bytes = [UInt8](try JSONSerialization.data(withJSONObject: body))
        }
        let request = APIRequest(
            method: method, path: path, query: query.map { QueryItem($0.0, $0.1) },
            headers: [("Content-Type", "application/json")], body: bytes)
        let response = await router.respond(to: request)
        switch response.body {
        case .bytes(let data): return Reply(status: response.status.rawValue, body: data)
        case .stream(let chunks):
            // Only finite streams are asked for (events with `until`).
            var data: [UInt8] = []
            for try await chunk in chunks { data += chunk }
            return Reply(status: response.status.rawValue, body: data)
        default: return Reply(status: response.status.rawValue, body: [])
        }
    }

    /// `POST /containers/create` for `tiny`; the new id.
    func create(name: String? = nil, _ extra: [String: Any] = [:]) async throws -> String {
        var body: [String: Any] = ["Image": "tiny", "Cmd": ["/bin/hello"]]
        for (key, value) in extra { body[key] = value }
        let reply = try await send("POST", "/containers/create", query: name.map { [("name", $0)] } ?? [], body: body)
        guard reply.status == 201, let id = try reply.object()["Id"] as? String else {
            throw StackError(.internalError, "create answered \(reply.status): \(reply.text)")
        }
        return id
    }

    /// Create and start a container; its id.
    func run(name: String? = nil, _ extra: [String: Any] = [:]) async throws -> String {
        let id = try await create(name: name, extra)
        let reply = try await send("POST", "/containers/\(id)/start")
        guard reply.status == 204 else { throw StackError(.internalError, "start answered \(reply.status): \(reply.text)") }
        return id
    }

    /// `GET /containers/{id}/json` as a dictionary.
    func inspect(_ id: String) async throws -> [String: Any] {
        try await send("GET", "/containers/\(id)/json").object()
    }

    /// The `State` object of inspect.
    func state(_ id: String) async throws -> [String: Any] {
        try await inspect(id)["State"] as? [String: Any] ?? [:]
    }

    /// Wait until `condition` holds, polling every 10 ms for up to 60 s (a loaded parallel run of
    /// the whole suite can hold tasks back for half a minute); false on timeout.
    func eventually(_ condition: () async throws -> Bool) async rethrows -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try? await Task.sleep(nanoseconds: 10_000_000)
        }
        return try await condition()
    }

    /// Event actions recorded in the store for `id`, in order.
    func events(_ id: String) throws -> [String] {
        try store.events.list().filter { $0.actorID == id }.map(\.action)
    }
}

/// A router's answer with its JSON body at hand.
struct Reply: Sendable {
    var status: Int
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body)) }

    func object() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else {
            throw StackError(.internalError, "not a JSON object: \(text)")
        }
        return object
    }

    func array() throws -> [[String: Any]] {
        guard let array = try json() as? [[String: Any]] else {
            throw StackError(.internalError, "not a JSON array: \(text)")
        }
        return array
    }
}
