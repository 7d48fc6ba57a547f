/// An OCI image index (`index.json` of an image layout, or a multi-platform index blob).
public struct ImageIndex: Codable, Sendable, Hashable {
    public var schemaVersion: Int = 2
    public var mediaType: String?
    public var manifests: [Descriptor]
    public var annotations: [String: String]?

    public init(manifests: [Descriptor], mediaType: String? = MediaType.ociIndex,
                annotations: [String: String]? = nil) {
        self.mediaType = mediaType
        self.manifests = manifests
        self.annotations = annotations
    }
}

/// The `oci-layout` file of an image layout.
public struct ImageLayoutMarker: Codable, Sendable, Hashable {
    public var imageLayoutVersion: String = "1.0.0"

    public init() {}
}
