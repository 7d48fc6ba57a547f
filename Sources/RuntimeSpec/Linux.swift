extension Spec {
    /// `linux`: the Linux-specific configuration.
    public struct Linux: Codable, Sendable, Hashable {
        /// User-namespace mappings; required when a new user namespace is created.
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?
        /// Time-namespace offsets by clock name (`boottime`, `monotonic`).
        public var timeOffsets: [String: TimeOffset]?
        /// Namespaced kernel parameters, e.g. `net.ipv4.ip_forward: "1"`.
        public var sysctl: [String: String]?
        public var resources: Resources?
        /// Absolute (under the cgroup root), relative (under the runtime's own cgroup), or `slice:prefix:name`
        /// for the systemd driver.
        public var cgroupsPath: String?
        public var namespaces: [Namespace]?
        /// Device nodes to create in the container's /dev.
        public var devices: [Device]?
        /// Network devices to move into the container, by host name.
        public var netDevices: [String: NetDevice]?
        public var seccomp: Seccomp?
        /// `private`, `shared`, `slave` or `unbindable` (the `r` forms are accepted too).
        public var rootfsPropagation: String?
        /// Paths covered (by /dev/null or an empty read-only tmpfs) so the container cannot read them.
        public var maskedPaths: [String]?
        /// Paths remounted read-only.
        public var readonlyPaths: [String]?
        public var mountLabel: String?
        public var intelRdt: IntelRdt?
        public var memoryPolicy: MemoryPolicy?
        public var personality: Personality?

        public init() {}

        /// The namespace entry of the given type, when the spec lists one.
        public func namespace(_ type: NamespaceType) -> Namespace? {
            namespaces?.first { $0.type == type.rawValue }
        }
    }

    /// One of `linux.namespaces`: a type, and a path when joining an existing namespace.
    public struct Namespace: Codable, Sendable, Hashable {
        /// `mount`, `pid`, `network`, `uts`, `ipc`, `user`, `cgroup` or `time`; see `NamespaceType`.
        public var type: String
        /// An existing namespace file to join (e.g. `/proc/1234/ns/net`); nil creates a new namespace.
        public var path: String?

        public init(type: String, path: String? = nil) {
            self.type = type
            self.path = path
        }

        public init(_ type: NamespaceType, path: String? = nil) {
            self.init(type: type.rawValue, path: path)
        }

        /// The type, when it is one this runtime knows.
        public var kind: NamespaceType? { NamespaceType(rawValue: type) }
    }

    /// A time-namespace clock offset.
    public struct TimeOffset: Codable, Sendable, Hashable {
        public var secs: Int64?
        public var nanosecs: UInt32?

        public init(secs: Int64? = nil, nanosecs: UInt32? = nil) {
            self.secs = secs
            self.nanosecs = nanosecs
        }
    }

    /// One of `linux.devices`: a device node to create.
    public struct Device: Codable, Sendable, Hashable {
        /// `c` (or `u`), `b`, or `p` (FIFO).
        public var type: String
        /// Absolute path in the container.
        public var path: String
        public var major: Int64?
        public var minor: Int64?
        /// Permission bits, written in decimal in JSON (438 is 0666).
        public var fileMode: UInt32?
        public var uid: UInt32?
        public var gid: UInt32?

        public init(
            type: String, path: String, major: Int64? = nil, minor: Int64? = nil, fileMode: UInt32? = nil,
            uid: UInt32? = nil, gid: UInt32? = nil
        ) {
            self.type = type
            self.path = path
            self.major = major
            self.minor = minor
            self.fileMode = fileMode
            self.uid = uid
            self.gid = gid
        }
    }

    /// A network device to move into the container, optionally renamed.
    public struct NetDevice: Codable, Sendable, Hashable {
        public var name: String?

        public init(name: String? = nil) {
            self.name = name
        }
    }

    /// `linux.intelRdt`: resctrl class and schemata.
    public struct IntelRdt: Codable, Sendable, Hashable {
        public var closID: String?
        public var l3CacheSchema: String?
        public var memBwSchema: String?
        public var schemata: [String]?
        public var enableMonitoring: Bool?
        public var enableCMT: Bool?
        public var enableMBM: Bool?

        public init() {}
    }

    /// `linux.memoryPolicy`: set_mempolicy(2) mode, nodes and flags.
    public struct MemoryPolicy: Codable, Sendable, Hashable {
        public var mode: String?
        public var nodes: String?
        public var flags: [String]?

        public init() {}
    }

    /// `linux.personality`: execution domain `LINUX` or `LINUX32`.
    public struct Personality: Codable, Sendable, Hashable {
        public var domain: String
        public var flags: [String]?

        public init(domain: String, flags: [String]? = nil) {
            self.domain = domain
            self.flags = flags
        }
    }
}
