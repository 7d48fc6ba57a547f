/// `up`'s options that change the plan.
public struct PlanOptions: Sendable, Hashable {
    /// When existing containers are recreated.
    public enum RecreatePolicy: Sendable, Hashable {
        /// When their configuration, image or attachments diverged (the default).
        case diverged
        /// Always (`--force-recreate`).
        case force
        /// Never (`--no-recreate`): existing containers are only started.
        case never
    }

    public var recreate: RecreatePolicy
    /// Create, but do not start (`--no-start`).
    public var noStart: Bool
    /// With `services`, leave their dependencies alone (`--no-deps`).
    public var noDeps: Bool
    /// Only these services (and, without `noDeps`, what they depend on); empty means all.
    public var services: [String]
    /// Stop and remove containers of services no longer in the file (`--remove-orphans`).
    public var removeOrphans: Bool

    public init(
        recreate: RecreatePolicy = .diverged, noStart: Bool = false, noDeps: Bool = false, services: [String] = [],
        removeOrphans: Bool = false
    ) {
        self.recreate = recreate
        self.noStart = noStart
        self.noDeps = noDeps
        self.services = services
        self.removeOrphans = removeOrphans
    }
}
