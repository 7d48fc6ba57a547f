import StackAPI
import StackCore
import StackModel

/// Turns a plan into the deployment stackd carries out: every engine request built up front (a
/// field the engine cannot honour fails here, before anything changes), and each `depends_on`
/// condition resolved to the dependency's container names. Pure.
public enum DeploymentBuilder {
    /// What `down` and `up` add to the plan's own content.
    public struct Options: Sendable, Hashable {
        /// Seconds between the stop signal and SIGKILL for stops (nil: each container's own).
        public var stopTimeout: Int?
        /// Remove anonymous volumes with the containers (`down -v`).
        public var removeVolumes: Bool
        /// How long one `depends_on` condition may take.
        public var waitTimeout: Double

        public init(stopTimeout: Int? = nil, removeVolumes: Bool = false, waitTimeout: Double = 300) {
            self.stopTimeout = stopTimeout
            self.removeVolumes = removeVolumes
            self.waitTimeout = waitTimeout
        }
    }

    /// The deployment for `plan`, made from `desired` (of `project`).
    public static func request(
        for plan: Plan, desired: DesiredState, project: Project, options: Options = Options()
    ) throws(StackError) -> DeploymentRequest {
        var steps: [DeploymentStep] = []
        for step in plan.steps {
            var waits: [DeploymentWait] = []
            for wait in step.waits {
                guard let service = desired.service(named: wait.service) else {
                    if wait.required {
                        throw StackError(.notFound, "step \(step.line): dependency \(wait.service) is not in the project")
                    }
                    continue
                }
                waits.append(
                    DeploymentWait(
                        service: wait.service, containers: service.containers.map(\.name), condition: condition(wait.condition)))
            }
            var undo: [DeploymentAction] = []
            for action in step.onFailure {
                undo.append(try self.action(action, desired: desired, project: project, options: options))
            }
            steps.append(
                DeploymentStep(
                    id: step.id, after: step.after, line: step.line,
                    action: try action(step.action, desired: desired, project: project, options: options), waits: waits,
                    onFailure: undo))
        }
        return DeploymentRequest(project: desired.project, steps: steps, waitTimeout: options.waitTimeout)
    }

    static func condition(_ condition: Dependency.Condition) -> DeploymentWait.Condition {
        switch condition {
        case .serviceStarted: return .started
        case .serviceHealthy: return .healthy
        case .serviceCompletedSuccessfully: return .completedSuccessfully
        }
    }

    static func action(
        _ action: PlanAction, desired: DesiredState, project: Project, options: Options
    ) throws(StackError) -> DeploymentAction {
        switch action {
        case .createNetwork(let network):
            return .createNetwork(try ServiceRequests.network(for: network, definition: project.network(forKey: network.key)))
        case .createVolume(let volume):
            return .createVolume(try ServiceRequests.volume(for: volume, definition: project.volume(forKey: volume.key)))
        case .createContainer(let container, let temporaryName):
            guard let service = desired.service(named: container.service) else {
                throw StackError(.internalError, "no service \(container.service) in the desired state")
            }
            let (name, request) = try ServiceRequests.container(for: service, number: container.number, desired: desired)
            return .createContainer(name: temporaryName ?? name, display: name, request: request)
        case .startContainer(let name):
            return .startContainer(name: name)
        case .unpauseContainer(let name):
            return .unpauseContainer(name: name)
        case .stopContainer(let name, let id):
            return .stopContainer(id: id, name: name, timeout: options.stopTimeout)
        case .removeContainer(let name, let id):
            return .removeContainer(id: id, name: name, volumes: options.removeVolumes)
        case .renameContainer(let from, let to):
            return .renameContainer(from: from, to: to)
        case .removeNetwork(let name):
            return .removeNetwork(name: name)
        case .removeVolume(let name):
            return .removeVolume(name: name)
        }
    }
}
