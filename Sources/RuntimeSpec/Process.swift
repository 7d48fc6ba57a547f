extension Spec {
    /// `process`: the container process (also the format of `exec --process` files).
    public struct Process: Codable, Sendable, Hashable {
        /// Allocate a pseudoterminal (sent over the console socket) for the process.
        public var terminal: Bool?
        public var consoleSize: ConsoleSize?
        /// Who the process runs as; uid and gid 0 when absent, as in Go's decoder.
        public var user: User
        /// argv; must be non-empty for `create`.
        public var args: [String]?
        /// Windows only; kept for round trips.
        public var commandLine: String?
        /// `NAME=value` entries.
        public var env: [String]?
        /// Absolute working directory in the container (REQUIRED).
        public var cwd: String
        public var capabilities: Capabilities?
        public var rlimits: [Rlimit]?
        public var noNewPrivileges: Bool?
        public var apparmorProfile: String?
        /// -1000…1000.
        public var oomScoreAdj: Int?
        public var scheduler: Scheduler?
        public var selinuxLabel: String?
        public var ioPriority: IOPriority?
        public var execCPUAffinity: CPUAffinity?

        public init(args: [String]? = nil, cwd: String = "/", user: User = User()) {
            self.args = args
            self.cwd = cwd
            self.user = user
        }

        enum CodingKeys: String, CodingKey {
            case terminal, consoleSize, user, args, commandLine, env, cwd, capabilities, rlimits, noNewPrivileges
            case apparmorProfile, oomScoreAdj, scheduler, selinuxLabel, ioPriority, execCPUAffinity
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            terminal = try container.decodeIfPresent(Bool.self, forKey: .terminal)
            consoleSize = try container.decodeIfPresent(ConsoleSize.self, forKey: .consoleSize)
            user = try container.decodeIfPresent(User.self, forKey: .user) ?? User()
            args = try container.decodeIfPresent([String].self, forKey: .args)
            commandLine = try container.decodeIfPresent(String.self, forKey: .commandLine)
            env = try container.decodeIfPresent([String].self, forKey: .env)
            cwd = try container.decode(String.self, forKey: .cwd)
            capabilities = try container.decodeIfPresent(Capabilities.self, forKey: .capabilities)
            rlimits = try container.decodeIfPresent([Rlimit].self, forKey: .rlimits)
            noNewPrivileges = try container.decodeIfPresent(Bool.self, forKey: .noNewPrivileges)
            apparmorProfile = try container.decodeIfPresent(String.self, forKey: .apparmorProfile)
            oomScoreAdj = try container.decodeIfPresent(Int.self, forKey: .oomScoreAdj)
            scheduler = try container.decodeIfPresent(Scheduler.self, forKey: .scheduler)
            selinuxLabel = try container.decodeIfPresent(String.self, forKey: .selinuxLabel)
            ioPriority = try container.decodeIfPresent(IOPriority.self, forKey: .ioPriority)
            execCPUAffinity = try container.decodeIfPresent(CPUAffinity.self, forKey: .execCPUAffinity)
        }
    }

    /// `process.consoleSize`, in characters.
    public struct ConsoleSize: Codable, Sendable, Hashable {
        public var height: UInt
        public var width: UInt

        public init(height: UInt, width: UInt) {
            self.height = height
            self.width = width
        }
    }

    /// `process.user`: numeric ids as seen in the container.
    public struct User: Codable, Sendable, Hashable {
        public var uid: UInt32
        public var gid: UInt32
        public var umask: UInt32?
        public var additionalGids: [UInt32]?
        /// Windows only.
        public var username: String?

        public init(uid: UInt32 = 0, gid: UInt32 = 0, umask: UInt32? = nil, additionalGids: [UInt32]? = nil) {
            self.uid = uid
            self.gid = gid
            self.umask = umask
            self.additionalGids = additionalGids
        }

        enum CodingKeys: String, CodingKey {
            case uid, gid, umask, additionalGids, username
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            uid = try container.decodeIfPresent(UInt32.self, forKey: .uid) ?? 0
            gid = try container.decodeIfPresent(UInt32.self, forKey: .gid) ?? 0
            umask = try container.decodeIfPresent(UInt32.self, forKey: .umask)
            additionalGids = try container.decodeIfPresent([UInt32].self, forKey: .additionalGids)
            username = try container.decodeIfPresent(String.self, forKey: .username)
        }
    }

    /// `process.capabilities`: the five sets, as `CAP_*` names.
    public struct Capabilities: Codable, Sendable, Hashable {
        public var bounding: [String]?
        public var effective: [String]?
        public var inheritable: [String]?
        public var permitted: [String]?
        public var ambient: [String]?

        public init(
            bounding: [String]? = nil, effective: [String]? = nil, inheritable: [String]? = nil,
            permitted: [String]? = nil, ambient: [String]? = nil
        ) {
            self.bounding = bounding
            self.effective = effective
            self.inheritable = inheritable
            self.permitted = permitted
            self.ambient = ambient
        }

        /// Every set with its member name.
        public var all: [(name: String, capabilities: [String])] {
            [
                ("bounding", bounding ?? []), ("effective", effective ?? []), ("inheritable", inheritable ?? []),
                ("permitted", permitted ?? []), ("ambient", ambient ?? []),
            ]
        }
    }

    /// One of `process.rlimits`: `type` is an `RLIMIT_*` name.
    public struct Rlimit: Codable, Sendable, Hashable {
        public var type: String
        public var hard: UInt64
        public var soft: UInt64

        public init(type: String, hard: UInt64, soft: UInt64) {
            self.type = type
            self.hard = hard
            self.soft = soft
        }
    }

    /// `process.scheduler`: sched_setattr(2) parameters.
    public struct Scheduler: Codable, Sendable, Hashable {
        /// `SCHED_OTHER`, `SCHED_FIFO`, `SCHED_RR`, `SCHED_BATCH`, `SCHED_ISO`, `SCHED_IDLE`, `SCHED_DEADLINE`.
        public var policy: String
        public var nice: Int32?
        public var priority: Int32?
        /// `SCHED_FLAG_*` names.
        public var flags: [String]?
        public var runtime: UInt64?
        public var deadline: UInt64?
        public var period: UInt64?

        public init(policy: String) {
            self.policy = policy
        }
    }

    /// `process.ioPriority`: ioprio_set(2) class and level.
    public struct IOPriority: Codable, Sendable, Hashable {
        /// `IOPRIO_CLASS_RT`, `IOPRIO_CLASS_BE` or `IOPRIO_CLASS_IDLE`.
        public var `class`: String
        /// 0 (highest) … 7.
        public var priority: Int32?

        public init(class ioClass: String, priority: Int32? = nil) {
            self.class = ioClass
            self.priority = priority
        }
    }

    /// `process.execCPUAffinity`: cpu lists (`0-3,7`) before and after the process execs.
    public struct CPUAffinity: Codable, Sendable, Hashable {
        public var initial: String?
        public var final: String?

        public init(initial: String? = nil, final: String? = nil) {
            self.initial = initial
            self.final = final
        }
    }
}
