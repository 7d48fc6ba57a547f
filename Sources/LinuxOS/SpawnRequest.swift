/// What `Spawner.spawn` starts: a program, its namespaces, fds and cgroup.
public struct SpawnRequest: Sendable {
    /// The program for `execve`; no PATH search happens (resolve it before spawning).
    public var path: String
    /// `argv`, including `argv[0]`.
    public var arguments: [String]
    /// `envp`, as `NAME=value` strings.
    public var environment: [String]
    /// Namespaces to create.
    public var namespaces: Set<Namespace> = []
    /// Namespaces to join before any new one is created (the user namespace first).
    public var joins: [NamespaceJoin] = []
    /// fds the child gets at fixed numbers. Unmapped fds >= 3 are closed at exec; 0–2 are
    /// inherited unless mapped.
    public var fds: [FDMapping] = []
    /// Start a new session (`setsid`).
    public var newSession = false
    /// A cgroup2 directory fd to start the child in (CLONE_INTO_CGROUP, or cgroup.procs).
    public var cgroupFD: Int32?
    /// fds open for writing on cgroup v1 `tasks` files. Right after release the child writes `0`
    /// to each, joining those hierarchies itself: unlike a `cgroup.procs` write by the parent this
    /// takes no global lock (whose first use costs the kernel an RCU grace period). The kernel
    /// checks the credentials the files were opened with. The child closes its copies.
    public var cgroupTaskFDs: [Int32] = []
    /// `chdir` right before `execve`.
    public var workingDirectory: String?
    /// `PR_SET_PDEATHSIG`; note it fires when the spawning *thread* exits.
    public var parentDeathSignal: Int32?
    /// Also open a pidfd for the child.
    public var wantsPidfd = false
    /// Use clone3 where the kernel has it; false forces the legacy clone() and the cgroup.procs
    /// fallback (for seccomp profiles that mishandle clone3, and for tests of that path).
    public var usesClone3 = true
    /// Become uid and gid 0 right after release (the user namespace's maps are written by then),
    /// so that a child in a new or joined user namespace keeps its capabilities across `execve`.
    public var becomesRoot = false
    /// A container init plan (`cruntime_init.h`, encoded by ContainerInit's `InitPlan`): when set,
    /// the child runs it instead of executing `path`, and `release()` returns as it starts.
    public var initPlan: [UInt8]?

    public init(path: String, arguments: [String], environment: [String] = []) {
        self.path = path
        self.arguments = arguments
        self.environment = environment
    }

    /// A child that runs a container init plan (no program of its own).
    public init(initPlan: [UInt8]) {
        self.init(path: "", arguments: [])
        self.initPlan = initPlan
    }
}

/// A namespace to join: an open fd, or a path such as `/proc/123/ns/net` opened for the spawn.
public struct NamespaceJoin: Sendable, Hashable {
    public enum Target: Sendable, Hashable {
        case fd(Int32)
        case path(String)
    }

    /// The kind, checked by `setns` (nil: any kind, named only as "setns" in errors).
    public var namespace: Namespace?
    public var target: Target

    public init(_ namespace: Namespace?, fd: Int32) {
        self.namespace = namespace
        self.target = .fd(fd)
    }

    public init(_ namespace: Namespace?, path: String) {
        self.namespace = namespace
        self.target = .path(path)
    }
}
