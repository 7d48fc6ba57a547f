/// One `depends_on` entry: what a service waits for before it starts.
public struct Dependency: Sendable, Hashable, Codable {
    /// The state of the dependency to wait for.
    public enum Condition: String, StackFileEnum {
        case serviceStarted = "service_started"
        case serviceHealthy = "service_healthy"
        case serviceCompletedSuccessfully = "service_completed_successfully"
    }

    public var condition: Condition
    /// False: a missing or disabled dependency only warns.
    public var required: Bool
    /// Restart this service when Compose restarts or recreates the dependency.
    public var restart: Bool

    public init(condition: Condition = .serviceStarted, required: Bool = true, restart: Bool = false) {
        self.condition = condition
        self.required = required
        self.restart = restart
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        condition = try c.value(.condition, or: .serviceStarted)
        required = try c.value(.required, or: true)
        restart = try c.value(.restart, or: false)
    }
}
