import StackCore

/// Selects services by profile: a service without `profiles` is always enabled; one with
/// profiles only when one of them is active (`*` activates all) or when it is named on the
/// command line.
struct ProfileSelector {
    let active: [String]
    let requested: [String]
    private(set) var allProfiles: [String] = []

    init(active: [String], requested: [String]) {
        self.active = active
        self.requested = requested
    }

    func isEnabled(_ name: String, _ service: Node) -> Bool {
        guard let profiles = service["profiles"]?.items?.compactMap(\.scalarText), !profiles.isEmpty else {
            return true
        }
        if requested.contains(name) || active.contains("*") { return true }
        return profiles.contains(where: active.contains)
    }

    mutating func apply(to root: Node) throws(StackError) -> Node {
        guard var services = root["services"], let entries = services.entries else { return root }
        var names = Set<String>()
        for entry in entries {
            for profile in entry.value["profiles"]?.items?.compactMap(\.scalarText) ?? [] { names.insert(profile) }
        }
        allProfiles = names.sorted()
        let disabled = entries.filter { !isEnabled($0.key, $0.value) }
        guard !disabled.isEmpty else { return root }
        let disabledNames = Set(disabled.map(\.key))
        for entry in entries where !disabledNames.contains(entry.key) {
            guard let dependencies = entry.value["depends_on"]?.entries else { continue }
            for dependency in dependencies where disabledNames.contains(dependency.key) {
                let required = dependency.value["required"]?.scalar != .bool(false)
                guard required else { continue }
                let profiles = disabled.first { $0.key == dependency.key }?.value["profiles"]?.items?
                    .compactMap(\.scalarText).joined(separator: ", ") ?? ""
                throw StackError(
                    .invalidStackFile,
                    "service \"\(entry.key)\" depends on service \"\(dependency.key)\", which is disabled: enable one of its profiles (\(profiles)) with --profile",
                    mark: dependency.keyMark, path: "services.\(entry.key).depends_on.\(dependency.key)")
            }
        }
        services.kind = .mapping(entries.filter { !disabledNames.contains($0.key) })
        var root = root
        root["services"] = services
        return root
    }
}
