import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

extension ImageStore {
    /// `docker load`: a `docker save` archive (manifest.json, configs, layer tars) or an OCI image layout
    /// (oci-layout, index.json, blobs/sha256/…), as a (possibly compressed) tar or a directory; `-` is
    /// standard input. Tags come from RepoTags, or from the index's `io.containerd.image.name` /
    /// `org.opencontainers.image.ref.name` annotations. Returns the images loaded.
    public func load(from source: ImageSource) throws(StackError) -> [LoadedImage] {
        try locked { () throws(StackError) in
            if case .path(let path) = source, path != "-", POSIXFile.isDirectory(path) {
                return try loadDirectory(POSIXFile.realPath(path))
            }
            let staging = content.temporaryPath(prefix: "load")
            defer { POSIXFile.removeTree(staging) }
            switch source {
            case .path("-"):
                try unpacker.extractArchive(fd: STDIN_FILENO, into: staging, label: "archive on standard input")
            case .path(let path):
                let fd = try POSIXFile.open(path, O_RDONLY)
                defer { close(fd) }
                try unpacker.extractArchive(fd: fd, into: staging, label: "archive \(path)")
            case .fileDescriptor(let fd):
                try unpacker.extractArchive(fd: fd, into: staging, label: "archive")
            }
            return try loadDirectory(POSIXFile.realPath(staging))
        }
    }

    private func loadDirectory(_ directory: String) throws(StackError) -> [LoadedImage] {
        let hasIndex = POSIXFile.exists(directory + "/index.json")
        let hasDockerManifest = POSIXFile.exists(directory + "/manifest.json")
        var dockerEntries: [DockerArchiveManifest] = []
        if hasDockerManifest {
            dockerEntries = try ImageJSON.decode(
                [DockerArchiveManifest].self, POSIXFile.readFile(directory + "/manifest.json"), what: "manifest.json")
        }
        if hasIndex {
            return try loadLayout(directory, dockerEntries: dockerEntries)
        }
        guard hasDockerManifest else {
            throw StackError(
                .invalidArgument,
                "\(directory): neither an OCI image layout (index.json) nor a docker save archive (manifest.json)")
        }
        var loaded: [LoadedImage] = []
        for entry in dockerEntries {
            loaded.append(try loadDockerEntry(entry, in: directory))
        }
        return loaded
    }

    /// A path named inside the archive, kept inside it.
    private func inside(_ directory: String, _ name: String, what: String) throws(StackError) -> String {
        guard let path = LayerPath(entryName: name), !path.isRoot, !name.hasPrefix("/") else {
            throw StackError(.invalidArgument, "\(what) \"\(name)\" is not a path inside the archive")
        }
        let absolute = path.absolute(in: directory)
        let resolved = POSIXFile.realPath(absolute)
        guard resolved.hasPrefix(directory + "/") else {
            throw StackError(.invalidArgument, "\(what) \"\(name)\" leads outside the archive")
        }
        guard POSIXFile.exists(resolved) else { throw StackError(.invalidArgument, "\(what) \"\(name)\" is missing") }
        return resolved
    }

    private func loadDockerEntry(_ entry: DockerArchiveManifest, in directory: String) throws(StackError) -> LoadedImage {
        let configPath = try inside(directory, entry.config, what: "config")
        let configBytes = try POSIXFile.readFile(configPath)
        let config = try ImageJSON.decode(ImageConfig.self, configBytes, what: entry.config)
        guard config.rootfs.diffIDs.count == entry.layers.count else {
            throw StackError(
                .invalidArgument,
                "\(entry.config): \(config.rootfs.diffIDs.count) diff ids for \(entry.layers.count) layers")
        }
        var layers: [Descriptor] = []
        var ingested: [Digest] = []
        do throws(StackError) {
            for (index, name) in entry.layers.enumerated() {
                let path = try inside(directory, name, what: "layer")
                let (blob, size) = try content.ingest(path: path)
                ingested.append(blob)
                layers.append(try unpackLoaded(blob: blob, size: size, diffID: config.rootfs.diffIDs[index], mediaType: nil))
                ingested.append(layers[index].digest)
            }
        } catch {
            discardUnused(blobs: ingested, layers: config.rootfs.diffIDs)
            throw error
        }
        var tags: [ImageReference] = []
        for text in entry.repoTags ?? [] { tags.append(try ImageReference(parsing: text)) }
        let id = try commitImage(configBytes: configBytes, config: config, layers: layers, tags: tags)
        return LoadedImage(id: id, tags: tags)
    }

    /// Undo what a failed load of one image added: the blobs and unpacked layers no recorded image uses.
    private func discardUnused(blobs: [Digest], layers: [Digest]) {
        guard let records = try? metadata.list() else { return }
        let usedLayers = Set(records.flatMap(\.diffIDs))
        for blob in Set(blobs) where (try? blobInUse(blob)) == false { try? content.delete(blob) }
        for layer in Set(layers) where !usedLayers.contains(layer) && unpacker.hasLayer(layer) { unpacker.removeLayer(layer) }
    }

    /// Unpack a loaded layer blob (unless its diff id is already unpacked) and describe it.
    private func unpackLoaded(blob: Digest, size: Int64, diffID: Digest, mediaType: String?) throws(StackError)
        -> Descriptor
    {
        var compression: LayerCompression?
        if !unpacker.hasLayer(diffID) {
            let fd = try content.open(blob)
            defer { close(fd) }
            compression = try unpacker.unpack(fd: fd, label: blob.description, expectedDiffID: diffID).compression
        }
        if let mediaType { return Descriptor(mediaType: mediaType, digest: blob, size: size) }
        if compression == nil {
            let fd = try content.open(blob)
            defer { close(fd) }
            compression = try DecompressingStream(fd: fd, what: "layer \(blob)", tee: nil).compression
        }
        if let type = compression?.ociMediaType { return Descriptor(mediaType: type, digest: blob, size: size) }
        let plain = try uncompressedBlob(blob)
        if try !blobInUse(blob) { try content.delete(blob) }
        return Descriptor(mediaType: MediaType.ociLayer, digest: plain.digest, size: plain.size)
    }

    private func loadLayout(_ directory: String, dockerEntries: [DockerArchiveManifest]) throws(StackError)
        -> [LoadedImage]
    {
        let index = try ImageJSON.decode(
            ImageIndex.self, POSIXFile.readFile(directory + "/index.json"), what: "index.json")
        var loaded: [LoadedImage] = []
        for descriptor in index.manifests {
            guard let manifestDescriptor = try pickManifest(descriptor, in: directory) else { continue }
            let manifestBytes = try layoutBlob(manifestDescriptor, in: directory)
            let manifest = try ImageJSON.decode(ImageManifest.self, manifestBytes, what: "manifest \(manifestDescriptor.digest)")
            let configBytes = try layoutBlob(manifest.config, in: directory)
            let config = try ImageJSON.decode(ImageConfig.self, configBytes, what: "config \(manifest.config.digest)")
            guard config.rootfs.diffIDs.count == manifest.layers.count else {
                throw StackError(
                    .invalidArgument,
                    "manifest \(manifestDescriptor.digest): \(manifest.layers.count) layers for \(config.rootfs.diffIDs.count) diff ids")
            }
            var layers: [Descriptor] = []
            var ingested: [Digest] = []
            do throws(StackError) {
                for (position, layer) in manifest.layers.enumerated() {
                    let path = try inside(directory, "blobs/sha256/" + layer.digest.hex, what: "blob")
                    let (blob, size) = try content.ingest(path: path, expected: layer.digest)
                    ingested.append(blob)
                    let known = [MediaType.ociLayer, MediaType.ociLayerGzip, MediaType.ociLayerZstd].contains(layer.mediaType)
                    layers.append(
                        try unpackLoaded(
                            blob: blob, size: size, diffID: config.rootfs.diffIDs[position],
                            mediaType: known ? layer.mediaType : nil))
                    ingested.append(layers[position].digest)
                }
            } catch {
                discardUnused(blobs: ingested, layers: config.rootfs.diffIDs)
                throw error
            }
            var tags: [ImageReference] = []
            let annotations = descriptor.annotations ?? [:]
            if let name = annotations[Annotation.containerdImageName], let reference = try? ImageReference(parsing: name) {
                tags.append(reference)
            } else if let name = annotations[Annotation.refName], name.contains(where: { $0 == "/" || $0 == ":" }),
                let reference = try? ImageReference(parsing: name)
            {
                tags.append(reference)
            }
            let configHex = manifest.config.digest.hex
            for entry in dockerEntries where entry.config.hasSuffix(configHex) || entry.config.hasSuffix(configHex + ".json") {
                for text in entry.repoTags ?? [] {
                    if let reference = try? ImageReference(parsing: text), !tags.contains(reference) { tags.append(reference) }
                }
            }
            let kept = layers.map(\.digest) == manifest.layers.map(\.digest)
                && layers.map(\.mediaType) == manifest.layers.map(\.mediaType)
                && MediaType.isManifest(manifest.mediaType ?? manifestDescriptor.mediaType)
            let id = try commitImage(
                configBytes: configBytes, config: config, layers: layers, tags: tags,
                manifestBytes: kept ? manifestBytes : nil)
            if let at = loaded.firstIndex(where: { $0.id == id }) {
                loaded[at].tags += tags.filter { !loaded[at].tags.contains($0) }
            } else {
                loaded.append(LoadedImage(id: id, tags: tags))
            }
        }
        return loaded
    }

    /// The image manifest for an index entry: itself, or the entry of a nested index matching the platform.
    private func pickManifest(_ descriptor: Descriptor, in directory: String) throws(StackError) -> Descriptor? {
        if MediaType.isIndex(descriptor.mediaType) {
            let nested = try ImageJSON.decode(
                ImageIndex.self, try layoutBlob(descriptor, in: directory), what: "index \(descriptor.digest)")
            let candidates = nested.manifests.filter { MediaType.isManifest($0.mediaType) }
            let match = candidates.first {
                $0.platform?.os == platform.os && $0.platform?.architecture == platform.architecture
            }
            guard let chosen = match ?? (candidates.count == 1 ? candidates.first : nil) else {
                throw StackError(
                    .notFound,
                    "index \(descriptor.digest) has no manifest for \(platform.os)/\(platform.architecture)")
            }
            return chosen
        }
        return descriptor
    }

    /// A small blob of the layout, verified against its descriptor.
    private func layoutBlob(_ descriptor: Descriptor, in directory: String) throws(StackError) -> [UInt8] {
        let path = try inside(directory, "blobs/sha256/" + descriptor.digest.hex, what: "blob")
        let bytes = try POSIXFile.readFile(path)
        let actual = Digest.of(bytes)
        guard actual == descriptor.digest else {
            throw StackError(.invalidArgument, "blob \(descriptor.digest) in the layout hashes to \(actual)")
        }
        return bytes
    }
}
