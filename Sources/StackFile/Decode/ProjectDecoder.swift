import StackCore
import StackModel

/// The last stage of the loader: the canonical (long-syntax) node tree to a `Project`.
public enum ProjectDecoder {
    /// Decodes `root` (the canonical tree `docker compose config` would print) into a project
    /// called `name`, whose relative paths were resolved against `workingDirectory`. Unknown keys
    /// and `x-` extensions are ignored; resource names left out are resolved as Compose does.
    ///
    /// Services decode directly from their nodes where they can (`ServiceDecoding`); anything
    /// else, and every failure, goes through the model's `Codable` conformance, so results and
    /// errors are the same either way.
    public static func decode(_ root: Node, name: String, workingDirectory: String) throws(StackError) -> Project {
        guard root.isMapping || root.isNull else {
            throw StackError(
                .invalidStackFile, "the stack file must be a mapping, not \(DecodingFailure.describe(root))",
                mark: root.mark)
        }
        var project: Project
        if let direct = directly(root) {
            project = direct
        } else {
            project = try NodeDecoder().decode(Project.self, from: root)
        }
        project.name = name
        project.workingDirectory = workingDirectory
        project.resolveResourceNames()
        return project
    }

    /// The project with its services decoded directly and the rest through `Codable`; nil when
    /// anything fails, so that the `Codable` path reports the error it would report.
    static func directly(_ root: Node) -> Project? {
        guard case .mapping(var entries) = root.kind,
            let position = entries.firstIndex(where: { $0.key == "services" })
        else { return nil }
        let servicesNode = entries[position].value
        let serviceEntries: [Node.Entry]
        switch servicesNode.kind {
        case .mapping(let list): serviceEntries = list
        case .scalar(.null): serviceEntries = []
        default: return nil
        }
        guard !DirectNodeReading.hasDuplicateKeys(serviceEntries) else { return nil }
        let servicesLink = CodingPathLink(key: AnyCodingKey("services"), parent: nil)
        var services: [Service] = []
        services.reserveCapacity(serviceEntries.count)
        for index in serviceEntries.indices where !serviceEntries[index].key.hasPrefix("x-") {
            let key = serviceEntries[index].key
            let node = serviceEntries[index].value
            if let service = ServiceDecoding.service(node, name: key) {
                services.append(service)
            } else {
                let decoder = NodeValueDecoder(node: node, path: .child(of: servicesLink, AnyCodingKey(key)))
                guard var service = try? decoder.decodeValue(Service.self) else { return nil }
                service.name = key
                services.append(service)
            }
        }
        // Everything but the services, through `Codable`.
        entries[position].value = Node(.scalar(.null), mark: servicesNode.mark)
        guard var project = try? NodeDecoder().decode(Project.self, from: Node(.mapping(entries), mark: root.mark))
        else { return nil }
        project.services = services.sorted { $0.name < $1.name }
        return project
    }
}
