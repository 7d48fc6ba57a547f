import APIClient
import ArgumentParser
import Foundation
import StackAPI
import StackCore

/// `stack container run`: create, attach, start, and wait — Docker's exit statuses: the
/// container's own, 125 when the engine fails, 126/127 when the command cannot be run.
struct ContainerRun: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Create and run a new container from an image.", helpNames: [.long])

    @Flag(name: .shortAndLong, help: "Run the container in the background and print its id.")
    var detach = false

    @OptionGroup var options: CreateOptions

    func run() async throws {
        let request = try options.requestOrExit()
        let detach = self.detach
        let name = options.name
        try await EngineConnection.with(failureStatus: 125) { client in
            let id = try await ContainerCreate.create(client, request: request, name: name)
            if detach {
                do {
                    _ = try await client.request("POST", "/containers/\(id)/start")
                } catch {
                    throw ExitCode(Self.report(startFailure: error))
                }
                Output.line(id)
                return
            }
            let status = try await Self.attachAndWait(
                client, id: id, tty: request.tty, stdin: request.openStdin, start: true,
                untilRemoved: request.hostConfig.autoRemove)
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// Attach (starting the container when `start`), copy output to this process's stdout and
    /// stderr (and stdin to it with `stdin`), then the exit status — once the container is gone
    /// with `untilRemoved` (`--rm`: nothing is left when `run` returns).
    static func attachAndWait(
        _ client: APIClient, id: String, tty: Bool, stdin: Bool, start: Bool, untilRemoved: Bool = false
    ) async throws -> Int32 {
        let terminal = tty && isatty(0) == 1 ? TerminalMode.makeRaw(0) : nil
        defer { terminal?.restore() }
        do {
            try await client.upgrade(
                "POST", "/containers/\(id)/attach",
                query: [("stream", "1"), ("stdout", "1"), ("stderr", "1"), ("stdin", stdin ? "1" : "0"),
                    ("start", start ? "1" : "0")]
            ) { connection in
                if tty {
                    if let size = TerminalMode.size(1) ?? TerminalMode.size(0) {
                        _ = try? await client.request(
                            "POST", "/containers/\(id)/resize", query: [("h", "\(size.rows)"), ("w", "\(size.columns)")])
                    }
                    try await connection.relay(input: stdin ? 0 : nil, output: 1)
                } else {
                    try await Self.relayFramed(connection, stdin: stdin)
                }
            }
        } catch {
            terminal?.restore()
            throw ExitCode(report(startFailure: error))
        }
        let response = try await client.request(
            "POST", "/containers/\(id)/wait", query: untilRemoved ? [("condition", "removed")] : [])
        let wait = try EngineConnection.decode(ContainerWaitResponse.self, response)
        // A start that failed: the daemon kept the reason.
        if let error = wait.error, !error.isEmpty, wait.statusCode < 0 {
            throw ExitCode(report(startFailure: ContainerStartFailure(message: error)))
        }
        return wait.statusCode
    }

    /// Copy framed output to stdout/stderr, and stdin (when asked) to the connection.
    static func relayFramed(_ connection: RawConnection, stdin: Bool) async throws {
        let pump: Task<Void, Never>? =
            stdin
            ? Task.detached {
                var buffer = [UInt8](repeating: 0, count: 32768)
                while !Task.isCancelled {
                    let got = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
                    if got < 0 && errno == EINTR { continue }
                    if got <= 0 { break }
                    do { try await connection.write(Array(buffer[0..<got])) } catch { break }
                }
                connection.closeWrite()
            } : nil
        if !stdin { connection.closeWrite() }
        var demuxer = StreamDemuxer()
        for try await chunk in connection.inbound {
            demuxer.feed(chunk) { stream, bytes in Output.write(stream == 2 ? 2 : 1, bytes) }
        }
        pump?.cancel()
    }

    /// Print a failed start and pick Docker's status: 127 when the command is not found, 126
    /// when it cannot be executed, else 125.
    static func report(startFailure error: any Error) -> Int32 {
        EngineConnection.report(error)
        let text = "\(error)"
        if text.contains("ENOENT") || text.contains("no such file") || text.contains("not found") { return 127 }
        if text.contains("EACCES") || text.contains("permission denied") || text.contains("EPERM") { return 126 }
        return 125
    }
}

/// `stack container create`.
struct ContainerCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a new container.", helpNames: [.long])

    @OptionGroup var options: CreateOptions

    func run() async throws {
        let request = try options.requestOrExit()
        let name = options.name
        try await EngineConnection.with(failureStatus: 125) { client in
            Output.line(try await Self.create(client, request: request, name: name))
        }
    }

    static func create(_ client: APIClient, request: ContainerCreateRequest, name: String?) async throws -> String {
        let response = try await client.request(
            "POST", "/containers/create", query: name.map { [("name", $0)] } ?? [], json: request)
        let created = try EngineConnection.decode(ContainerCreateResponse.self, response)
        for warning in created.warnings { FileHandle.standardError.write(Data(("WARNING: " + warning + "\n").utf8)) }
        return created.id
    }
}

/// A start failure the daemon recorded in the container's state.
struct ContainerStartFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { "Error response from daemon: failed to start the container: \(message)" }
}

extension CreateOptions {
    /// The request, or the error printed and Docker's status 125 for a flag the engine cannot take.
    func requestOrExit() throws -> ContainerCreateRequest {
        do {
            return try request(environment: ProcessInfo.processInfo.environment)
        } catch {
            EngineConnection.report(error)
            throw ExitCode(125)
        }
    }
}
