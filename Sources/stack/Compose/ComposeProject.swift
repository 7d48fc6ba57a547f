import ArgumentParser
import Reconciler
import StackCore
import StackFile
import StackModel

/// The stack file as the service commands (`start`, `stop`, `run`, …) need it: the project, its
/// desired state with the services in dependency order, and the order in which to act on them.
struct ComposeProject: Sendable {
    let project: Project
    let files: [String]
    /// The variables the file was interpolated with (`run -e KEY` takes KEY's value from here).
    let variables: [String: String]
    let desired: DesiredState

    var name: String { project.name }

    /// Load the stack file (`-f`, `-p`, …); a loader error is printed and becomes the exit status.
    /// Services named on the command line activate their profiles, as with Compose.
    static func load(_ global: GlobalOptions, services: [String] = []) throws -> ComposeProject {
        do {
            let loaded = try StackLoader().load(global.loadOptions(interpolate: true, services: services))
            Terminal.warn(loaded.warnings)
            let desired = try DesiredState(
                project: loaded.project, options: DesiredOptions(configFiles: loaded.files, version: "stack"))
            return ComposeProject(project: loaded.project, files: loaded.files, variables: loaded.variables, desired: desired)
        } catch {
            throw ExitCode(Terminal.fail(error))
        }
    }

    /// Fails (status 1) naming the first of `services` the stack file does not have.
    func check(_ services: [String]) throws {
        for service in services where desired.service(named: service) == nil {
            Terminal.err("stack: no such service: \(service)\n")
            throw ExitCode(1)
        }
    }

    /// The services a service needs running first: its `depends_on` entries and the services it
    /// borrows volumes or a network namespace from.
    func needs(_ service: String) -> [String] {
        guard let desired = desired.service(named: service) else { return [] }
        return desired.needs.filter { self.desired.service(named: $0) != nil }
    }

    /// `services` (all when empty) and, with `dependencies`, everything they need, transitively.
    func selection(_ services: [String], dependencies: Bool) -> Set<String> {
        if services.isEmpty { return Set(desired.services.map(\.name)) }
        var selected = Set(services)
        guard dependencies else { return selected }
        var pending = services
        while let next = pending.popLast() {
            for need in needs(next) where selected.insert(need).inserted { pending.append(need) }
        }
        return selected
    }

    /// The `selected` services in waves: each wave only needs services of earlier waves, so a
    /// wave's services can be acted on together. Reverse the waves to stop or remove.
    func waves(_ selected: Set<String>) -> [[String]] {
        var depth: [String: Int] = [:]
        // `desired.services` is in dependency order: a service's needs come before it.
        for service in desired.services where selected.contains(service.name) {
            depth[service.name] = (needs(service.name).compactMap { depth[$0] }.max() ?? -1) + 1
        }
        var waves: [[String]] = Array(repeating: [], count: (depth.values.max() ?? -1) + 1)
        for service in desired.services {
            if let level = depth[service.name] { waves[level].append(service.name) }
        }
        return waves
    }
}
