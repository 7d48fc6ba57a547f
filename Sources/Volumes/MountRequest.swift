/// One mount a container asked for (`-v`, `--mount`, `--tmpfs`, a stack file's `volumes:` or an
/// image's `VOLUME`), after parsing and before the engine resolves it to a host path.
public struct MountRequest: Sendable, Hashable, Codable {
    /// The propagation modes a bind mount accepts.
    public static let propagationModes: Set<String> = ["shared", "slave", "private", "rshared", "rslave", "rprivate"]
    /// Docker's default propagation for binds.
    public static let defaultPropagation = "rprivate"

    public var kind: MountKind
    /// Bind: the absolute host path. Volume: the volume's name, `""` for an anonymous volume. Tmpfs: `""`.
    public var source: String
    /// The absolute path in the container, cleaned (`/data`, never `/data/`).
    public var target: String
    public var readOnly: Bool
    /// Bind propagation (`rprivate` when nil); nil for volumes and tmpfs.
    public var propagation: String?
    /// Bind: create a missing source directory (`-v` does, `--mount` only with `bind-create-host-path`).
    public var createHostPath: Bool
    /// Volume: do not copy the image's content into a fresh volume (`nocopy`, `volume-nocopy`).
    public var noCopy: Bool
    /// Tmpfs: size in bytes (nil: the kernel's default, half of RAM).
    public var tmpfsSize: Int64?
    /// Tmpfs: permission bits of the mount's root (nil: 1777).
    public var tmpfsMode: UInt32?
    /// The `-v` mode text as given (`ro,z`), for inspect's `Mode`; empty for `--mount`.
    public var mode: String

    public init(
        kind: MountKind, source: String = "", target: String, readOnly: Bool = false, propagation: String? = nil,
        createHostPath: Bool = false, noCopy: Bool = false, tmpfsSize: Int64? = nil, tmpfsMode: UInt32? = nil,
        mode: String = ""
    ) {
        self.kind = kind
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.propagation = propagation
        self.createHostPath = createHostPath
        self.noCopy = noCopy
        self.tmpfsSize = tmpfsSize
        self.tmpfsMode = tmpfsMode
        self.mode = mode
    }

    /// True for a volume without a name (the engine gives it `VolumeName.anonymous()`).
    public var isAnonymousVolume: Bool { kind == .volume && source.isEmpty }

    /// The propagation the mount gets: the requested one for binds (default `rprivate`), nil otherwise.
    public var effectivePropagation: String? {
        kind == .bind ? (propagation ?? MountRequest.defaultPropagation) : nil
    }
}
