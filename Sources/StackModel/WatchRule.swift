/// A service's `develop` section.
public struct DevelopConfig: Sendable, Hashable, Codable {
    /// File-watch rules, in declaration order.
    public var watch: [WatchRule]

    public init(watch: [WatchRule] = []) { self.watch = watch }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        watch = try c.value(.watch, or: [])
    }
}

/// One `develop.watch` rule: what to do when files under `path` change.
public struct WatchRule: Sendable, Hashable, Codable {
    /// The reaction to a change.
    public enum Action: String, StackFileEnum {
        /// Copy changed files into the running containers.
        case sync
        /// Rebuild the image and recreate the service.
        case rebuild
        /// Restart the service's containers.
        case restart
        /// Sync, then restart.
        case syncRestart = "sync+restart"
        /// Sync, then run `exec` in the containers.
        case syncExec = "sync+exec"
    }

    /// The host path to watch (absolute after loading).
    public var path: String
    public var action: Action
    /// The container path that `sync` actions copy to.
    public var target: String?
    /// Patterns (relative to `path`) to ignore.
    public var ignore: [String]
    /// Patterns (relative to `path`) to watch exclusively.
    public var include: [String]
    /// Sync existing files when watching starts.
    public var initialSync: Bool
    /// The command run by `sync+exec`.
    public var exec: ServiceHook?

    public init(
        path: String, action: Action, target: String? = nil, ignore: [String] = [], include: [String] = [],
        initialSync: Bool = false, exec: ServiceHook? = nil
    ) {
        self.path = path
        self.action = action
        self.target = target
        self.ignore = ignore
        self.include = include
        self.initialSync = initialSync
        self.exec = exec
    }

    enum CodingKeys: String, CodingKey {
        case path, action, target, ignore, include, exec
        case initialSync = "initial_sync"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        path = try c.decode(String.self, forKey: .path)
        action = try c.decode(Action.self, forKey: .action)
        target = try c.optional(.target)
        ignore = try c.value(.ignore, or: [])
        include = try c.value(.include, or: [])
        initialSync = try c.value(.initialSync, or: false)
        exec = try c.optional(.exec)
    }
}

/// A command run inside a service's containers (`post_start`, `pre_stop`, `develop.watch[].exec`).
public struct ServiceHook: Sendable, Hashable, Codable {
    public var command: [String]
    public var user: String?
    public var privileged: Bool
    public var workingDir: String?
    public var environment: [String: String?]

    public init(
        command: [String], user: String? = nil, privileged: Bool = false, workingDir: String? = nil,
        environment: [String: String?] = [:]
    ) {
        self.command = command
        self.user = user
        self.privileged = privileged
        self.workingDir = workingDir
        self.environment = environment
    }

    enum CodingKeys: String, CodingKey {
        case command, user, privileged, environment
        case workingDir = "working_dir"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        command = try c.value(.command, or: [])
        user = try c.optional(.user)
        privileged = try c.value(.privileged, or: false)
        workingDir = try c.optional(.workingDir)
        environment = try c.value(.environment, or: [:])
    }
}
