import StackCore
import StackFile
import StackModel
@testable import Reconciler

/// Loads `yaml` as /demo/compose.yaml (project `demo`) through the real loader and builds its
/// desired state.
func desiredState(
    _ yaml: String, scale: [String: Int] = [:], imageIDs: [String: String] = [:], env: [String: String] = [:]
) throws -> DesiredState {
    try DesiredState(project: loadProject(yaml, env: env), options: DesiredOptions(
        scale: scale, configFiles: ["/demo/compose.yaml"], imageIDs: imageIDs, version: "test"))
}

/// The typed project of `yaml`, loaded as /demo/compose.yaml.
func loadProject(_ yaml: String, env: [String: String] = [:], profiles: [String] = []) throws -> Project {
    var options = LoadOptions()
    options.workingDirectory = "/demo"
    options.environment = env
    options.profiles = profiles
    return try StackLoader(fileSystem: InMemoryFileSystem(["/demo/compose.yaml": yaml])).load(options).project
}

/// Plans and checks the graph: every step only waits for earlier steps.
func planned(
    _ desired: DesiredState, _ observed: ObservedState = ObservedState(), _ options: PlanOptions = PlanOptions()
) throws -> Plan {
    let plan = try Planner.plan(desired: desired, observed: observed, options: options)
    for (index, step) in plan.steps.enumerated() {
        precondition(step.id == index + 1, "step ids are positions")
        precondition(step.after.allSatisfy { $0 < step.id && $0 >= 1 }, "step \(step.id) waits for a later step")
    }
    return plan
}

/// What the engine would have after running `plan`: a small executor over value types.
func apply(_ plan: Plan, to observed: ObservedState, desired: DesiredState) -> ObservedState {
    var state = observed
    func index(named name: String) -> Int? { state.containers.firstIndex { $0.name == name } }
    for step in plan.steps {
        switch step.action {
        case .createNetwork(let network):
            state.networks.append(ObservedNetwork(id: "net-\(network.name)", name: network.name, labels: network.labels))
        case .createVolume(let volume):
            state.volumes.append(ObservedVolume(name: volume.name, labels: volume.labels))
        case .createContainer(let container, let temporary):
            let service = desired.service(named: container.service)
            let name = temporary ?? container.name
            state.containers.append(
                ObservedContainer(
                    id: SHA256.hex(name), name: name, labels: container.labels, state: .created,
                    imageID: service?.imageID, networks: service?.networks ?? [], volumes: service?.volumes ?? []))
        case .startContainer(let name), .unpauseContainer(let name):
            if let i = index(named: name) { state.containers[i].state = .running }
        case .stopContainer(_, let id):
            if let i = state.containers.firstIndex(where: { $0.id == id }) {
                state.containers[i].state = .exited
                state.containers[i].exitCode = 0
            }
        case .removeContainer(_, let id):
            state.containers.removeAll { $0.id == id }
        case .renameContainer(let from, let to):
            if let i = index(named: from) { state.containers[i].name = to }
        case .removeNetwork(let name): state.networks.removeAll { $0.name == name }
        case .removeVolume(let name): state.volumes.removeAll { $0.name == name }
        }
    }
    return state
}

/// The observed state after a fresh `up` of `desired`.
func upped(_ desired: DesiredState) throws -> ObservedState {
    apply(try planned(desired), to: ObservedState(), desired: desired)
}

/// `observed` with the named container changed by `change`.
func with(
    _ observed: ObservedState, _ name: String, _ change: (inout ObservedContainer) -> Void
) -> ObservedState {
    var state = observed
    for i in state.containers.indices where state.containers[i].name == name { change(&state.containers[i]) }
    return state
}

/// A container of project `demo` as another tool (or an older file) left it.
func foreignContainer(service: String, number: Int, state: ObservedContainerState = .running) -> ObservedContainer {
    let name = "demo-\(service)-\(number)"
    return ObservedContainer(
        id: SHA256.hex(name), name: name,
        labels: [
            ComposeLabel.project: "demo", ComposeLabel.service: service,
            ComposeLabel.containerNumber: String(number), ComposeLabel.oneOff: "False",
        ], state: state)
}

/// The first 12 hex digits of a container's test ID (the prefix of its temporary name).
func shortID(_ name: String) -> String { String(SHA256.hex(name).prefix(12)) }
