/// `down`'s options that change the plan.
public struct DownOptions: Sendable, Hashable {
    /// Also remove the project's named volumes (`-v`). Anonymous volumes go with their
    /// containers; the executor removes them when this is set.
    public var removeVolumes: Bool
    /// Also stop and remove containers of services no longer in the file (`--remove-orphans`).
    public var removeOrphans: Bool

    public init(removeVolumes: Bool = false, removeOrphans: Bool = false) {
        self.removeVolumes = removeVolumes
        self.removeOrphans = removeOrphans
    }
}

extension Planner {
    /// The plan that takes a project down: `run` containers first, then containers stopped in reverse dependency order
    /// (a service only after everything that depends on it), then removed, then the project's
    /// networks and, with `removeVolumes`, its named volumes. External resources are never
    /// touched; orphans are removed with `removeOrphans`, else reported.
    public static func planDown(desired: DesiredState, observed: ObservedState, options: DownOptions = DownOptions()) -> Plan {
        var plan = Plan()
        func add(_ action: PlanAction, _ reason: String? = nil, after: [Int] = []) -> Int {
            let id = plan.steps.count + 1
            plan.steps.append(PlanStep(id: id, action: action, reason: reason, after: Array(Set(after)).sorted()))
            return id
        }
        let containers = observed.containers.filter { $0.project == desired.project && !$0.isOneOff }
        let known = Set(desired.services.map(\.name))
        let orphans = containers.filter { !known.contains($0.service ?? "") }.sorted { $0.name < $1.name }
        plan.orphans = orphans.map(\.name)

        // Who must be stopped before a service: the services that depend on it.
        var dependents: [String: [String]] = [:]
        for service in desired.services {
            for need in service.needs { dependents[need, default: []].append(service.name) }
        }
        var stopSteps: [String: [Int]] = [:]
        var removeSteps: [Int] = []
        func takeDown(_ container: ObservedContainer, service: String?, reason: String?) {
            var after = dependents[service ?? "", default: []].flatMap { stopSteps[$0] ?? [] }
            if container.isRunning || container.state == .paused {
                let stopped = add(.stopContainer(name: container.name, id: container.id), reason, after: after)
                if let service { stopSteps[service, default: []].append(stopped) }
                after = [stopped]
            }
            removeSteps.append(add(.removeContainer(name: container.name, id: container.id), reason, after: after))
        }
        // `run` containers of the project go too (as with Compose), first: they use the services'
        // networks and may use their containers.
        let oneOffs = observed.containers.filter { $0.project == desired.project && $0.isOneOff }.sorted { $0.name < $1.name }
        for container in oneOffs { takeDown(container, service: nil, reason: "one-off") }
        if options.removeOrphans {
            for container in orphans { takeDown(container, service: nil, reason: "orphan") }
        } else if !orphans.isEmpty {
            plan.warnings.append(
                "found orphan containers (\(plan.orphans.joined(separator: ", "))) for this project; "
                    + "run with --remove-orphans to remove them")
        }
        for service in desired.services.reversed() {
            let mine = containers.filter { $0.service == service.name }
                .sorted { ($0.number ?? Int.max, $0.name) > ($1.number ?? Int.max, $1.name) }
            for container in mine { takeDown(container, service: service.name, reason: nil) }
        }
        let present = Set(observed.networks.map(\.name))
        for network in desired.networks.sorted(by: { $0.name < $1.name }) where !network.external && present.contains(network.name) {
            _ = add(.removeNetwork(name: network.name), after: removeSteps)
        }
        if options.removeVolumes {
            let volumes = Set(observed.volumes.map(\.name))
            for volume in desired.volumes.sorted(by: { $0.name < $1.name }) where !volume.external && volumes.contains(volume.name) {
                _ = add(.removeVolume(name: volume.name), after: removeSteps)
            }
        }
        return plan
    }
}
