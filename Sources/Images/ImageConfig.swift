/// The OCI image configuration (also Docker's, which uses the same keys).
public struct ImageConfig: Codable, Sendable, Hashable {
    public var created: String?
    public var author: String?
    public var architecture: String
    public var os: String
    public var variant: String?
    public var config: ContainerConfig?
    public var rootfs: RootFS
    public var history: [History]?
    /// Docker writes the import/commit message here too.
    public var comment: String?

    public init(created: String? = nil, author: String? = nil, architecture: String, os: String,
                config: ContainerConfig? = nil, rootfs: RootFS, history: [History]? = nil, comment: String? = nil) {
        self.created = created
        self.author = author
        self.architecture = architecture
        self.os = os
        self.config = config
        self.rootfs = rootfs
        self.history = history
        self.comment = comment
    }

    /// Defaults for containers run from the image.
    public struct ContainerConfig: Codable, Sendable, Hashable {
        public var user: String?
        public var env: [String]?
        public var entrypoint: [String]?
        public var cmd: [String]?
        public var workingDir: String?
        public var labels: [String: String]?
        /// Keys like `80/tcp`; values are empty objects.
        public var exposedPorts: [String: EmptyObject]?
        public var volumes: [String: EmptyObject]?
        public var stopSignal: String?

        public init(user: String? = nil, env: [String]? = nil, entrypoint: [String]? = nil, cmd: [String]? = nil,
                    workingDir: String? = nil, labels: [String: String]? = nil,
                    exposedPorts: [String: EmptyObject]? = nil, volumes: [String: EmptyObject]? = nil,
                    stopSignal: String? = nil) {
            self.user = user
            self.env = env
            self.entrypoint = entrypoint
            self.cmd = cmd
            self.workingDir = workingDir
            self.labels = labels
            self.exposedPorts = exposedPorts
            self.volumes = volumes
            self.stopSignal = stopSignal
        }

        enum CodingKeys: String, CodingKey {
            case user = "User"
            case env = "Env"
            case entrypoint = "Entrypoint"
            case cmd = "Cmd"
            case workingDir = "WorkingDir"
            case labels = "Labels"
            case exposedPorts = "ExposedPorts"
            case volumes = "Volumes"
            case stopSignal = "StopSignal"
        }
    }

    /// The layers' uncompressed digests, bottom first.
    public struct RootFS: Codable, Sendable, Hashable {
        public var type: String
        public var diffIDs: [Digest]

        public init(type: String = "layers", diffIDs: [Digest]) {
            self.type = type
            self.diffIDs = diffIDs
        }

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }
    }

    /// One step that made the image.
    public struct History: Codable, Sendable, Hashable {
        public var created: String?
        public var createdBy: String?
        public var author: String?
        public var comment: String?
        public var emptyLayer: Bool?

        public init(created: String? = nil, createdBy: String? = nil, author: String? = nil, comment: String? = nil,
                    emptyLayer: Bool? = nil) {
            self.created = created
            self.createdBy = createdBy
            self.author = author
            self.comment = comment
            self.emptyLayer = emptyLayer
        }

        enum CodingKeys: String, CodingKey {
            case created
            case createdBy = "created_by"
            case author
            case comment
            case emptyLayer = "empty_layer"
        }
    }
}

/// `{}` in JSON (the values of ExposedPorts and Volumes).
public struct EmptyObject: Codable, Sendable, Hashable {
    public init() {}
    public init(from decoder: any Decoder) throws { _ = try decoder.container(keyedBy: NoKeys.self) }
    public func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: NoKeys.self) }
    private enum NoKeys: CodingKey {}
}
