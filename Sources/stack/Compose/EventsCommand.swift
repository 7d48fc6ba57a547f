import APIClient
import ArgumentParser
import Foundation
import Reconciler
import StackAPI

/// `stack events [--json] [SERVICE…]`: follow the engine's container events for the project's
/// service containers (one-offs left out), as Compose prints them:
/// `2026-11-29 14:00:00.123456 container start <id> (name=demo-web-1, image=busybox)`, or with
/// `--json` one object per line with `time`, `type`, `service`, `id`, `action`, `attributes`.
///
/// The engine's events carry no labels, so each container's project and service are looked up
/// once (a container removed before it could be looked up is skipped).
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "Receive real time events from the containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .long, help: "Output events as a stream of JSON objects.") var json = false
    @Option(name: .long, help: "Show events since a Unix timestamp (default: only new ones).") var since: Double?
    @Option(name: .long, help: "Stop after a Unix timestamp.") var until: Double?
    @Argument(help: "Services (default: all).") var services: [String] = []

    func run() async throws {
        let project = try ProjectContainers.projectName(global)
        let (services, json) = (self.services, self.json)
        var query: [(String, String)] = []
        if let since { query.append(("since", String(since))) }
        if let until { query.append(("until", String(until))) }
        let stream = query
        try await EngineConnection.with { client in
            var owners = EventOwners(client: client, project: project)
            // Containers that exist now are known before their events arrive (a destroy has no inspect).
            for container in try await ProjectContainers.list(client, project: project, all: true, oneOffs: true) {
                owners.remember(container.id, labels: container.labels, name: ProjectContainers.name(container), image: container.image)
            }
            var pending: [UInt8] = []
            for try await chunk in try await client.stream("GET", "/events", query: stream) {
                pending += chunk
                while let newline = pending.firstIndex(of: 10) {
                    let line = Array(pending[..<newline])
                    pending.removeSubrange(...newline)
                    guard let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                        event["Type"] as? String == "container",
                        let actor = event["Actor"] as? [String: Any], let id = actor["ID"] as? String,
                        let owner = await owners.owner(of: id), !owner.oneOff,
                        services.isEmpty || services.contains(owner.service)
                    else { continue }
                    var attributes = owner.attributes
                    for (key, value) in actor["Attributes"] as? [String: String] ?? [:] { attributes[key] = value }
                    let composeEvent = ComposeEvent(
                        timeNano: (event["timeNano"] as? NSNumber)?.int64Value ?? 0, service: owner.service, id: id,
                        action: event["Action"] as? String ?? "", attributes: attributes)
                    Output.line(json ? composeEvent.json : composeEvent.text)
                }
            }
        }
    }
}
