/// How to build a service's image (`build:` in long syntax).
public struct BuildConfig: Sendable, Hashable, Codable {
    /// The build context: an absolute directory after loading, or a URL.
    public var context: String
    /// The Dockerfile, relative to the context; nil for `Dockerfile`.
    public var dockerfile: String?
    /// A Dockerfile given inline.
    public var dockerfileInline: String?
    /// Build arguments; a nil value takes the variable from the environment.
    public var args: [String: String?]
    /// The stage to build.
    public var target: String?
    public var labels: [String: String]
    public var cacheFrom: [String]
    public var cacheTo: [String]
    public var tags: [String]
    public var platforms: [String]
    /// The network used during the build (`network`).
    public var network: String?
    public var noCache: Bool
    /// Always pull base images.
    public var pull: Bool
    public var additionalContexts: [String: String]
    public var shmSize: Int64?
    public var extraHosts: [ExtraHost]

    public init(
        context: String, dockerfile: String? = nil, dockerfileInline: String? = nil, args: [String: String?] = [:],
        target: String? = nil, labels: [String: String] = [:], cacheFrom: [String] = [], cacheTo: [String] = [],
        tags: [String] = [], platforms: [String] = [], network: String? = nil, noCache: Bool = false,
        pull: Bool = false, additionalContexts: [String: String] = [:], shmSize: Int64? = nil,
        extraHosts: [ExtraHost] = []
    ) {
        self.context = context
        self.dockerfile = dockerfile
        self.dockerfileInline = dockerfileInline
        self.args = args
        self.target = target
        self.labels = labels
        self.cacheFrom = cacheFrom
        self.cacheTo = cacheTo
        self.tags = tags
        self.platforms = platforms
        self.network = network
        self.noCache = noCache
        self.pull = pull
        self.additionalContexts = additionalContexts
        self.shmSize = shmSize
        self.extraHosts = extraHosts
    }

    enum CodingKeys: String, CodingKey {
        case context, dockerfile, args, target, labels, tags, platforms, network, pull
        case dockerfileInline = "dockerfile_inline"
        case cacheFrom = "cache_from"
        case cacheTo = "cache_to"
        case noCache = "no_cache"
        case additionalContexts = "additional_contexts"
        case shmSize = "shm_size"
        case extraHosts = "extra_hosts"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        context = try c.value(.context, or: ".")
        dockerfile = try c.optional(.dockerfile)
        dockerfileInline = try c.optional(.dockerfileInline)
        args = try c.value(.args, or: [:])
        target = try c.optional(.target)
        labels = try c.stringMap(.labels)
        cacheFrom = try c.value(.cacheFrom, or: [])
        cacheTo = try c.value(.cacheTo, or: [])
        tags = try c.value(.tags, or: [])
        platforms = try c.value(.platforms, or: [])
        network = try c.optional(.network)
        noCache = try c.value(.noCache, or: false)
        pull = try c.value(.pull, or: false)
        additionalContexts = try c.stringMap(.additionalContexts)
        shmSize = try c.byteSize(.shmSize)
        extraHosts = try c.extraHosts(.extraHosts)
    }
}
