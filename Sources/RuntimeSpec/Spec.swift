/// The container configuration of an OCI bundle (`config.json`), runtime-spec 1.1.
///
/// Members mirror the spec's names and types; optional members are optional here and are omitted when
/// nil on encoding. Unknown members are ignored on decoding. Nested types live in extensions:
/// `Spec.Process`, `Spec.Mount`, `Spec.Linux`, `Spec.Linux.Resources`, `Spec.Linux.Seccomp`.
public struct Spec: Codable, Sendable, Hashable {
    /// The runtime-spec version this runtime implements and writes.
    public static let currentVersion = "1.1.0"

    /// SemVer of the spec the bundle complies with (REQUIRED).
    public var ociVersion: String
    /// The container process; required by `create`.
    public var process: Process?
    /// The root filesystem; required on Linux.
    public var root: Root?
    public var hostname: String?
    public var domainname: String?
    /// Additional mounts, in order, on top of the root.
    public var mounts: [Mount]?
    public var hooks: Hooks?
    public var annotations: [String: String]?
    public var linux: Linux?

    public init(ociVersion: String = Spec.currentVersion) {
        self.ociVersion = ociVersion
    }
}

extension Spec {
    /// `root`: the container's root filesystem.
    public struct Root: Codable, Sendable, Hashable {
        /// Absolute, or relative to the bundle.
        public var path: String
        public var readonly: Bool?

        public init(path: String, readonly: Bool? = nil) {
            self.path = path
            self.readonly = readonly
        }
    }

    /// One entry of `mounts`.
    public struct Mount: Codable, Sendable, Hashable {
        /// Path inside the container (REQUIRED; SHOULD be absolute on Linux).
        public var destination: String
        /// Filesystem type (`proc`, `tmpfs`, `bind`, …); may be absent for bind mounts.
        public var type: String?
        /// Device name, directory, or a path relative to the bundle for bind mounts.
        public var source: String?
        /// mount(8) options, e.g. `nosuid`, `rbind`, `ro`, `mode=755`.
        public var options: [String]?
        /// ID mapping for an idmapped mount.
        public var uidMappings: [IDMapping]?
        public var gidMappings: [IDMapping]?

        public init(
            destination: String, type: String? = nil, source: String? = nil, options: [String]? = nil,
            uidMappings: [IDMapping]? = nil, gidMappings: [IDMapping]? = nil
        ) {
            self.destination = destination
            self.type = type
            self.source = source
            self.options = options
            self.uidMappings = uidMappings
            self.gidMappings = gidMappings
        }
    }

    /// A user-namespace or idmapped-mount ID range: `size` IDs from `containerID` map to `hostID`.
    public struct IDMapping: Codable, Sendable, Hashable {
        public var containerID: UInt32
        public var hostID: UInt32
        public var size: UInt32

        public init(containerID: UInt32, hostID: UInt32, size: UInt32) {
            self.containerID = containerID
            self.hostID = hostID
            self.size = size
        }
    }

    /// `hooks`: programs run at points of the container's lifecycle, each with the state on stdin.
    public struct Hooks: Codable, Sendable, Hashable {
        /// Deprecated: run in the runtime namespace after the container is created, before pivot_root.
        public var prestart: [Hook]?
        /// Runtime namespace, after the container's namespaces exist, before pivot_root.
        public var createRuntime: [Hook]?
        /// Container namespace, after the mounts, before pivot_root.
        public var createContainer: [Hook]?
        /// Container namespace, on `start`, before the user process runs.
        public var startContainer: [Hook]?
        /// Runtime namespace, after the user process started.
        public var poststart: [Hook]?
        /// Runtime namespace, after the container is deleted.
        public var poststop: [Hook]?

        public init() {}

        /// Every hook list with its member name, in lifecycle order.
        public var all: [(name: String, hooks: [Hook])] {
            [
                ("prestart", prestart ?? []), ("createRuntime", createRuntime ?? []),
                ("createContainer", createContainer ?? []), ("startContainer", startContainer ?? []),
                ("poststart", poststart ?? []), ("poststop", poststop ?? []),
            ]
        }
    }

    /// One hook: an absolute program path with argv (including argv[0]), environment and timeout in seconds.
    public struct Hook: Codable, Sendable, Hashable {
        public var path: String
        public var args: [String]?
        public var env: [String]?
        /// Seconds; at least 1 when set.
        public var timeout: Int?

        public init(path: String, args: [String]? = nil, env: [String]? = nil, timeout: Int? = nil) {
            self.path = path
            self.args = args
            self.env = env
            self.timeout = timeout
        }
    }
}
