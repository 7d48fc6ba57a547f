/// A mount of a service's containers (`volumes:` in long syntax).
public struct ServiceMount: Sendable, Hashable, Codable {
    /// The kind of mount.
    public enum Kind: String, StackFileEnum {
        case bind, volume, tmpfs, npipe, image, cluster
    }

    public var type: Kind
    /// Host path (bind), volume name (volume; nil for an anonymous volume), or image reference (image).
    public var source: String?
    /// The path in the container.
    public var target: String
    public var readOnly: Bool
    /// A macOS-era hint (`cached`, `delegated`), kept for round-tripping.
    public var consistency: String?
    public var bind: BindOptions?
    public var volume: VolumeOptions?
    public var tmpfs: TmpfsOptions?
    public var image: ImageOptions?

    public init(
        type: Kind, source: String? = nil, target: String, readOnly: Bool = false, consistency: String? = nil,
        bind: BindOptions? = nil, volume: VolumeOptions? = nil, tmpfs: TmpfsOptions? = nil,
        image: ImageOptions? = nil
    ) {
        self.type = type
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.consistency = consistency
        self.bind = bind
        self.volume = volume
        self.tmpfs = tmpfs
        self.image = image
    }

    enum CodingKeys: String, CodingKey {
        case type, source, target, consistency, bind, volume, tmpfs, image
        case readOnly = "read_only"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(Kind.self, forKey: .type)
        source = try c.optional(.source)
        if source == "" { source = nil }
        target = try c.decode(String.self, forKey: .target)
        readOnly = try c.value(.readOnly, or: false)
        consistency = try c.optional(.consistency)
        bind = try c.optional(.bind)
        volume = try c.optional(.volume)
        tmpfs = try c.optional(.tmpfs)
        image = try c.optional(.image)
    }
}

/// Options of a bind mount.
public struct BindOptions: Sendable, Hashable, Codable {
    /// Mount propagation modes.
    public enum Propagation: String, StackFileEnum {
        case `private`, rprivate, shared, rshared, slave, rslave
    }

    /// SELinux relabeling: `z` (shared among containers) or `Z` (private to this container).
    public enum SELinux: String, StackFileEnum {
        case shared = "z"
        case `private` = "Z"
    }

    /// Create the host path as a directory when it does not exist (implied by the short syntax).
    public var createHostPath: Bool
    public var propagation: Propagation?
    public var selinux: SELinux?
    /// Recursive read-only handling (`enabled`, `disabled`, `writable`, `readonly`), passed through.
    public var recursive: String?

    public init(
        createHostPath: Bool = false, propagation: Propagation? = nil, selinux: SELinux? = nil,
        recursive: String? = nil
    ) {
        self.createHostPath = createHostPath
        self.propagation = propagation
        self.selinux = selinux
        self.recursive = recursive
    }

    enum CodingKeys: String, CodingKey {
        case propagation, selinux, recursive
        case createHostPath = "create_host_path"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        createHostPath = try c.value(.createHostPath, or: false)
        propagation = try c.optional(.propagation)
        selinux = try c.optional(.selinux)
        recursive = try c.optional(.recursive)
    }
}

/// Options of a volume mount.
public struct VolumeOptions: Sendable, Hashable, Codable {
    /// Do not copy the image's content at the target into a new, empty volume.
    public var nocopy: Bool
    /// Mount only this path inside the volume.
    public var subpath: String?

    public init(nocopy: Bool = false, subpath: String? = nil) {
        self.nocopy = nocopy
        self.subpath = subpath
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nocopy = try c.value(.nocopy, or: false)
        subpath = try c.optional(.subpath)
    }
}

/// Options of a tmpfs mount.
public struct TmpfsOptions: Sendable, Hashable, Codable {
    /// Size limit in bytes; nil for the kernel default.
    public var size: Int64?
    /// Permission bits of the mount's root.
    public var mode: FileMode?

    public init(size: Int64? = nil, mode: FileMode? = nil) {
        self.size = size
        self.mode = mode
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        size = try c.byteSize(.size)
        mode = try c.optional(.mode)
    }
}

/// Options of an image mount.
public struct ImageOptions: Sendable, Hashable, Codable {
    /// Mount only this path of the image.
    public var subpath: String?

    public init(subpath: String? = nil) { self.subpath = subpath }
}
