import StackCore
import StackModel

/// A stack resolved to its canonical tree, before the typed model is decoded: what
/// `stack config` prints, and everything the loader noticed on the way.
public struct ResolvedStack: Sendable {
    /// The project name.
    public var name: String
    /// The project directory.
    public var workingDirectory: String
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

    /// Decodes the typed model from the canonical tree.
    public func decodeProject() throws(StackError) -> Project {
        try ProjectDecoder.decode(canonical, name: name, workingDirectory: workingDirectory)
    }
}

/// The result of loading a stack: the typed model and the resolved stack it came from.
public struct LoadedStack: Sendable {
    /// The desired state, typed.
    public var project: Project
    /// The canonical tree and the loader's findings.
    public var resolved: ResolvedStack

    public var canonical: Node { resolved.canonical }
    public var warnings: [StackWarning] { resolved.warnings }
    public var files: [String] { resolved.files }
    public var variables: [String: String] { resolved.variables }
    public var activeProfiles: [String] { resolved.activeProfiles }
    public var allProfiles: [String] { resolved.allProfiles }
}
