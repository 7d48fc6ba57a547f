import APIClient
import ArgumentParser
import Foundation
import StackCore

/// The CLI's link to stackd: the client for `STACK_ROOT`/`STACK_RUN`, starting the daemon when
/// none answers, and the rendering of daemon errors as Docker's CLI prints them.
enum EngineConnection {
    static func client() -> APIClient {
        APIClient(connector: DaemonConnector.fromEnvironment())
    }

    /// Run `body` with a client; errors are printed (`Error response from daemon: …`) and become
    /// exit status `failureStatus` (1, or 125 for run/create as Docker).
    static func with<T: Sendable>(failureStatus: Int32 = 1, _ body: (APIClient) async throws -> T) async throws -> T {
        let client = client()
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch let exit as ExitCode {
            await client.close()
            throw exit
        } catch {
            await client.close()
            report(error)
            throw ExitCode(failureStatus)
        }
    }

    /// Print an error as Docker's CLI does.
    static func report(_ error: any Error) {
        let text: String
        switch error {
        case let error as APIClientError:
            if case .server(_, let message) = error { text = "Error response from daemon: \(message)" } else { text = "\(error)" }
        case let error as StackError: text = error.description
        default: text = "\(error)"
        }
        FileHandle.standardError.write(Data(("stack: " + text + "\n").utf8))
    }

    /// JSON for a request body.
    static func encode<T: Encodable>(_ value: T) throws -> Data { try JSONEncoder().encode(value) }

    /// Decode a response body.
    static func decode<T: Decodable>(_ type: T.Type, _ response: APIClientResponse) throws -> T {
        try JSONDecoder().decode(type, from: response.body)
    }
}

/// Splits Docker's multiplexed stream (8-byte headers: stream, 0, 0, 0, length BE32) into
/// stdout and stderr writes; bytes of a frame may arrive in pieces.
struct StreamDemuxer {
    private var buffer: [UInt8] = []

    /// Feed bytes; `emit(stream, bytes)` for each complete frame's payload (1 stdout, 2 stderr).
    mutating func feed(_ bytes: [UInt8], emit: (UInt8, ArraySlice<UInt8>) -> Void) {
        buffer.append(contentsOf: bytes)
        var start = 0
        while buffer.count - start >= 8 {
            let length = Int(buffer[start + 4]) << 24 | Int(buffer[start + 5]) << 16 | Int(buffer[start + 6]) << 8
                | Int(buffer[start + 7])
            guard buffer.count - start - 8 >= length else { break }
            emit(buffer[start], buffer[(start + 8)..<(start + 8 + length)])
            start += 8 + length
        }
        if start > 0 { buffer.removeFirst(start) }
    }
}

/// Writes to the process's stdout/stderr fds, whole.
enum Output {
    static func write(_ fd: Int32, _ bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        var offset = 0
        while offset < array.count {
            let written = array.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return Foundation.write(fd, base + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += written
        }
    }

    static func line(_ text: String) { write(1, Array((text + "\n").utf8)) }
}
