/// The result of unpacking one layer.
public struct UnpackedLayer: Sendable, Hashable {
    /// sha256 of the uncompressed tar stream (the OCI diff id).
    public var diffID: Digest
    /// Bytes of the uncompressed tar stream.
    public var uncompressedSize: Int64
    /// The compression of the stream as given.
    public var compression: LayerCompression
    /// The unpacked directory, `layers/<diffid-hex>`.
    public var path: String
}
