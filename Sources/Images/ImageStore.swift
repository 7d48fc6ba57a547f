#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LinuxOS
import StackCore
import Synchronization

/// The image service: import, load, save, tag, untag, remove, inspect, list, and the layer
/// directories a container's overlay uses. Files live under `root` (`blobs/`, `layers/`, `tmp/`);
/// records and tags go through an `ImageMetadataStore`. Mutations are serialized.
public final class ImageStore: Sendable {
    public let root: String
    public let content: ContentStore
    public let unpacker: LayerUnpacker
    let metadata: any ImageMetadataStore
    /// The platform of images made here and picked from multi-platform indexes.
    public let platform: Descriptor.Platform
    let mutation = Mutex<Void>(())

    /// Open (creating its directories) the store at `root`, e.g. `$STACK_ROOT/images`.
    public init(root: String, metadata: any ImageMetadataStore, platform: Descriptor.Platform = ImageStore.hostPlatform)
        throws(StackError)
    {
        self.root = root
        content = try ContentStore(root: root)
        unpacker = try LayerUnpacker(layersDirectory: root + "/layers", temporaryDirectory: root + "/tmp")
        self.metadata = metadata
        self.platform = platform
    }

    /// linux/amd64, linux/arm64, … for this machine.
    public static var hostPlatform: Descriptor.Platform {
        #if arch(x86_64)
        return Descriptor.Platform(architecture: "amd64", os: "linux")
        #elseif arch(arm64)
        return Descriptor.Platform(architecture: "arm64", os: "linux", variant: "v8")
        #elseif arch(arm)
        return Descriptor.Platform(architecture: "arm", os: "linux", variant: "v7")
        #elseif arch(s390x)
        return Descriptor.Platform(architecture: "s390x", os: "linux")
        #elseif arch(powerpc64le)
        return Descriptor.Platform(architecture: "ppc64le", os: "linux")
        #else
        return Descriptor.Platform(architecture: "unknown", os: "linux")
        #endif
    }

    func locked<T>(_ body: () throws(StackError) -> T) throws(StackError) -> T {
        try mutation.withLock { (_) throws(StackError) in try body() }
    }

    // MARK: - Lookup

    /// The image id for `text`: a tag or name (`busybox`, `busybox:1.36`), `name@sha256:…` (manifest digest),
    /// `sha256:<id>`, a full or (unique) short hex id.
    public func resolve(_ text: String) throws(StackError) -> Digest {
        if text.hasPrefix("sha256:"), let digest = Digest(hex: String(text.dropFirst(7))),
            try metadata.get(digest) != nil
        {
            return digest
        }
        if let digest = Digest(hex: text), try metadata.get(digest) != nil { return digest }
        if let reference = try? ImageReference(parsing: text) {
            if let id = try metadata.resolve(reference) { return id }
            if let digest = reference.digest {
                let matches = try metadata.list().filter { $0.manifestDigest == digest }
                if let first = matches.first { return first.id }
            }
        }
        let hex = text.hasPrefix("sha256:") ? String(text.dropFirst(7)) : text
        if !hex.isEmpty, hex.count < 64, hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            let matches = try metadata.list().filter { $0.id.hex.hasPrefix(hex) }
            if matches.count == 1, let only = matches.first { return only.id }
            if matches.count > 1 {
                throw StackError(.invalidArgument, "short image id \"\(hex)\" is ambiguous: \(matches.count) images match")
            }
        }
        throw StackError(.notFound, "No such image: \(text)")
    }

    /// The record of the image `text` names.
    public func record(_ text: String) throws(StackError) -> ImageRecord {
        let id = try resolve(text)
        guard let record = try metadata.get(id) else { throw StackError(.notFound, "No such image: \(text)") }
        return record
    }

    /// The decoded config of `record`.
    public func config(of record: ImageRecord) throws(StackError) -> ImageConfig {
        try ImageJSON.decode(ImageConfig.self, Array(record.config.utf8), what: "image \(record.id) config")
    }

    /// The manifest of `record`, from the content store.
    public func manifest(of record: ImageRecord) throws(StackError) -> ImageManifest {
        try ImageJSON.decode(
            ImageManifest.self, content.read(record.manifestDigest), what: "image \(record.id) manifest")
    }

    /// Absolute layer directories of the image, top-most FIRST (overlay `lowerdir` order).
    public func layerPaths(_ imageID: Digest) throws(StackError) -> [String] {
        guard let record = try metadata.get(imageID) else { throw StackError(.notFound, "No such image: \(imageID)") }
        var paths: [String] = []
        for diffID in record.diffIDs.reversed() {
            let path = unpacker.path(for: diffID)
            guard unpacker.hasLayer(diffID) else {
                throw StackError(.notFound, "image \(imageID): layer \(diffID) is not unpacked (\(path) missing)")
            }
            paths.append(path)
        }
        return paths
    }

    // MARK: - Tags

    /// Point `target` at the image `source` names.
    public func tag(_ source: String, as target: ImageReference) throws(StackError) {
        guard target.digest == nil, target.tag != nil else {
            throw StackError(.invalidArgument, "refusing to create a tag with a digest reference: \(target.familiar)")
        }
        try locked { () throws(StackError) in
            let id = try resolve(source)
            try metadata.tag(target, to: id)
        }
    }

    /// Remove the tag `reference` (the image stays, even untagged).
    public func untag(_ reference: ImageReference) throws(StackError) {
        try locked { () throws(StackError) in
            if try metadata.untag(reference) == nil {
                throw StackError(.notFound, "No such image: \(reference.familiar)")
            }
        }
    }

    // MARK: - Remove

    /// `docker rmi`: a tag is untagged, and the image is deleted when that was its last tag; an id
    /// deletes the image (with several tags only when `force`, untagging them all). Deleting removes the
    /// config and manifest blobs and the layers (blobs and directories) no other image uses.
    /// `usedBy` are the containers created from the image (the caller knows them): their root
    /// filesystems sit on its layers, so it is never deleted while they exist. Its last tag is
    /// removed only when `force` (the image stays, untagged, as Docker's); by id it is refused.
    public func remove(_ text: String, force: Bool = false, usedBy containers: [String] = []) throws(StackError)
        -> [ImageRemoval]
    {
        try locked { () throws(StackError) in
            let id = try resolve(text)
            let tags = try metadata.tags(for: id)
            let users = containers.map { String($0.prefix(12)) }.joined(separator: ", ")
            var result: [ImageRemoval] = []
            if let reference = try? ImageReference(parsing: text), tags.contains(reference) {
                if tags.count == 1 && !containers.isEmpty && !force {
                    throw StackError(
                        .conflict,
                        "conflict: unable to remove repository reference \"\(text)\" (must force) - container \(users) is using its referenced image \(id.shortHex)")
                }
                try metadata.untag(reference)
                result.append(.untagged(reference.familiar))
                if tags.count > 1 || !containers.isEmpty { return result }
            } else {
                if !containers.isEmpty {
                    throw StackError(
                        .conflict,
                        "conflict: unable to delete \(id.shortHex) (cannot be forced) - image is being used by container \(users)")
                }
                if tags.count > 1 && !force {
                    throw StackError(
                        .conflict,
                        "conflict: unable to delete \(id.shortHex) (must be forced) - image is referenced in multiple repositories")
                }
                for reference in tags {
                    try metadata.untag(reference)
                    result.append(.untagged(reference.familiar))
                }
            }
            result += try deleteImage(id)
            return result
        }
    }

    /// Delete the image's record and the files nothing else uses.
    private func deleteImage(_ id: Digest) throws(StackError) -> [ImageRemoval] {
        guard let record = try metadata.get(id) else { return [] }
        let manifest = try? manifest(of: record)
        try metadata.delete(id)
        var usedBlobs: Set<Digest> = []
        var usedLayers: Set<Digest> = []
        for other in try metadata.list() {
            usedBlobs.insert(other.id)
            usedBlobs.insert(other.manifestDigest)
            usedLayers.formUnion(other.diffIDs)
            if let otherManifest = try? self.manifest(of: other) {
                usedBlobs.formUnion(otherManifest.layers.map(\.digest))
            }
        }
        var result: [ImageRemoval] = [.deleted(id)]
        for blob in [record.id, record.manifestDigest] + (manifest?.layers.map(\.digest) ?? [])
        where !usedBlobs.contains(blob) {
            try content.delete(blob)
        }
        for diffID in record.diffIDs.reversed() where !usedLayers.contains(diffID) {
            if unpacker.hasLayer(diffID) {
                unpacker.removeLayer(diffID)
                result.append(.deleted(diffID))
            }
            usedLayers.insert(diffID)
        }
        return result
    }

    /// Remove what no image record refers to: everything in `tmp/`, unreferenced blobs and layer
    /// directories (left by a crash between writing files and recording the image). For daemon start.
    /// Returns the blobs and layers removed.
    @discardableResult
    public func collectGarbage() throws(StackError) -> [Digest] {
        try locked { () throws(StackError) in
            for name in directoryEntries(root + "/tmp") { POSIXFile.removeTree(root + "/tmp/" + name) }
            var usedBlobs: Set<Digest> = []
            var usedLayers: Set<Digest> = []
            for record in try metadata.list() {
                usedBlobs.formUnion([record.id, record.manifestDigest])
                usedLayers.formUnion(record.diffIDs)
                usedBlobs.formUnion(try manifest(of: record).layers.map(\.digest))
            }
            var removed: [Digest] = []
            for blob in content.list() where !usedBlobs.contains(blob) {
                try content.delete(blob)
                removed.append(blob)
            }
            for name in directoryEntries(unpacker.layersDirectory) {
                guard let diffID = Digest(hex: name) else { continue }
                if !usedLayers.contains(diffID) {
                    unpacker.removeLayer(diffID)
                    removed.append(diffID)
                }
            }
            return removed
        }
    }

    private func directoryEntries(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }

    // MARK: - Inspect and list

    /// `docker image inspect`'s JSON object for the image `text` names.
    public func inspect(_ text: String) throws(StackError) -> ImageInspect {
        let record = try record(text)
        let config = try config(of: record)
        let tags = try metadata.tags(for: record.id)
        return ImageInspect(
            id: record.id.description,
            repoTags: tags.filter { $0.tag != nil }.map(\.familiar),
            repoDigests: [],
            parent: "",
            comment: config.comment ?? config.history?.last?.comment ?? "",
            created: config.created ?? "",
            author: config.author ?? "",
            architecture: config.architecture,
            variant: config.variant,
            os: config.os,
            size: record.size,
            config: config.config,
            rootFS: ImageInspect.RootFS(type: config.rootfs.type, layers: config.rootfs.diffIDs.map(\.description)))
    }

    /// All images, newest first, as `docker image ls` lists them.
    public func list() throws(StackError) -> [ImageSummary] {
        var rows: [ImageSummary] = []
        for record in try metadata.list() {
            let config = try? config(of: record)
            let tags = try metadata.tags(for: record.id)
            rows.append(
                ImageSummary(
                    id: record.id.description, parentID: "", repoTags: tags.map(\.familiar), repoDigests: [],
                    created: ImageJSON.unixSeconds(record.created), size: record.size, sharedSize: -1,
                    labels: config?.config?.labels ?? [:], containers: -1))
        }
        return rows.sorted { ($0.created, $0.id) > ($1.created, $1.id) }
    }

    // MARK: - Committing

    /// Store `configBytes` and a manifest for `layers`, record the image and apply `tags`.
    /// `manifestBytes`, when given, is kept as the manifest (a loaded OCI manifest whose blobs were kept).
    func commitImage(
        configBytes: [UInt8], config: ImageConfig, layers: [Descriptor], tags: [ImageReference],
        manifestBytes: [UInt8]? = nil
    ) throws(StackError) -> Digest {
        let (id, configSize) = try content.ingest(bytes: configBytes)
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: id, size: configSize), layers: layers)
        let manifestJSON: [UInt8]
        if let manifestBytes { manifestJSON = manifestBytes } else { manifestJSON = try ImageJSON.encode(manifest) }
        let (manifestDigest, _) = try content.ingest(bytes: manifestJSON)
        let record = ImageRecord(
            id: id, manifestDigest: manifestDigest, config: String(decoding: configBytes, as: UTF8.self),
            created: config.created, size: layers.reduce(0) { $0 + $1.size }, diffIDs: config.rootfs.diffIDs)
        try metadata.put(record)
        for reference in tags { try metadata.tag(reference, to: id) }
        return id
    }

    /// Move a blob that is xz/bzip2-compressed (no OCI media type) to its uncompressed form.
    func uncompressedBlob(_ digest: Digest) throws(StackError) -> (digest: Digest, size: Int64) {
        let fd = try content.open(digest)
        defer { close(fd) }
        let writer = try content.writer()
        let stream = try DecompressingStream(fd: fd, what: "layer \(digest)", tee: writer)
        try stream.drain()
        return try writer.commit()
    }
}
