import StackCore

extension Project {
    /// The services in an order where every service comes after the services it depends on
    /// (`depends_on`, `network_mode: service:x`, `volumes_from`); among services whose
    /// dependencies are met, names sort first. Dependencies on services that are not in the
    /// project are ignored here (validation reports them).
    ///
    /// Throws `.invalidStackFile` naming the services of a dependency cycle.
    public func dependencyOrder() throws(StackError) -> [Service] {
        let byName = Dictionary(services.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var dependencies: [String: [String]] = [:]
        var dependents: [String: [String]] = [:]
        var pending: [String: Int] = [:]
        for service in services {
            let needs = service.serviceDependencies.filter { byName[$0] != nil }
            dependencies[service.name] = needs
            pending[service.name] = needs.count
            for need in needs { dependents[need, default: []].append(service.name) }
        }
        // Kahn's algorithm with the ready set kept sorted, so ties break by name.
        var ready = services.map(\.name).filter { pending[$0] == 0 }.sorted(by: >)
        var order: [Service] = []
        order.reserveCapacity(services.count)
        while let next = ready.popLast() {
            if let service = byName[next] { order.append(service) }
            var released = false
            for dependent in dependents[next] ?? [] {
                pending[dependent, default: 0] -= 1
                if pending[dependent] == 0 {
                    ready.append(dependent)
                    released = true
                }
            }
            if released { ready.sort(by: >) }
        }
        if order.count < byName.count {
            let stuck = Set(pending.filter { $0.value > 0 }.map(\.key))
            let cycle = Self.findCycle(in: stuck, dependencies: dependencies)
            throw StackError(
                .invalidStackFile,
                "dependency cycle detected: " + cycle.joined(separator: " -> "),
                path: "services.\(cycle.first ?? "")")
        }
        return order
    }

    /// The names of the services in `dependencyOrder()`, or the cycle error.
    public func dependencyOrderNames() throws(StackError) -> [String] {
        try dependencyOrder().map(\.name)
    }

    /// A cycle among `stuck` services, as a path that starts and ends with the same name.
    private static func findCycle(in stuck: Set<String>, dependencies: [String: [String]]) -> [String] {
        guard var current = stuck.min() else { return [] }
        // Every stuck service depends on another stuck one; walk until a name repeats.
        var path: [String] = []
        var seen: [String: Int] = [:]
        while seen[current] == nil {
            seen[current] = path.count
            path.append(current)
            guard let next = (dependencies[current] ?? []).filter({ stuck.contains($0) }).min() else { break }
            current = next
        }
        guard let start = seen[current] else { return path }
        return Array(path[start...]) + [current]
    }
}
