/// `image inspect` output, in Docker's shape (PascalCase keys).
public struct ImageInspect: Codable, Sendable, Hashable {
    public var id: String
    public var repoTags: [String]
    public var repoDigests: [String]
    public var parent: String
    public var comment: String
    public var created: String
    public var author: String
    public var architecture: String
    public var variant: String?
    public var os: String
    public var size: Int64
    public var config: ImageConfig.ContainerConfig?
    public var rootFS: RootFS

    /// `{"Type": "layers", "Layers": [diff ids]}`.
    public struct RootFS: Codable, Sendable, Hashable {
        public var type: String
        public var layers: [String]

        enum CodingKeys: String, CodingKey {
            case type = "Type"
            case layers = "Layers"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case parent = "Parent"
        case comment = "Comment"
        case created = "Created"
        case author = "Author"
        case architecture = "Architecture"
        case variant = "Variant"
        case os = "Os"
        case size = "Size"
        case config = "Config"
        case rootFS = "RootFS"
    }
}

/// One `image ls` row, in the shape of Docker's `GET /images/json`.
public struct ImageSummary: Codable, Sendable, Hashable {
    public var id: String
    public var parentID: String
    public var repoTags: [String]
    public var repoDigests: [String]
    /// Unix seconds.
    public var created: Int64
    public var size: Int64
    public var sharedSize: Int64
    public var labels: [String: String]
    public var containers: Int64

    enum CodingKeys: String, CodingKey {
        case id = "Id"
        case parentID = "ParentId"
        case repoTags = "RepoTags"
        case repoDigests = "RepoDigests"
        case created = "Created"
        case size = "Size"
        case sharedSize = "SharedSize"
        case labels = "Labels"
        case containers = "Containers"
    }
}
