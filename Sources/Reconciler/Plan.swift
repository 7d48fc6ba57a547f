/// What a plan step does to the engine.
public enum PlanAction: Sendable, Hashable {
    case createNetwork(DesiredNetwork)
    case createVolume(DesiredVolume)
    /// Create a container; `temporaryName` is set when it replaces an existing one (recreate),
    /// which keeps its name until it is removed.
    case createContainer(DesiredContainer, temporaryName: String?)
    case startContainer(name: String)
    case unpauseContainer(name: String)
    case stopContainer(name: String, id: String)
    case removeContainer(name: String, id: String)
    /// Give a recreated container its final name once the old one is gone.
    case renameContainer(from: String, to: String)
    /// Remove a project network (`down`).
    case removeNetwork(name: String)
    /// Remove a project volume (`down -v`).
    case removeVolume(name: String)
}

/// One node of the plan's dependency graph.
public struct PlanStep: Sendable, Hashable, Identifiable {
    /// 1-based; also the step's position in `Plan.steps`.
    public var id: Int
    public var action: PlanAction
    /// Why: `new`, `scale up`, `changed: image, environment`, `image updated`, `orphan` …
    public var reason: String?
    /// Steps that must have finished first (lower ids only: the list is a topological order).
    public var after: [Int]
    /// `depends_on` conditions to wait for before this step runs (set on container starts).
    public var waits: [ServiceWait]
    /// What undoes the plan's changes so far when this step fails: the start of a replacement
    /// removes it and starts the container it replaced again.
    public var onFailure: [PlanAction]

    public init(
        id: Int, action: PlanAction, reason: String? = nil, after: [Int] = [], waits: [ServiceWait] = [],
        onFailure: [PlanAction] = []
    ) {
        self.id = id
        self.action = action
        self.reason = reason
        self.after = after
        self.waits = waits
        self.onFailure = onFailure
    }

    /// The step as one line, e.g.
    /// `5. recreate container demo-web-1 as 0123456789ab_demo-web-1 (changed: environment) [after 1]`.
    public var line: String {
        var text = "\(id). " + Self.describe(action)
        if let reason { text += " (\(reason))" }
        var notes: [String] = []
        if !after.isEmpty { notes.append("after " + after.map(String.init).joined(separator: ",")) }
        if !waits.isEmpty { notes.append("wait " + waits.map(\.description).joined(separator: ",")) }
        if !onFailure.isEmpty { notes.append("on failure: " + onFailure.map(Self.describe).joined(separator: ", ")) }
        if !notes.isEmpty { text += " [" + notes.joined(separator: "; ") + "]" }
        return text
    }

    /// An action in words: `recreate container demo-web-1 as 0123456789ab_demo-web-1`.
    public static func describe(_ action: PlanAction) -> String {
        switch action {
        case .createNetwork(let network): return "create network \(network.name)"
        case .createVolume(let volume): return "create volume \(volume.name)"
        case .createContainer(let container, let temporary?): return "recreate container \(container.name) as \(temporary)"
        case .createContainer(let container, nil): return "create container \(container.name)"
        case .startContainer(let name): return "start container \(name)"
        case .unpauseContainer(let name): return "unpause container \(name)"
        case .stopContainer(let name, _): return "stop container \(name)"
        case .removeContainer(let name, _): return "remove container \(name)"
        case .renameContainer(let from, let to): return "rename container \(from) to \(to)"
        case .removeNetwork(let name): return "remove network \(name)"
        case .removeVolume(let name): return "remove volume \(name)"
        }
    }
}

/// The result of planning: a dependency graph of steps (listed in a valid order), the
/// containers left as they are, and what the user should know.
public struct Plan: Sendable, Hashable {
    public var steps: [PlanStep]
    /// Containers that need nothing (running and current, or one-shots that completed).
    public var upToDate: [String]
    /// Names of the project's containers whose service is no longer in the stack file.
    public var orphans: [String]
    /// Messages for the user (orphans left in place, optional dependencies skipped …).
    public var warnings: [String]

    public init(steps: [PlanStep] = [], upToDate: [String] = [], orphans: [String] = [], warnings: [String] = []) {
        self.steps = steps
        self.upToDate = upToDate
        self.orphans = orphans
        self.warnings = warnings
    }

    /// True when `up` has nothing to do.
    public var isEmpty: Bool { steps.isEmpty }

    /// The steps that may run now: not in `finished`, and everything they come after is.
    /// An executor runs these in parallel, adds them to `finished` as they end, and asks again.
    public func runnable(finished: Set<Int>) -> [PlanStep] {
        steps.filter { !finished.contains($0.id) && $0.after.allSatisfy(finished.contains) }
    }

    /// The plan as text, one line per step and then one per warning; `nothing to do` for an
    /// empty plan. Stable: the same inputs always give the same text (`up --dry-run`).
    public func render() -> String {
        var lines = steps.map(\.line)
        if lines.isEmpty { lines.append("nothing to do") }
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}
