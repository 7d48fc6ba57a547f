import ArgumentParser
import Foundation

/// `stack system …`: the engine as a whole.
struct SystemCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "system", abstract: "Manage the engine.", subcommands: [SystemEvents.self])
}

/// `stack system events`: the engine's events as they happen (Docker's `docker events`).
struct SystemEvents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Get real-time events from the engine.")
    @Option(name: .long, help: "Show events since a Unix timestamp (default: only new ones).") var since: Double?
    @Option(name: .long, help: "Stop after a Unix timestamp.") var until: Double?
    @Option(name: .long, help: "Output format: text or json.") var format = "text"

    func run() async throws {
        var query: [(String, String)] = []
        if let since { query.append(("since", String(since))) }
        if let until { query.append(("until", String(until))) }
        let json = format == "json"
        try await EngineConnection.with { client in
            var pending: [UInt8] = []
            for try await chunk in try await client.stream("GET", "/events", query: query) {
                pending += chunk
                while let newline = pending.firstIndex(of: 10) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    if json {
                        Output.write(1, line + [10])
                    } else if let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] {
                        Output.line(Self.text(event))
                    }
                }
            }
        }
    }

    /// `2026-11-29T08:00:00Z container start 1234… (image=…, name=…)`, as docker events prints.
    static func text(_ event: [String: Any]) -> String {
        let time = Date(timeIntervalSince1970: Double(event["time"] as? Int ?? 0))
        let actor = event["Actor"] as? [String: Any]
        let attributes = (actor?["Attributes"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            .map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(ISO8601DateFormatter().string(from: time)) \(event["Type"] as? String ?? "") "
            + "\(event["Action"] as? String ?? "") \(actor?["ID"] as? String ?? "")"
            + (attributes.isEmpty ? "" : " (\(attributes))")
    }
}
