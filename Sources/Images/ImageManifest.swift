/// An OCI image manifest (also reads Docker schema 2 manifests, which share the shape).
public struct ImageManifest: Codable, Sendable, Hashable {
    public var schemaVersion: Int = 2
    public var mediaType: String?
    public var config: Descriptor
    public var layers: [Descriptor]
    public var annotations: [String: String]?

    public init(config: Descriptor, layers: [Descriptor], mediaType: String? = MediaType.ociManifest,
                annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.config = config
        self.layers = layers
        self.annotations = annotations
    }
}
