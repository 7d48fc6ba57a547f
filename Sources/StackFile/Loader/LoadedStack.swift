import StackCore
import StackModel


/// The result of loading a stack: the typed model, the normalized tree `stack config` prints,
/// and everything the loader noticed on the way.
public struct LoadedStack: Sendable {
    /// The desired state, typed.
    public var project: Project
    /// The canonical, normalized tree (long syntax, absolute paths, defaults filled in).
    public var canonical: Node
    /// Non-fatal findings, each with its position.
    public var warnings: [StackWarning]
    /// The stack files that were read, in merge order.
    public var files: [String]
    /// The variables used for interpolation (`.env` overridden by the shell).
    public var variables: [String: String]
    /// Profiles that were active.
    public var activeProfiles: [String]
    /// Every profile named by any service, sorted.
    public var allProfiles: [String]
}
