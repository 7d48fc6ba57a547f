import APIClient
import APIServer
import Foundation
import StackCore
import Testing

@Suite("API server and client over a Unix socket")
struct ServerClientTests {
    struct Thing: Codable, Equatable {
        var Name: String
        var Count: Int
    }

    @Test func jsonRoundTrip() async throws {
        let test = try await TestServer.start { router in
            router.post("/things") { request in
                var thing: Thing = try request.decode()
                thing.Count += 1
                return .json(.created, thing)
            }
        }
        defer { test.discard() }
        let response = try await test.client.request("POST", "/things", json: Thing(Name: "web", Count: 41))
        #expect(response.status == 201)
        #expect(response.header("content-type") == "application/json")
        #expect(try response.decode(Thing.self) == Thing(Name: "web", Count: 42))
        // The kept-alive connection serves the next request too.
        let again = try await test.client.request("POST", "/things", json: Thing(Name: "db", Count: 1))
        #expect(try again.decode(Thing.self) == Thing(Name: "db", Count: 2))
    }

    @Test func pathParametersQueryAndVersionPrefix() async throws {
        struct Echo: Codable { var id: String; var all: [String]; var force: Bool; var tail: Int?; var path: String }
        let test = try await TestServer.start { router in
            router.post("/containers/{id}/kill") { request in
                .json(.ok, Echo(
                    id: try request.parameter("id"), all: request.queryValues("filter"),
                    force: try request.queryBool("force"), tail: try request.queryInt("tail"), path: request.path))
            }
        }
        defer { test.discard() }
        let response = try await test.client.request(
            "POST", "/v1.43/containers/abc 123/kill",
            query: [("filter", "a=b"), ("filter", "c&d"), ("force", "1"), ("tail", "10")])
        let echo = try response.decode(Echo.self)
        #expect(echo.id == "abc 123")
        #expect(echo.all == ["a=b", "c&d"])
        #expect(echo.force)
        #expect(echo.tail == 10)
        #expect(echo.path == "/containers/abc 123/kill")

        await #expect(throws: APIClientError.server(status: 400, message: "invalid integer for query parameter tail: x")) {
            _ = try await test.client.request("POST", "/containers/a/kill", query: [("tail", "x")])
        }
    }

    @Test func errorsAreJSONWithTheirStatus() async throws {
        let test = try await TestServer.start { router in
            router.get("/missing") { _ in throw StackError(.notFound, "no such container: web") }
            router.get("/conflict") { _ in throw APIError.conflict("container web is running") }
            router.get("/boom") { _ in throw StackError(.system, "mount: EPERM") }
            router.post("/start") { _ in throw StackError(.notModified, "container already started") }
            router.post("/json") { request in
                let thing: Thing = try request.decode()
                return .json(.ok, thing)
            }
        }
        defer { test.discard() }
        func failure(_ method: String, _ path: String, body: Data? = nil) async -> APIClientError? {
            do {
                _ = try await test.client.request(method, path, body: body)
                return nil
            } catch {
                return error as? APIClientError
            }
        }
        #expect(await failure("GET", "/nowhere")?.status == 404)
        #expect(await failure("POST", "/missing")?.status == 405)
        #expect(await failure("GET", "/missing") == .server(status: 404, message: "no such container: web"))
        #expect(await failure("GET", "/conflict") == .server(status: 409, message: "container web is running"))
        #expect(await failure("GET", "/boom") == .server(status: 500, message: "mount: EPERM"))
        // 304 (Docker's "already started") is no error and has no body; the connection stays usable.
        let notModified = try await test.client.request("POST", "/start")
        #expect(notModified.status == 304 && notModified.body.isEmpty)
        #expect(try await test.client.request("POST", "/start").status == 304)
        let bad = await failure("POST", "/json", body: Data("{\"Name\": 3".utf8))
        #expect(bad?.status == 400)
        #expect(bad?.description.contains("invalid JSON body") == true)
        let missing = await failure("POST", "/json", body: Data("{\"Name\": \"x\"}".utf8))
        #expect(missing?.description.contains("Count: missing") == true)
    }

    @Test func socketIsMode0660AndStaleSocketIsReplaced() async throws {
        let directory = try TestDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/api.sock"
        // A socket file left behind by a dead server.
        let stale = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(stale, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        close(stale)

        let router = Router()
        DockerCompat.register(on: router, engineVersion: "test")
        let server = try await APIServer.start(socketPath: path, router: router)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o660)
        let client = APIClient(socketPath: path)
        let ping = try await client.request("GET", "/_ping")
        #expect(String(decoding: ping.body, as: UTF8.self) == "OK")
        let version = try await client.request("GET", "/version")
        #expect(try version.decode(DockerCompat.Version.self).ApiVersion == DockerCompat.apiVersion)
        await client.close()
        await server.stop()
        #expect(access(path, F_OK) != 0)

        // Something that is not a socket is not removed.
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        await #expect(throws: StackError.self) { _ = try await APIServer.start(socketPath: path, router: router) }
        #expect(FileManager.default.contents(atPath: path) == Data("keep".utf8))
    }

    @Test func streamedItemsArriveBeforeTheStreamEnds() async throws {
        let gate = Signal()
        let test = try await TestServer.start { router in
            router.get("/logs") { _ in
                let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
                Task {
                    continuation.yield(Array("first\n".utf8))
                    await gate.wait()
                    continuation.yield(Array("second\n".utf8))
                    continuation.finish()
                }
                return .stream(contentType: "text/plain", stream)
            }
        }
        defer { test.discard() }
        let stream = try await test.client.stream("GET", "/logs")
        var iterator = stream.makeAsyncIterator()
        // The first item comes while the handler still holds the stream open.
        let first = try await iterator.next()
        #expect(first.map { String(decoding: $0, as: UTF8.self) } == "first\n")
        gate.fire()
        var rest: [UInt8] = []
        while let chunk = try await iterator.next() { rest += chunk }
        #expect(String(decoding: rest, as: UTF8.self) == "second\n")
    }

    @Test func clientDisconnectCancelsTheStream() async throws {
        let terminated = Signal()
        let test = try await TestServer.start { router in
            router.get("/events") { _ in
                let (stream, continuation) = AsyncThrowingStream<[UInt8], any Error>.makeStream()
                continuation.onTermination = { _ in terminated.fire() }
                continuation.yield(Array("event\n".utf8))
                return .stream(contentType: "application/json", stream)
            }
        }
        defer { test.discard() }
        let client = test.client
        let reader = Task {
            let stream = try await client.stream("GET", "/events")
            for try await _ in stream {}
        }
        try await Task.sleep(for: .milliseconds(100))
        reader.cancel()
        // The server notices the closed connection and ends the handler's stream.
        try await withTimeout(5) { await terminated.wait() }
    }

    @Test func streamErrorStatusThrowsBeforeStreaming() async throws {
        let test = try await TestServer.start { router in
            router.get("/logs/{id}") { request in throw StackError(.notFound, "no such container: \(try request.parameter("id"))") }
        }
        defer { test.discard() }
        await #expect(throws: APIClientError.server(status: 404, message: "no such container: x")) {
            _ = try await test.client.stream("GET", "/logs/x")
        }
    }

    @Test func hijackedConnectionCarriesBytesBothWaysAndHalfCloses() async throws {
        let test = try await TestServer.start { router in
            router.post("/exec/{id}/start") { request in
                let id = try request.parameter("id")
                return .hijack { connection in
                    try await connection.write(Array("hello \(id)\n".utf8))
                    var received: [UInt8] = []
                    for try await bytes in connection.inbound {
                        received += bytes
                        try await connection.write(bytes.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
                    }
                    // The client half-closed; output still flows.
                    try await connection.write(Array("|got \(received.count) bytes".utf8))
                    connection.closeWrite()
                }
            }
            router.get("/plain") { _ in .hijack { _ in } }
        }
        defer { test.discard() }
        let output = try await test.client.upgrade("POST", "/exec/e1/start") { raw in
            var output: [UInt8] = []
            var iterator = raw.inbound.makeAsyncIterator()
            // The server speaks first.
            while !String(decoding: output, as: UTF8.self).hasSuffix("\n"), let chunk = try await iterator.next() {
                output += chunk
            }
            try await raw.write(Array("abc".utf8))
            try await raw.write(Array("def".utf8))
            raw.closeWrite()
            while let chunk = try await iterator.next() { output += chunk }
            return String(decoding: output, as: UTF8.self)
        }
        #expect(output == "hello e1\nABCDEF|got 6 bytes")

        // Without the upgrade headers the endpoint refuses.
        await #expect(throws: APIClientError.server(
            status: 400, message: "this endpoint needs an upgraded connection (Connection: Upgrade, Upgrade: tcp)")
        ) {
            _ = try await test.client.request("GET", "/plain")
        }
    }

    @Test func relayCopiesInputAndOutputThroughAHijackedConnection() async throws {
        let test = try await TestServer.start { router in
            router.post("/attach") { _ in
                .hijack { connection in
                    for try await bytes in connection.inbound { try await connection.write(bytes) }
                    try await connection.write(Array("<eof>".utf8))
                }
            }
        }
        defer { test.discard() }
        var input: [Int32] = [0, 0]
        var output: [Int32] = [0, 0]
        #expect(pipe(&input) == 0 && pipe(&output) == 0)
        let text = Array("line one\nline two\n".utf8)
        #expect(write(input[1], text, text.count) == text.count)
        close(input[1])
        let (readInput, writeOutput) = (input[0], output[1])
        try await test.client.upgrade("POST", "/attach") { raw in
            try await raw.relay(input: readInput, output: writeOutput)
        }
        close(input[0])
        close(output[1])
        var copied: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(output[0], &buffer, buffer.count)
            if count <= 0 { break }
            copied += buffer.prefix(count)
        }
        close(output[0])
        #expect(String(decoding: copied, as: UTF8.self) == "line one\nline two\n<eof>")
    }

    @Test func aClosedKeptAliveConnectionIsReplaced() async throws {
        let directory = try TestDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/api.sock"
        let router = Router()
        DockerCompat.register(on: router, engineVersion: "test")
        let client = APIClient(socketPath: path)
        let first = try await APIServer.start(socketPath: path, router: router)
        #expect(try await client.request("GET", "/_ping").status == 200)
        // The daemon restarts: the client's idle connection is dead.
        await first.stop()
        let second = try await APIServer.start(socketPath: path, router: router)
        #expect(try await client.request("GET", "/_ping").status == 200)
        await client.close()
        await second.stop()
    }

    @Test func bytesAndEndOfInputSentRightBehindTheUpgradeRequestAreKept() async throws {
        let test = try await TestServer.start { router in
            router.post("/attach") { _ in
                .hijack { connection in
                    for try await bytes in connection.inbound {
                        try await connection.write(bytes.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
                    }
                    try await connection.write(Array("|end".utf8))
                }
            }
        }
        defer { test.discard() }
        // A raw client that does not wait for the 101: request, stdin bytes and half-close in one go.
        let fd = try #require(RawSocket.connect(test.socketPath))
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = "POST /attach HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\nearly bytes"
        let bytes = Array(request.utf8)
        #expect(write(fd, bytes, bytes.count) == bytes.count)
        shutdown(fd, Int32(SHUT_WR))
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count <= 0 { break }
            received += buffer.prefix(count)
        }
        let text = String(decoding: received, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 101 UPGRADED\r\n"), "\(text)")
        #expect(text.hasSuffix("\r\n\r\nEARLY BYTES|end"), "\(text)")
    }
}

enum RawSocket {
    static func connect(_ path: String) -> Int32? {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let status = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if status != 0 {
            close(fd)
            return nil
        }
        return fd
    }
}
