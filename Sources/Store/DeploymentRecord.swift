/// One plan in the deployment journal: what stackd was asked to carry out and how far it got.
public struct DeploymentRecord: Sendable, Hashable {
    /// Where a deployment stands.
    public enum State: String, Sendable {
        /// Under way, or interrupted by a crash when found at start.
        case running
        /// Every step done.
        case done
        /// A step failed; `error` says which and why.
        case failed
    }

    public var id: String
    public var project: String
    /// The request as the client sent it (JSON), replayed after a crash.
    public var plan: String
    public var createdAt: Double
    public var state: State
    public var error: String?
    /// Ids of the steps that have finished.
    public var doneSteps: Set<Int>

    public init(
        id: String, project: String, plan: String, createdAt: Double, state: State = .running, error: String? = nil,
        doneSteps: Set<Int> = []
    ) {
        self.id = id
        self.project = project
        self.plan = plan
        self.createdAt = createdAt
        self.state = state
        self.error = error
        self.doneSteps = doneSteps
    }
}
