/// `POST /stack/deployments`: a plan made by the client (`stack up`, `stack down`), with every
/// engine request already built, for stackd to journal and carry out. stackd runs independent
/// steps in parallel, waits for `depends_on` conditions, and finishes the plan after a crash.
public struct DeploymentRequest: Codable, Sendable, Hashable {
    /// The Compose project the plan is for (one deployment per project at a time).
    public var project: String
    /// The plan's steps in a valid order: each step's `after` names lower ids only.
    public var steps: [DeploymentStep]
    /// How long one `depends_on` condition may take, in seconds (Compose waits forever; we do not).
    public var waitTimeout: Double

    public init(project: String, steps: [DeploymentStep], waitTimeout: Double = 300) {
        self.project = project
        self.steps = steps
        self.waitTimeout = waitTimeout
    }

    enum CodingKeys: String, CodingKey {
        case project = "Project"
        case steps = "Steps"
        case waitTimeout = "WaitTimeout"
    }
}

/// One step of a deployment.
public struct DeploymentStep: Codable, Sendable, Hashable, Identifiable {
    /// 1-based, unique within the deployment.
    public var id: Int
    /// Steps that must have finished first.
    public var after: [Int]
    /// The plan's line for it (`5. recreate container demo-web-1 as …`), for progress and errors.
    public var line: String
    public var action: DeploymentAction
    /// Conditions on other services to wait for before the action (container starts).
    public var waits: [DeploymentWait]
    /// Run, in order, when the action fails: it undoes what the deployment changed so far (the
    /// start of a replacement removes it and starts the replaced container again).
    public var onFailure: [DeploymentAction]

    public init(
        id: Int, after: [Int] = [], line: String, action: DeploymentAction, waits: [DeploymentWait] = [],
        onFailure: [DeploymentAction] = []
    ) {
        self.id = id
        self.after = after
        self.line = line
        self.action = action
        self.waits = waits
        self.onFailure = onFailure
    }

    enum CodingKeys: String, CodingKey {
        case id, after, line, action, waits, onFailure
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        after = try c.decodeIfPresent([Int].self, forKey: .after) ?? []
        line = try c.decode(String.self, forKey: .line)
        action = try c.decode(DeploymentAction.self, forKey: .action)
        waits = try c.decodeIfPresent([DeploymentWait].self, forKey: .waits) ?? []
        onFailure = try c.decodeIfPresent([DeploymentAction].self, forKey: .onFailure) ?? []
    }
}

/// What a deployment step does, with the request the engine gets.
public enum DeploymentAction: Codable, Sendable, Hashable {
    case createNetwork(NetworkCreateRequest)
    case createVolume(VolumeCreateRequest)
    /// Create a container under `name` (a temporary name when it replaces another); `display` is
    /// the name the user knows it by.
    case createContainer(name: String, display: String, request: ContainerCreateRequest)
    case startContainer(name: String)
    case unpauseContainer(name: String)
    /// `timeout`: seconds before SIGKILL (nil: the container's own stop timeout).
    case stopContainer(id: String, name: String, timeout: Int?)
    /// `volumes`: also its anonymous volumes (`down -v`).
    case removeContainer(id: String, name: String, volumes: Bool)
    case renameContainer(from: String, to: String)
    case removeNetwork(name: String)
    case removeVolume(name: String)
}

/// A `depends_on` condition: every container in `containers` (the dependency's) must meet it.
public struct DeploymentWait: Codable, Sendable, Hashable {
    public enum Condition: String, Codable, Sendable, Hashable {
        case started = "service_started"
        case healthy = "service_healthy"
        case completedSuccessfully = "service_completed_successfully"
    }

    public var service: String
    public var containers: [String]
    public var condition: Condition

    public init(service: String, containers: [String], condition: Condition) {
        self.service = service
        self.containers = containers
        self.condition = condition
    }
}

/// One line of `POST /stack/deployments`'s streamed answer: a step that ended, then a last line
/// with `finished` set (and `error` when the deployment failed).
public struct DeploymentProgress: Codable, Sendable, Hashable {
    /// The deployment's id in the journal.
    public var deployment: String
    /// The step that ended (nil on the last line).
    public var step: Int?
    /// What happened, for the user: `✔ Container demo-web-1  Started`.
    public var message: String?
    /// The deployment is over.
    public var finished: Bool
    /// Why it failed, naming the step.
    public var error: String?

    public init(deployment: String, step: Int? = nil, message: String? = nil, finished: Bool = false, error: String? = nil) {
        self.deployment = deployment
        self.step = step
        self.message = message
        self.finished = finished
        self.error = error
    }

    enum CodingKeys: String, CodingKey {
        case deployment = "Deployment"
        case step = "Step"
        case message = "Message"
        case finished = "Finished"
        case error = "Error"
    }
}

/// `GET /stack/deployments?project=P`: one journaled deployment.
public struct DeploymentSummary: Codable, Sendable, Hashable {
    public var id: String
    public var project: String
    /// running, done or failed.
    public var state: String
    public var error: String?
    public var steps: Int
    public var doneSteps: [Int]

    public init(id: String, project: String, state: String, error: String?, steps: Int, doneSteps: [Int]) {
        self.id = id
        self.project = project
        self.state = state
        self.error = error
        self.steps = steps
        self.doneSteps = doneSteps
    }

    enum CodingKeys: String, CodingKey {
        case id = "ID", project = "Project", state = "State", error = "Error", steps = "Steps", doneSteps = "DoneSteps"
    }
}
