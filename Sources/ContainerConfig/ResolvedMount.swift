import RuntimeSpec
import StackAPI
import Volumes

/// One mount of a container after the engine resolved it: a host path for binds and volumes (a
/// volume's `_data`), the tmpfs options, read-only and propagation. The engine keeps these with
/// the container (inspect's `Mounts`, `--volumes-from`) and the spec builder turns them into OCI mounts.
public struct ResolvedMount: Sendable, Hashable, Codable {
    public var kind: MountKind
    /// The volume's name (volumes only; 64 hex digits for an anonymous one).
    public var name: String
    /// The host path: a bind's source, a volume's `_data`; empty for tmpfs.
    public var source: String
    /// The absolute, cleaned path in the container.
    public var target: String
    public var readOnly: Bool
    /// Binds: `rprivate` unless asked otherwise; nil for volumes and tmpfs.
    public var propagation: String?
    /// Volumes: skip copy-up.
    public var noCopy: Bool
    /// Volumes: created for this container without a name (`-v /path`, an image `VOLUME`).
    public var anonymous: Bool
    /// Binds: create a missing source directory at start.
    public var createHostPath: Bool
    public var tmpfsSize: Int64?
    public var tmpfsMode: UInt32?
    /// Further tmpfs mount options (`--tmpfs /p:exec,uid=1000`), as given.
    public var tmpfsOptions: [String]
    /// The `-v` mode text (`ro,z`), for inspect's `Mode`.
    public var mode: String
    /// Volumes created with the local driver's options (`-o type=tmpfs -o device=tmpfs -o o=size=1m`):
    /// the file system mounted in the container instead of a bind of `_data`.
    public var fileSystem: FileSystemOptions?

    /// The local driver's `type`, `device` and `o` options of a volume.
    public struct FileSystemOptions: Sendable, Hashable, Codable {
        public var type: String
        public var device: String
        public var options: [String]

        public init(type: String, device: String, options: [String]) {
            self.type = type
            self.device = device
            self.options = options
        }
    }

    public init(
        kind: MountKind, name: String = "", source: String, target: String, readOnly: Bool = false,
        propagation: String? = nil, noCopy: Bool = false, anonymous: Bool = false, createHostPath: Bool = false,
        tmpfsSize: Int64? = nil, tmpfsMode: UInt32? = nil, tmpfsOptions: [String] = [], mode: String = ""
    ) {
        self.kind = kind
        self.name = name
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.propagation = propagation
        self.noCopy = noCopy
        self.anonymous = anonymous
        self.createHostPath = createHostPath
        self.tmpfsSize = tmpfsSize
        self.tmpfsMode = tmpfsMode
        self.tmpfsOptions = tmpfsOptions
        self.mode = mode
    }

    /// The OCI mount: binds and volumes as recursive binds (`rprivate` unless a bind asked for another
    /// propagation), tmpfs with Docker's `noexec,nosuid,nodev` and the size and mode asked for.
    public var specMount: Spec.Mount {
        switch kind {
        case .volume where fileSystem != nil:
            let fileSystem = fileSystem ?? FileSystemOptions(type: "", device: "", options: [])
            return Spec.Mount(
                destination: target, type: fileSystem.type, source: fileSystem.device,
                options: fileSystem.options + (readOnly ? ["ro"] : []))
        case .bind, .volume:
            var options = ["rbind", readOnly ? "ro" : "rw"]
            options.append(propagation ?? MountRequest.defaultPropagation)
            return Spec.Mount(destination: target, type: "bind", source: source, options: options)
        case .tmpfs:
            var options = ["noexec", "nosuid", "nodev"] + tmpfsOptions
            if readOnly { options.append("ro") }
            if let tmpfsSize { options.append("size=\(tmpfsSize)") }
            if let tmpfsMode { options.append("mode=" + String(tmpfsMode, radix: 8)) }
            return Spec.Mount(
                destination: target, type: "tmpfs", source: "tmpfs",
                options: OCISpecBuilder.mergeTmpfsOptions(options))
        }
    }

    /// The entry of an inspected container's `Mounts`.
    public var mountPoint: MountPoint {
        MountPoint(
            type: kind.rawValue, name: name, source: source, destination: target, driver: kind == .volume ? "local" : "",
            mode: mode, rw: !readOnly, propagation: kind == .bind ? (propagation ?? MountRequest.defaultPropagation) : "")
    }
}
