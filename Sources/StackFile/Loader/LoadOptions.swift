/// Everything that selects and shapes what the loader reads: the global command-line flags of
/// `stack` plus the process environment.
public struct LoadOptions: Sendable {
    /// `-f` files, in order; empty means discover them.
    public var files: [String] = []
    /// `-p`.
    public var projectName: String?
    /// `--project-directory`.
    public var projectDirectory: String?
    /// `--profile`, repeatable.
    public var profiles: [String] = []
    /// `--env-file`, repeatable; replaces the project's `.env`.
    public var envFiles: [String] = []
    /// The process environment (shell variables win over `.env`).
    public var environment: [String: String] = [:]
    /// The directory discovery starts from and relative `-f` paths are resolved against.
    public var workingDirectory: String = "/"
    /// False for `--no-interpolate`.
    public var interpolate = true
    /// False for `--no-consistency`: skip the semantic checks (undefined references, cycles …).
    public var checkConsistency = true
    /// Services named on the command line: they are enabled whatever their profiles.
    public var services: [String] = []

    public init() {}
}
