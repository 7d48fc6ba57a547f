/// How a layer (or archive) stream was compressed, as libarchive detected it.
public enum LayerCompression: String, Sendable, Hashable, Codable {
    case none, gzip, xz, zstd, bzip2, other

    init(filterCode: Int32) {
        switch filterCode {
        case 0: self = .none
        case 1: self = .gzip
        case 2: self = .bzip2
        case 6: self = .xz
        case 14: self = .zstd
        default: self = .other
        }
    }

    /// The OCI layer media type for a blob with this compression; nil when OCI has none (xz, bzip2).
    public var ociMediaType: String? {
        switch self {
        case .none: return MediaType.ociLayer
        case .gzip: return MediaType.ociLayerGzip
        case .zstd: return MediaType.ociLayerZstd
        case .xz, .bzip2, .other: return nil
        }
    }
}
