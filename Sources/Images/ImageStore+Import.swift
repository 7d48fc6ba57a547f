import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

extension ImageStore {
    /// `docker import`: the root file system tarball at `source` (plain, gzip, xz, zstd) becomes a
    /// one-layer image. The layer blob is stored as given (xz and bzip2, which OCI has no media type
    /// for, are stored uncompressed); `changes` are Dockerfile-style (`CMD ["sh"]`, `ENV A=b`, …);
    /// `message` goes into the history and comment. Returns the image id.
    @discardableResult
    public func importRootfs(
        from source: ImageSource, reference: ImageReference?, changes: [String] = [], message: String? = nil
    ) throws(StackError) -> Digest {
        var containerConfig = ImageConfig.ContainerConfig()
        try ImageChanges.apply(changes, to: &containerConfig)
        return try locked { () throws(StackError) in
            let (given, _) = try ingest(source)
            let layer: UnpackedLayer
            do throws(StackError) {
                let fd = try content.open(given)
                defer { close(fd) }
                layer = try unpacker.unpack(fd: fd, label: given.description)
            } catch {
                if try !blobInUse(given) { try? content.delete(given) }
                throw error
            }
            var blob = given
            var mediaType = layer.compression.ociMediaType
            if mediaType == nil {
                blob = try uncompressedBlob(given).digest
                if try !blobInUse(given) { try content.delete(given) }
                mediaType = MediaType.ociLayer
            }
            let size = content.size(of: blob) ?? 0
            let created = ImageJSON.now()
            let hasConfig = containerConfig != ImageConfig.ContainerConfig()
            let sourceName: String
            switch source {
            case .path(let path): sourceName = path
            case .fileDescriptor: sourceName = "-"
            }
            let config = ImageConfig(
                created: created, architecture: platform.architecture, os: platform.os,
                config: hasConfig ? containerConfig : nil,
                rootfs: ImageConfig.RootFS(diffIDs: [layer.diffID]),
                history: [
                    ImageConfig.History(
                        created: created, createdBy: "stack image import \(sourceName)",
                        comment: message ?? "Imported from \(sourceName)")
                ],
                comment: message)
            let descriptor = Descriptor(mediaType: mediaType ?? MediaType.ociLayer, digest: blob, size: size)
            return try commitImage(
                configBytes: ImageJSON.encode(config), config: config, layers: [descriptor],
                tags: reference.map { [$0] } ?? [])
        }
    }

    /// Copy `source` into a blob.
    func ingest(_ source: ImageSource) throws(StackError) -> (digest: Digest, size: Int64) {
        switch source {
        case .path("-"):
            return try content.ingest(fd: STDIN_FILENO, what: "standard input")
        case .path(let path):
            return try content.ingest(path: path)
        case .fileDescriptor(let fd):
            return try content.ingest(fd: fd, what: "input")
        }
    }

    /// True if a recorded image's manifest or config refers to `blob`.
    func blobInUse(_ blob: Digest) throws(StackError) -> Bool {
        for record in try metadata.list() {
            if record.id == blob || record.manifestDigest == blob { return true }
            if let manifest = try? manifest(of: record), manifest.layers.contains(where: { $0.digest == blob }) {
                return true
            }
        }
        return false
    }
}
