import ArgumentParser
import Foundation
import StackAPI

/// `stack images [-q] [--format table|json] [SERVICE…]`: the images the services' containers
/// were created from, one row per container (Compose's columns), ids only with `-q`.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "images", abstract: "List images used by the created containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Only display image ids.") var quiet = false
    @Option(name: .long, help: "table or json.") var format = "table"
    @Argument(help: "Services (default: all).") var services: [String] = []

    /// One container's image.
    struct Row {
        var container: String
        var repository: String
        var tag: String
        var platform: String
        /// With its `sha256:` prefix.
        var id: String
        var size: Int64
        var created: Int64
    }

    func run() async throws {
        guard format == "table" || format == "json" else { throw ValidationError("--format must be table or json") }
        let project = try ProjectContainers.projectName(global)
        let services = self.services
        let rows: [Row] = try await EngineConnection.with { client in
            let containers = try await ProjectContainers.list(client, project: project, all: true, services: services)
            let images = try EngineConnection.decode([ImageSummary].self, try await client.request("GET", "/images/json"))
            var platforms: [String: String] = [:]
            var rows: [Row] = []
            for container in containers {
                let image = images.first { $0.id == container.imageID }
                if platforms[container.imageID] == nil {
                    let inspect = try? await client.request("GET", "/images/inspect", query: [("name", container.imageID)])
                    let object = inspect.flatMap { try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any] }
                    platforms[container.imageID] = [object?["Os"] as? String, object?["Architecture"] as? String]
                        .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
                }
                let (repository, tag) = Self.repositoryAndTag(reference: container.image, tags: image?.repoTags ?? [])
                rows.append(
                    Row(
                        container: ProjectContainers.name(container), repository: repository, tag: tag,
                        platform: platforms[container.imageID] ?? "", id: container.imageID, size: image?.size ?? 0,
                        created: image?.created ?? 0))
            }
            return rows.sorted { $0.container < $1.container }
        }
        if quiet {
            var seen: Set<String> = []
            for row in rows where seen.insert(row.id).inserted { Output.line(Self.bareID(row.id)) }
        } else if format == "json" {
            let formatter = ISO8601DateFormatter()
            let objects: [[String: Any]] = rows.map {
                var object: [String: Any] = [
                    "ID": $0.id, "ContainerName": $0.container, "Repository": $0.repository, "Tag": $0.tag,
                    "Platform": $0.platform, "Size": $0.size,
                ]
                if $0.created > 0 { object["Created"] = formatter.string(from: Date(timeIntervalSince1970: Double($0.created))) }
                return object
            }
            let data = try JSONSerialization.data(withJSONObject: objects, options: [.sortedKeys, .withoutEscapingSlashes])
            Output.line(String(decoding: data, as: UTF8.self))
        } else {
            let now = Date().timeIntervalSince1970
            Table.print(
                [["CONTAINER", "REPOSITORY", "TAG", "PLATFORM", "IMAGE ID", "SIZE", "CREATED"]]
                    + rows.map {
                        [
                            $0.container, $0.repository, $0.tag, $0.platform, String(Self.bareID($0.id).prefix(12)),
                            DecimalBytes.human($0.size),
                            $0.created > 0 ? ContainerList.ago(now - Double($0.created)) : "N/A",
                        ]
                    })
        }
    }

    /// The repository and tag to show: the container's own reference when the image still has
    /// it, else the image's first tag, else `<none>`.
    static func repositoryAndTag(reference: String, tags: [String]) -> (String, String) {
        let chosen = tags.contains(reference) ? reference : tags.first
        guard let chosen else { return ("<none>", "<none>") }
        guard let colon = chosen.lastIndex(of: ":"), !chosen[colon...].contains("/") else { return (chosen, "latest") }
        return (String(chosen[..<colon]), String(chosen[chosen.index(after: colon)...]))
    }

    static func bareID(_ id: String) -> String { id.hasPrefix("sha256:") ? String(id.dropFirst(7)) : id }
}
