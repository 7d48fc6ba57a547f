/// OCI and Docker media types the store reads and writes.
public enum MediaType {
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"

    /// True for index/manifest-list media types.
    public static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerManifestList }

    /// True for image manifest media types.
    public static func isManifest(_ type: String?) -> Bool { type == ociManifest || type == dockerManifest }
}

/// OCI annotation keys used by image layouts.
public enum Annotation {
    /// The reference (tag, or full name in some tools) of a manifest in an OCI layout's index.
    public static let refName = "org.opencontainers.image.ref.name"
    /// The full image name, as containerd and Docker ≥ 25 write it.
    public static let containerdImageName = "io.containerd.image.name"
}
