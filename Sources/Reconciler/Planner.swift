import StackCore

/// Compares the desired state with the observed one and plans the least work that makes them
/// agree. Pure: no I/O, the same inputs always give the same plan.
public enum Planner {
    /// The plan that takes `observed` to `desired`.
    ///
    /// Throws `.invalidArgument` for a selected service that does not exist, and `.notFound`
    /// for an external network or volume the engine does not have.
    public static func plan(
        desired: DesiredState, observed: ObservedState, options: PlanOptions = PlanOptions()
    ) throws(StackError) -> Plan {
        var builder = PlanBuilder(desired: desired, observed: observed, options: options)
        try builder.build()
        return builder.plan
    }
}

/// The planner's working state while it walks networks, volumes, services and orphans.
struct PlanBuilder {
    let desired: DesiredState
    let options: PlanOptions
    /// The project's containers (`run` containers left out).
    let containers: [ObservedContainer]
    let observed: ObservedState
    var plan = Plan()
    var targets: Set<String> = []
    var networkSteps: [String: Int] = [:]
    var volumeSteps: [String: Int] = [:]
    /// Per service: the steps after which its containers exist under their final names.
    var readySteps: [String: [Int]] = [:]
    /// Per service: the steps that start its containers.
    var startSteps: [String: [Int]] = [:]
    var recreatedServices: Set<String> = []

    init(desired: DesiredState, observed: ObservedState, options: PlanOptions) {
        self.desired = desired
        self.observed = observed
        self.options = options
        containers = observed.containers.filter { $0.project == desired.project && !$0.isOneOff }
    }

    mutating func add(
        _ action: PlanAction, _ reason: String? = nil, after: [Int] = [], waits: [ServiceWait] = [],
        onFailure: [PlanAction] = []
    ) -> Int {
        let id = plan.steps.count + 1
        let unique = Array(Set(after)).sorted()
        plan.steps.append(PlanStep(id: id, action: action, reason: reason, after: unique, waits: waits, onFailure: onFailure))
        return id
    }

    mutating func build() throws(StackError) {
        targets = try selectTargets()
        let selected = desired.services.filter { targets.contains($0.name) }
        let whole = options.services.isEmpty
        let usedNetworks = Set(selected.flatMap(\.networks))
        let usedVolumes = Set(selected.flatMap(\.volumes))
        for network in desired.networks.sorted(by: { $0.name < $1.name }) where whole || usedNetworks.contains(network.name) {
            try planNetwork(network)
        }
        for volume in desired.volumes.sorted(by: { $0.name < $1.name }) where whole || usedVolumes.contains(volume.name) {
            try planVolume(volume)
        }
        for service in selected { planService(service) }
        planOrphans()
    }

    /// The services to act on: the selection plus, without `noDeps`, everything it needs.
    func selectTargets() throws(StackError) -> Set<String> {
        let all = Set(desired.services.map(\.name))
        if options.services.isEmpty { return all }
        for name in options.services where !all.contains(name) {
            throw StackError(.invalidArgument, "no such service: \(name)")
        }
        var chosen = Set(options.services)
        if options.noDeps { return chosen }
        var queue = options.services
        while let name = queue.popLast() {
            guard let service = desired.service(named: name) else { continue }
            for need in service.needs where all.contains(need) {
                if chosen.insert(need).inserted { queue.append(need) }
            }
        }
        return chosen
    }

    mutating func planNetwork(_ network: DesiredNetwork) throws(StackError) {
        if let found = observed.networks.first(where: { $0.name == network.name }) {
            if !network.external, let owner = found.labels[ComposeLabel.project], owner != desired.project {
                plan.warnings.append("network \(network.name) belongs to project \(owner); using it")
            } else if diverged(found.labels, network.labels) {
                plan.warnings.append(
                    "network \(network.name) exists with another configuration; `down` and `up` again to apply it")
            }
            return
        }
        if network.external {
            throw StackError(.notFound, "network \(network.name) declared as external, but could not be found")
        }
        networkSteps[network.name] = add(.createNetwork(network))
    }

    mutating func planVolume(_ volume: DesiredVolume) throws(StackError) {
        if let found = observed.volumes.first(where: { $0.name == volume.name }) {
            if !volume.external, let owner = found.labels[ComposeLabel.project], owner != desired.project {
                plan.warnings.append("volume \(volume.name) belongs to project \(owner); using it")
            } else if diverged(found.labels, volume.labels) {
                plan.warnings.append(
                    "volume \(volume.name) exists with another configuration; it is kept as it is (its data too)")
            }
            return
        }
        if volume.external {
            throw StackError(.notFound, "volume \(volume.name) declared as external, but could not be found")
        }
        volumeSteps[volume.name] = add(.createVolume(volume))
    }

    /// True when both label sets carry a config hash and the hashes differ.
    func diverged(_ found: [String: String], _ wanted: [String: String]) -> Bool {
        guard let have = found[ComposeLabel.configHash], let want = wanted[ComposeLabel.configHash] else { return false }
        return have != want
    }

    /// Why an existing, kept container must be recreated, or nil.
    func recreateReason(_ container: ObservedContainer, of service: DesiredService) -> String? {
        switch options.recreate {
        case .never: return nil
        case .force: return "forced"
        case .diverged: break
        }
        for parent in service.parents where recreatedServices.contains(parent) {
            return "\(parent) recreated"
        }
        if container.configHash != service.configHash.digest {
            let old = container.labels[ComposeLabel.configFields].flatMap(ConfigHash.parseFieldsLabel)
            let changed = old.map { service.configHash.changedFields(from: $0) } ?? []
            return changed.isEmpty ? "configuration changed" : "changed: " + changed.joined(separator: ", ")
        }
        if let imageID = service.imageID, let current = container.imageID, imageID != current {
            return "image updated"
        }
        if let missing = service.networks.first(where: { !container.networks.contains($0) }) {
            return "not attached to network \(missing)"
        }
        if let missing = service.volumes.first(where: { !container.volumes.contains($0) }) {
            return "volume \(missing) not mounted"
        }
        if container.state == .dead { return "dead" }
        return nil
    }

    mutating func planService(_ service: DesiredService) {
        // By number; for a number held twice (a recreate that was interrupted before its
        // rename), the container with the proper name first.
        func order(_ container: ObservedContainer) -> (Int, Int, String) {
            let number = container.number ?? Int.max
            let proper = container.name == service.containerName(number: number) ? 0 : 1
            return (number, proper, container.name)
        }
        let mine = containers.filter { $0.service == service.name }.sorted { order($0) < order($1) }
        var seenNumbers: Set<Int> = []
        var kept: [ObservedContainer] = []
        var excess: [ObservedContainer] = []
        for container in mine {
            if let number = container.number, kept.count < service.replicas, seenNumbers.insert(number).inserted {
                kept.append(container)
            } else {
                excess.append(container)
            }
        }
        var createAfter = service.networks.compactMap { networkSteps[$0] } + service.volumes.compactMap { volumeSteps[$0] }
        var startAfter: [Int] = []
        var waits: [ServiceWait] = []
        for parent in service.parents {
            createAfter += readySteps[parent] ?? []
            startAfter += startSteps[parent] ?? []
        }
        for wait in service.waits {
            guard desired.service(named: wait.service) != nil else {
                if !wait.required {
                    plan.warnings.append("\(service.name): optional dependency \(wait.service) is not in the project")
                }
                continue
            }
            guard targets.contains(wait.service) else { continue }
            startAfter += startSteps[wait.service] ?? []
            waits.append(wait)
        }

        for container in kept {
            let number = container.number ?? 0
            if let reason = recreateReason(container, of: service) {
                recreate(container, as: service.container(number: number), reason: reason,
                         createAfter: createAfter, startAfter: startAfter, waits: waits)
                recreatedServices.insert(service.name)
            } else {
                keep(container, service: service, startAfter: startAfter, waits: waits)
            }
        }

        let used = Set(mine.compactMap(\.number))
        var number = 0
        for _ in kept.count..<max(kept.count, service.replicas) {
            number += 1
            while used.contains(number) { number += 1 }
            let container = service.container(number: number)
            let created = add(.createContainer(container, temporaryName: nil), mine.isEmpty ? "new" : "scale up",
                              after: createAfter)
            readySteps[service.name, default: []].append(created)
            if !options.noStart {
                let started = add(.startContainer(name: container.name), after: [created] + startAfter, waits: waits)
                startSteps[service.name, default: []].append(started)
            }
        }

        let keptNumbers = Set(kept.compactMap(\.number))
        for container in excess.sorted(by: { order($0) > order($1) }) {
            let reason: String
            if let number = container.number {
                reason = keptNumbers.contains(number) ? "duplicate of number \(number)" : "scale down"
            } else {
                reason = "no container number"
            }
            stopAndRemove(container, reason: reason)
        }
    }

    /// Create-before-delete: the replacement is created under a temporary name while the old
    /// container runs; then the old one stops, the replacement starts (a start that fails removes
    /// it and starts the old one again, so a failed `up` leaves the service as it was), and only
    /// then is the old one removed and the replacement given the name.
    mutating func recreate(
        _ old: ObservedContainer, as container: DesiredContainer, reason: String, createAfter: [Int],
        startAfter: [Int], waits: [ServiceWait]
    ) {
        let temporary = "\(old.id.prefix(12))_\(container.name)"
        let created = add(.createContainer(container, temporaryName: temporary), reason, after: createAfter)
        let wasRunning = old.isRunning || old.state == .paused
        var last = created
        if wasRunning {
            last = add(.stopContainer(name: old.name, id: old.id), "replaced", after: [last])
        }
        if !options.noStart {
            let undo: [PlanAction] = [.removeContainer(name: temporary, id: temporary)]
                + (wasRunning ? [.startContainer(name: old.name)] : [])
            last = add(.startContainer(name: temporary), after: [last] + startAfter, waits: waits, onFailure: undo)
        }
        last = add(.removeContainer(name: old.name, id: old.id), "replaced", after: [last])
        let renamed = add(.renameContainer(from: temporary, to: container.name), after: [last])
        readySteps[container.service, default: []].append(renamed)
        if !options.noStart { startSteps[container.service, default: []].append(renamed) }
    }

    mutating func keep(_ container: ObservedContainer, service: DesiredService, startAfter: [Int], waits: [ServiceWait]) {
        if !options.noStart, container.state != .removing,
            let cause = waits.first(where: { $0.restart && recreatedServices.contains($0.service) })
        {
            // `depends_on: {restart: true}`: follow the dependency's new container (a completed
            // one-shot runs again too).
            let reason = "\(cause.service) recreated"
            var after = startAfter
            if container.isRunning || container.state == .paused {
                after.append(add(.stopContainer(name: container.name, id: container.id), reason, after: startAfter))
            }
            let started = add(.startContainer(name: container.name), reason, after: after, waits: waits)
            startSteps[service.name, default: []].append(started)
            return
        }
        if container.isRunning || options.noStart {
            plan.upToDate.append(container.name)
            return
        }
        switch container.state {
        case .paused:
            let step = add(.unpauseContainer(name: container.name), "paused")
            startSteps[service.name, default: []].append(step)
        case .exited where service.isOneShot && container.exitCode == 0:
            // A one-shot that completed and did not change: its work is done (unlike Compose, #11808).
            plan.upToDate.append(container.name)
        case .removing:
            plan.warnings.append("container \(container.name) is being removed")
        default:
            let reason = container.state == .exited ? "exited \(container.exitCode.map(String.init) ?? "?")"
                : container.state.rawValue
            let step = add(.startContainer(name: container.name), reason, after: startAfter, waits: waits)
            startSteps[service.name, default: []].append(step)
        }
    }

    mutating func stopAndRemove(_ container: ObservedContainer, reason: String) {
        var after: [Int] = []
        if container.isRunning || container.state == .paused {
            after = [add(.stopContainer(name: container.name, id: container.id), reason)]
        }
        _ = add(.removeContainer(name: container.name, id: container.id), reason, after: after)
    }

    mutating func planOrphans() {
        let known = Set(desired.services.map(\.name))
        let orphans = containers.filter { !known.contains($0.service ?? "") }.sorted { $0.name < $1.name }
        guard !orphans.isEmpty else { return }
        plan.orphans = orphans.map(\.name)
        if options.removeOrphans {
            for container in orphans { stopAndRemove(container, reason: "orphan") }
        } else {
            plan.warnings.append(
                "found orphan containers (\(plan.orphans.joined(separator: ", "))) for this project; "
                    + "if you removed or renamed their service, run with --remove-orphans to clean them up")
        }
    }
}
