/// One entry of the `manifest.json` that `docker save` writes: paths inside the archive.
public struct DockerArchiveManifest: Codable, Sendable, Hashable {
    public var config: String
    public var repoTags: [String]?
    public var layers: [String]

    public init(config: String, repoTags: [String]?, layers: [String]) {
        self.config = config
        self.repoTags = repoTags
        self.layers = layers
    }

    enum CodingKeys: String, CodingKey {
        case config = "Config"
        case repoTags = "RepoTags"
        case layers = "Layers"
    }
}
