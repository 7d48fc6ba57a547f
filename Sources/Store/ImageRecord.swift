/// One row of `images`: an image known to the content store.
public struct ImageRecord: Sendable, Equatable {
    /// `sha256:<hex>` of the image config.
    public var id: String
    /// The digest of the manifest it came from, when there was one.
    public var manifestDigest: String?
    /// The OCI image config as JSON text.
    public var config: String
    /// Seconds since the Unix epoch.
    public var createdAt: Double
    /// Bytes of unpacked layers.
    public var size: Int64
    /// The layers' diff ids (`sha256:<hex>`), base first.
    public var layers: [String]

    /// Creates a record.
    public init(
        id: String, manifestDigest: String? = nil, config: String = "{}", createdAt: Double, size: Int64 = 0,
        layers: [String] = []
    ) {
        self.id = id
        self.manifestDigest = manifestDigest
        self.config = config
        self.createdAt = createdAt
        self.size = size
        self.layers = layers
    }
}
