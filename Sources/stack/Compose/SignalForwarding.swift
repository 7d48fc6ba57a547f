import APIClient
import Dispatch
import Foundation

/// While an attached one-off runs without a terminal, the signals this process gets (Ctrl-C's
/// SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2) go to the container instead, as Compose's
/// `run` forwards them, so `run` ends when the container does and with its status. (With a
/// terminal, Ctrl-C is a byte the container's terminal turns into its own SIGINT.)
enum SignalForwarding {
    static let forwarded: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]

    /// Run `body` with the signals forwarded to container `id`; the default handling is back
    /// when it returns.
    static func forwarding<T>(to id: String, client: APIClient, _ body: () async throws -> T) async throws -> T {
        var sources: [any DispatchSourceSignal] = []
        for number in forwarded {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                Task { _ = try? await client.request("POST", "/containers/\(id)/kill", query: [("signal", "\(number)")]) }
            }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
            for number in forwarded { signal(number, SIG_DFL) }
        }
        return try await body()
    }
}
