/// What the metadata store keeps about one image (the files live in the content store).
public struct ImageRecord: Sendable, Hashable, Codable {
    /// `sha256:` + digest of the config blob, as Docker's image id.
    public var id: Digest
    /// The digest of the image's manifest blob.
    public var manifestDigest: Digest
    /// The config blob's JSON text.
    public var config: String
    /// The config's `created` (RFC 3339), if any.
    public var created: String?
    /// Sum of the layer blobs' sizes.
    public var size: Int64
    /// The layers' diff ids, bottom first.
    public var diffIDs: [Digest]

    public init(id: Digest, manifestDigest: Digest, config: String, created: String?, size: Int64, diffIDs: [Digest]) {
        self.id = id
        self.manifestDigest = manifestDigest
        self.config = config
        self.created = created
        self.size = size
        self.diffIDs = diffIDs
    }
}
