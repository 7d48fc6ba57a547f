import APIClient
import Foundation
import Reconciler
import StackAPI

/// Which service a container belongs to, looked up once per container.
struct EventOwners {
    struct Owner {
        var service: String
        var oneOff: Bool
        /// What Docker puts in a container event's attributes: name, image and labels (Compose's
        /// own `com.docker.compose.*` labels left out, as Compose does, and stack's `io.stack.*` ones).
        var attributes: [String: String]
    }

    let client: APIClient
    let project: String
    /// nil: not the project's.
    private var known: [String: Owner?] = [:]

    init(client: APIClient, project: String) {
        self.client = client
        self.project = project
    }

    mutating func remember(_ id: String, labels: [String: String], name: String, image: String) {
        guard labels[ComposeLabel.project] == project else {
            known[id] = .some(nil)
            return
        }
        var attributes = labels.filter { !$0.key.hasPrefix("com.docker.compose.") && !$0.key.hasPrefix("io.stack.") }
        attributes["name"] = name
        attributes["image"] = image
        known[id] = Owner(
            service: labels[ComposeLabel.service] ?? "", oneOff: labels[ComposeLabel.oneOff]?.lowercased() == "true",
            attributes: attributes)
    }

    mutating func owner(of id: String) async -> Owner? {
        if let owner = known[id] { return owner }
        guard let response = try? await client.request("GET", "/containers/\(id)/json"),
            let inspect = try? EngineConnection.decode(ContainerInspect.self, response)
        else { return nil }
        let name = inspect.name.hasPrefix("/") ? String(inspect.name.dropFirst()) : inspect.name
        remember(id, labels: inspect.config.labels, name: name, image: inspect.config.image)
        return known[id] ?? nil
    }
}
