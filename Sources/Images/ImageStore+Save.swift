import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

extension ImageStore {
    /// Where `save` writes.
    public enum SaveDestination: Sendable, Hashable {
        case path(String)
        /// An open descriptor (not closed), e.g. standard output.
        case fileDescriptor(Int32)
    }

    /// `docker save`: one tar holding BOTH an OCI image layout (oci-layout, index.json, blobs/sha256/…)
    /// and Docker's manifest.json + repositories (as Docker ≥ 25 writes), which `load` reads back.
    /// A reference by tag saves that tag; by id, the image untagged.
    public func save(_ references: [String], to destination: SaveDestination) throws(StackError) {
        try locked { () throws(StackError) in try saveLocked(references, to: destination) }
    }

    private func saveLocked(_ references: [String], to destination: SaveDestination) throws(StackError) {
        var images: [(record: ImageRecord, manifest: ImageManifest, tags: [ImageReference])] = []
        for text in references {
            let record = try record(text)
            let manifest = try manifest(of: record)
            var tags: [ImageReference] = []
            if let reference = try? ImageReference(parsing: text), try metadata.resolve(reference) == record.id {
                tags.append(reference)
            }
            if let at = images.firstIndex(where: { $0.record.id == record.id }) {
                images[at].tags += tags.filter { !images[at].tags.contains($0) }
            } else {
                images.append((record, manifest, tags))
            }
        }
        var blobs: [Digest] = []
        var indexEntries: [Descriptor] = []
        var dockerEntries: [DockerArchiveManifest] = []
        var repositories: [String: [String: String]] = [:]
        for image in images {
            for blob in image.manifest.layers.map(\.digest) + [image.record.id, image.record.manifestDigest]
            where !blobs.contains(blob) {
                blobs.append(blob)
            }
            let manifestSize = content.size(of: image.record.manifestDigest) ?? 0
            let base = Descriptor(mediaType: MediaType.ociManifest, digest: image.record.manifestDigest, size: manifestSize)
            if image.tags.isEmpty { indexEntries.append(base) }
            for tag in image.tags {
                var entry = base
                entry.annotations = [Annotation.containerdImageName: tag.description]
                if let name = tag.tag { entry.annotations?[Annotation.refName] = name }
                indexEntries.append(entry)
                if let name = tag.tag { repositories[tag.familiarName, default: [:]][name] = image.record.id.hex }
            }
            dockerEntries.append(
                DockerArchiveManifest(
                    config: "blobs/sha256/" + image.record.id.hex,
                    repoTags: image.tags.filter { $0.tag != nil }.map(\.familiar),
                    layers: image.manifest.layers.map { "blobs/sha256/" + $0.digest.hex }))
        }
        let writer: TarWriter
        switch destination {
        case .path(let path): writer = try TarWriter(path: path)
        case .fileDescriptor(let fd): writer = try TarWriter(fd: fd)
        }
        try writer.add("blobs", .directory)
        try writer.add("blobs/sha256", .directory)
        for blob in blobs {
            try writer.addFile("blobs/sha256/" + blob.hex, contentsOf: content.path(for: blob))
        }
        try writer.add("oci-layout", .file(ImageJSON.encode(ImageLayoutMarker())))
        try writer.add("index.json", .file(ImageJSON.encode(ImageIndex(manifests: indexEntries))))
        try writer.add("manifest.json", .file(ImageJSON.encode(dockerEntries)))
        try writer.add("repositories", .file(ImageJSON.encode(repositories)))
        try writer.finish()
    }
}
