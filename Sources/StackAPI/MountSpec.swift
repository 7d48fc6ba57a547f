/// One entry of `HostConfig.Mounts` (the API form of `--mount`).
public struct MountSpec: Codable, Sendable, Hashable {
    /// `bind`, `volume` or `tmpfs`.
    public var type: String
    /// Host path (bind), volume name (volume; empty for anonymous), empty (tmpfs).
    public var source: String
    public var target: String
    public var readOnly: Bool
    public var bindOptions: BindOptions?
    public var volumeOptions: VolumeOptions?
    public var tmpfsOptions: TmpfsOptions?

    public init(
        type: String, source: String = "", target: String, readOnly: Bool = false, bindOptions: BindOptions? = nil,
        volumeOptions: VolumeOptions? = nil, tmpfsOptions: TmpfsOptions? = nil
    ) {
        self.type = type
        self.source = source
        self.target = target
        self.readOnly = readOnly
        self.bindOptions = bindOptions
        self.volumeOptions = volumeOptions
        self.tmpfsOptions = tmpfsOptions
    }

    /// `BindOptions`: propagation and whether a missing source is created.
    public struct BindOptions: Codable, Sendable, Hashable {
        /// Empty: `rprivate`.
        public var propagation: String
        public var createMountpoint: Bool

        public init(propagation: String = "", createMountpoint: Bool = false) {
            self.propagation = propagation
            self.createMountpoint = createMountpoint
        }

        enum CodingKeys: String, CodingKey { case propagation = "Propagation", createMountpoint = "CreateMountpoint" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            propagation = try c.decodeIfPresent(String.self, forKey: .propagation) ?? ""
            createMountpoint = try c.decodeIfPresent(Bool.self, forKey: .createMountpoint) ?? false
        }
    }

    /// `VolumeOptions`: skip copy-up, labels for a volume created by the mount.
    public struct VolumeOptions: Codable, Sendable, Hashable {
        public var noCopy: Bool
        public var labels: [String: String]

        public init(noCopy: Bool = false, labels: [String: String] = [:]) {
            self.noCopy = noCopy
            self.labels = labels
        }

        enum CodingKeys: String, CodingKey { case noCopy = "NoCopy", labels = "Labels" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            noCopy = try c.decodeIfPresent(Bool.self, forKey: .noCopy) ?? false
            labels = try c.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        }
    }

    /// `TmpfsOptions`: size in bytes (0: default) and mode (permission bits as a number; 0: 1777).
    public struct TmpfsOptions: Codable, Sendable, Hashable {
        public var sizeBytes: Int64
        public var mode: UInt32

        public init(sizeBytes: Int64 = 0, mode: UInt32 = 0) {
            self.sizeBytes = sizeBytes
            self.mode = mode
        }

        enum CodingKeys: String, CodingKey { case sizeBytes = "SizeBytes", mode = "Mode" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            sizeBytes = try c.decodeIfPresent(Int64.self, forKey: .sizeBytes) ?? 0
            mode = try c.decodeIfPresent(UInt32.self, forKey: .mode) ?? 0
        }
    }

    enum CodingKeys: String, CodingKey {
        case type = "Type", source = "Source", target = "Target", readOnly = "ReadOnly", bindOptions = "BindOptions"
        case volumeOptions = "VolumeOptions", tmpfsOptions = "TmpfsOptions"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        target = try c.decodeIfPresent(String.self, forKey: .target) ?? ""
        readOnly = try c.decodeIfPresent(Bool.self, forKey: .readOnly) ?? false
        bindOptions = try c.decodeIfPresent(BindOptions.self, forKey: .bindOptions)
        volumeOptions = try c.decodeIfPresent(VolumeOptions.self, forKey: .volumeOptions)
        tmpfsOptions = try c.decodeIfPresent(TmpfsOptions.self, forKey: .tmpfsOptions)
    }
}
