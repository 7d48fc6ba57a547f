import Foundation
import Images
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct ImageStoreTests {
    struct Fixture {
        let dir: TemporaryDirectory
        let metadata = InMemoryImageMetadataStore()
        let store: ImageStore

        init() throws {
            dir = try TemporaryDirectory()
            store = try ImageStore(root: dir.sub("images"), metadata: metadata)
        }

        /// Import a small rootfs with `files` (name → content).
        func importFiles(_ files: [String: String], as name: String?) throws -> Digest {
            let tar = dir.sub("rootfs-\(UUID().uuidString).tar")
            try makeTar(tar) { tar in
                for (file, text) in files.sorted(by: { $0.key < $1.key }) { try tar.add(file, .file(Array(text.utf8))) }
            }
            return try store.importRootfs(from: .path(tar), reference: name.map { try ImageReference(parsing: $0) })
        }
    }

    static var hasBusybox: Bool { access("/bin/busybox", X_OK) == 0 }

    @Test(arguments: [LayerCompression.gzip, .xz, .zstd, .none])
    func importsABusyboxRootfs(compression: LayerCompression) throws {
        guard ImageStoreTests.hasBusybox else {
            print("skipped: /bin/busybox missing (apt install busybox-static)")
            return
        }
        let fixture = try Fixture()
        let tar = fixture.dir.sub("busybox.tar")
        try makeBusyboxTar(tar, compression: compression)
        let id = try fixture.store.importRootfs(
            from: .path(tar), reference: try ImageReference(parsing: "busybox"),
            changes: ["CMD [\"sh\"]", "ENV PATH=/bin", "WORKDIR /tmp"], message: "from the host")
        #expect(try fixture.store.resolve("busybox") == id)
        #expect(try fixture.store.resolve("busybox:latest") == id)
        #expect(try fixture.store.resolve(id.description) == id)
        #expect(try fixture.store.resolve(id.shortHex) == id)
        #expect(throws: StackError.self) { try fixture.store.resolve("busybox:other") }

        let record = try fixture.store.record("busybox")
        #expect(record.id == id)
        #expect(Digest.of(Array(record.config.utf8)) == id, "the id is the digest of the config blob")
        let manifest = try fixture.store.manifest(of: record)
        #expect(manifest.config.digest == id)
        #expect(manifest.layers.count == 1)
        let layer = try #require(manifest.layers.first)
        switch compression {
        case .gzip:
            #expect(layer.mediaType == MediaType.ociLayerGzip)
            #expect(layer.digest == TestFS.sha256(ofFile: tar), "the layer blob is the tar as given")
        case .zstd:
            #expect(layer.mediaType == MediaType.ociLayerZstd)
            #expect(layer.digest == TestFS.sha256(ofFile: tar))
        case .xz:
            #expect(layer.mediaType == MediaType.ociLayer)
            #expect(layer.digest == record.diffIDs.first, "xz is stored uncompressed")
        default:
            #expect(layer.mediaType == MediaType.ociLayer)
            #expect(layer.digest == record.diffIDs.first)
        }
        #expect(fixture.store.content.exists(layer.digest))
        #expect(fixture.store.content.exists(record.manifestDigest))

        let paths = try fixture.store.layerPaths(id)
        #expect(paths.count == 1)
        let root = try #require(paths.first)
        #expect(root.hasPrefix("/"))
        #expect(TestFS.readlink(root + "/bin/sh") == "busybox")
        #expect(TestFS.lstatInfo(root + "/bin/busybox").map { $0.st_mode & 0o777 } == 0o755)
        #expect(TestFS.lstatInfo(root + "/tmp").map { $0.st_mode & 0o7777 } == 0o1777)

        let inspect = try fixture.store.inspect("busybox")
        #expect(inspect.id == id.description)
        #expect(inspect.repoTags == ["busybox:latest"])
        #expect(inspect.os == "linux")
        #expect(inspect.comment == "from the host")
        #expect(inspect.config?.cmd == ["sh"])
        #expect(inspect.config?.env == ["PATH=/bin"])
        #expect(inspect.config?.workingDir == "/tmp")
        #expect(inspect.rootFS.type == "layers")
        #expect(inspect.rootFS.layers == record.diffIDs.map(\.description))
        let json = String(decoding: try JSONEncoder().encode(inspect), as: UTF8.self)
        for key in ["\"Id\"", "\"RepoTags\"", "\"Created\"", "\"Architecture\"", "\"Os\"", "\"Size\"", "\"RootFS\"", "\"Cmd\""] {
            #expect(json.contains(key), "\(key) in \(json)")
        }
        let rows = try fixture.store.list()
        #expect(rows.count == 1)
        #expect(rows.first?.repoTags == ["busybox:latest"])
        #expect((rows.first?.created ?? 0) > 1_700_000_000)
        #expect(TestFS.listing(fixture.dir.sub("images/tmp")) == [])
    }

    @Test func importFromAFileDescriptor() throws {
        let fixture = try Fixture()
        let tar = fixture.dir.sub("fd.tar")
        try makeTar(tar, compression: .gzip) { try $0.add("hello", .file(Array("hi".utf8))) }
        let fd = open(tar, O_RDONLY)
        defer { close(fd) }
        let id = try fixture.store.importRootfs(from: .fileDescriptor(fd), reference: nil)
        #expect(try fixture.store.inspect(id.description).repoTags == [])
        #expect(TestFS.read((try fixture.store.layerPaths(id).first ?? "") + "/hello") == "hi")
    }

    @Test func hostileImportLeavesNothing() throws {
        let fixture = try Fixture()
        let tar = fixture.dir.sub("evil.tar")
        try makeTar(tar) { try $0.add("../../escaped", .file(Array("x".utf8))) }
        let error = #expect(throws: StackError.self) {
            try fixture.store.importRootfs(from: .path(tar), reference: try ImageReference(parsing: "evil"))
        }
        #expect(error?.message.contains("entry '../../escaped' escapes the layer") == true)
        #expect(try fixture.metadata.list().isEmpty)
        #expect(fixture.store.content.list().isEmpty)
        #expect(TestFS.listing(fixture.dir.sub("images/layers")) == [])
        #expect(TestFS.listing(fixture.dir.sub("images/tmp")) == [])
        #expect(!FileManager.default.fileExists(atPath: fixture.dir.sub("escaped")))
    }

    @Test func removeUntagsUntilTheLastReference() throws {
        let fixture = try Fixture()
        let id = try fixture.importFiles(["a": "1"], as: "app:1")
        try fixture.store.tag("app:1", as: try ImageReference(parsing: "app:2"))
        try fixture.store.tag(id.shortHex, as: try ImageReference(parsing: "localhost:5000/app"))
        #expect(try fixture.store.inspect("app:2").repoTags == ["app:1", "app:2", "localhost:5000/app:latest"])
        let layer = try #require(try fixture.store.layerPaths(id).first)

        // By id with several tags: refused unless forced.
        let conflict = #expect(throws: StackError.self) { try fixture.store.remove(id.description) }
        #expect(conflict?.message.contains("must be forced") == true)

        #expect(try fixture.store.remove("app:1") == [.untagged("app:1")])
        #expect(try fixture.store.remove("localhost:5000/app") == [.untagged("localhost:5000/app:latest")])
        #expect(FileManager.default.fileExists(atPath: layer))
        let last = try fixture.store.remove("app:2")
        #expect(last.first == .untagged("app:2"))
        #expect(last.contains(.deleted(id)))
        #expect(last.map(\.description).contains("Deleted: " + id.description))
        #expect(!FileManager.default.fileExists(atPath: layer))
        #expect(fixture.store.content.list().isEmpty)
        #expect(throws: StackError.self) { try fixture.store.resolve(id.description) }
        #expect(throws: StackError.self) { try fixture.store.remove("app:2") }
    }

    @Test func removeKeepsLayersOtherImagesUse() throws {
        let fixture = try Fixture()
        let tar = fixture.dir.sub("shared.tar")
        try makeTar(tar) { try $0.add("shared", .file(Array("s".utf8))) }
        let first = try fixture.store.importRootfs(from: .path(tar), reference: try ImageReference(parsing: "one"),
                                                   changes: ["CMD [\"a\"]"])
        let second = try fixture.store.importRootfs(from: .path(tar), reference: try ImageReference(parsing: "two"),
                                                    changes: ["CMD [\"b\"]"])
        #expect(first != second)
        let layer = try #require(try fixture.store.layerPaths(first).first)
        #expect(try fixture.store.layerPaths(second) == [layer])
        let removed = try fixture.store.remove("one", force: true)
        #expect(removed == [.untagged("one:latest"), .deleted(first)], "the shared layer is not deleted")
        #expect(FileManager.default.fileExists(atPath: layer))
        #expect(try fixture.store.layerPaths(second) == [layer])
        // Forced removal by id untags every tag.
        try fixture.store.tag("two", as: try ImageReference(parsing: "three"))
        let all = try fixture.store.remove(second.shortHex, force: true)
        #expect(all.prefix(2) == [.untagged("three:latest"), .untagged("two:latest")])
        #expect(all.contains(.deleted(second)))
        #expect(!FileManager.default.fileExists(atPath: layer))
    }

    @Test func saveThenLoadRoundTrip() throws {
        let fixture = try Fixture()
        let id = try fixture.importFiles(["etc/os-release": "ID=test\n", "bin/tool": "#!/bin/sh\n"], as: "tool:1.0")
        try fixture.store.tag("tool:1.0", as: try ImageReference(parsing: "registry.local/tool:stable"))
        let other = try fixture.importFiles(["x": "y"], as: nil)
        let archive = fixture.dir.sub("saved.tar")
        try fixture.store.save(["tool:1.0", "registry.local/tool:stable", other.description], to: .path(archive))

        // The archive holds both formats.
        let listing = TestFS.run(["tar", "-tf", archive]).stdout.split(separator: "\n").map(String.init)
        for name in ["oci-layout", "index.json", "manifest.json", "repositories"] {
            #expect(listing.contains(name), "\(name) in \(listing)")
        }
        let manifestJSON = TestFS.run(["tar", "-xOf", archive, "manifest.json"]).stdout
        let entries = try JSONDecoder().decode([DockerArchiveManifest].self, from: Data(manifestJSON.utf8))
        #expect(entries.count == 2)
        #expect(entries.first?.repoTags == ["tool:1.0", "registry.local/tool:stable"])
        #expect(entries.first?.config == "blobs/sha256/" + id.hex)
        let indexJSON = TestFS.run(["tar", "-xOf", archive, "index.json"]).stdout
        let index = try JSONDecoder().decode(ImageIndex.self, from: Data(indexJSON.utf8))
        #expect(index.manifests.count == 3)
        #expect(index.manifests.first?.annotations?["io.containerd.image.name"] == "docker.io/library/tool:1.0")
        #expect(index.manifests.first?.annotations?["org.opencontainers.image.ref.name"] == "1.0")

        // Into a fresh store.
        let target = try Fixture()
        let loaded = try target.store.load(from: .path(archive))
        #expect(Set(loaded.map(\.id)) == [id, other])
        let tool = try #require(loaded.first { $0.id == id })
        #expect(Set(tool.tags.map(\.familiar)) == ["tool:1.0", "registry.local/tool:stable"])
        #expect(try target.store.resolve("tool:1.0") == id)
        #expect(try target.store.resolve("registry.local/tool:stable") == id)
        let root = try #require(try target.store.layerPaths(id).first)
        #expect(TestFS.read(root + "/etc/os-release") == "ID=test\n")
        #expect(try target.store.record(id.description).manifestDigest == fixture.store.record(id.description).manifestDigest)
        #expect(TestFS.listing(target.dir.sub("images/tmp")) == [])

        // Loading the same archive again is idempotent.
        #expect(Set(try target.store.load(from: .path(archive)).map(\.id)) == [id, other])
        #expect(try target.store.list().count == 2)
    }

    @Test func loadsADockerSaveArchive() throws {
        // A legacy `docker save` layout: <id>.json config, <dir>/layer.tar, manifest.json.
        let fixture = try Fixture()
        let work = fixture.dir.sub("docker")
        try FileManager.default.createDirectory(atPath: work + "/abc", withIntermediateDirectories: true)
        let layerTar = work + "/abc/layer.tar"
        try makeTar(layerTar) { try $0.add("hello.txt", .file(Array("docker".utf8))) }
        let diffID = try #require(TestFS.sha256(ofFile: layerTar))
        let config = ImageConfig(
            created: "2024-01-02T03:04:05Z", architecture: "amd64", os: "linux",
            config: .init(cmd: ["/hello"]), rootfs: .init(diffIDs: [diffID]))
        let configData = try JSONEncoder().encode(config)
        let configID = Digest.of([UInt8](configData))
        try configData.write(to: URL(fileURLWithPath: work + "/\(configID.hex).json"))
        let entries = [DockerArchiveManifest(config: "\(configID.hex).json", repoTags: ["hello:v1"], layers: ["abc/layer.tar"])]
        try JSONEncoder().encode(entries).write(to: URL(fileURLWithPath: work + "/manifest.json"))
        let archive = fixture.dir.sub("docker.tar.gz")
        #expect(TestFS.run(["tar", "-czf", archive, "-C", work, "."]).status == 0)

        let loaded = try fixture.store.load(from: .path(archive))
        #expect(loaded == [LoadedImage(id: configID, tags: [try ImageReference(parsing: "hello:v1")])])
        #expect(try fixture.store.inspect("hello:v1").created == "2024-01-02T03:04:05Z")
        #expect(try fixture.store.inspect("hello:v1").config?.cmd == ["/hello"])
        #expect(TestFS.read((try fixture.store.layerPaths(configID).first ?? "") + "/hello.txt") == "docker")
        // As a directory too.
        let second = try Fixture()
        #expect(try second.store.load(from: .path(work)).map(\.id) == [configID])

        // A config whose diff id does not match the layer is refused, and leaves no layer behind.
        let bad = ImageConfig(architecture: "amd64", os: "linux", rootfs: .init(diffIDs: [Digest.of([1])]))
        let badData = try JSONEncoder().encode(bad)
        try badData.write(to: URL(fileURLWithPath: work + "/bad.json"))
        let badEntries = [DockerArchiveManifest(config: "bad.json", repoTags: ["bad:1"], layers: ["abc/layer.tar"])]
        try JSONEncoder().encode(badEntries).write(to: URL(fileURLWithPath: work + "/manifest.json"))
        let third = try Fixture()
        let error = #expect(throws: StackError.self) { try third.store.load(from: .path(work)) }
        #expect(error?.message.contains("expected \(Digest.of([1]))") == true)
        #expect(TestFS.listing(third.dir.sub("images/layers")) == [])
        #expect(try third.metadata.list().isEmpty)

        // Paths leaving the archive are refused.
        let escaping = [DockerArchiveManifest(config: "../outside.json", repoTags: nil, layers: [])]
        try JSONEncoder().encode(escaping).write(to: URL(fileURLWithPath: work + "/manifest.json"))
        #expect(throws: StackError.self) { try third.store.load(from: .path(work)) }
    }

    @Test func loadsAnOCILayoutDirectory() throws {
        let fixture = try Fixture()
        let layout = fixture.dir.sub("layout")
        let blobs = layout + "/blobs/sha256"
        try FileManager.default.createDirectory(atPath: blobs, withIntermediateDirectories: true)
        func put(_ bytes: [UInt8]) throws -> Digest {
            let digest = Digest.of(bytes)
            try Data(bytes).write(to: URL(fileURLWithPath: blobs + "/" + digest.hex))
            return digest
        }
        let plain = fixture.dir.sub("l.tar")
        let packed = fixture.dir.sub("l.tar.zst")
        try makeTar(plain) { try $0.add("oci.txt", .file(Array("oci".utf8))) }
        try makeTar(packed, compression: .zstd) { try $0.add("oci.txt", .file(Array("oci".utf8))) }
        let layerBytes = [UInt8](try #require(FileManager.default.contents(atPath: packed)))
        let layer = try put(layerBytes)
        let diffID = try #require(TestFS.sha256(ofFile: plain))
        let configBytes = [UInt8](try JSONEncoder().encode(
            ImageConfig(architecture: "amd64", os: "linux", rootfs: .init(diffIDs: [diffID]))))
        let config = try put(configBytes)
        let manifest = ImageManifest(
            config: Descriptor(mediaType: MediaType.ociConfig, digest: config, size: Int64(configBytes.count)),
            layers: [Descriptor(mediaType: MediaType.ociLayerZstd, digest: layer, size: Int64(layerBytes.count))])
        let manifestBytes = [UInt8](try JSONEncoder().encode(manifest))
        let manifestDigest = try put(manifestBytes)
        let index = ImageIndex(manifests: [
            Descriptor(mediaType: MediaType.ociManifest, digest: manifestDigest, size: Int64(manifestBytes.count),
                       annotations: ["org.opencontainers.image.ref.name": "example.com/oci/app:2"])
        ])
        try JSONEncoder().encode(index).write(to: URL(fileURLWithPath: layout + "/index.json"))
        try JSONEncoder().encode(ImageLayoutMarker()).write(to: URL(fileURLWithPath: layout + "/oci-layout"))

        let loaded = try fixture.store.load(from: .path(layout))
        #expect(loaded.map(\.id) == [config])
        #expect(loaded.first?.tags.map(\.description) == ["example.com/oci/app:2"])
        let record = try fixture.store.record("example.com/oci/app:2")
        #expect(record.manifestDigest == manifestDigest, "the layout's manifest is kept")
        #expect(TestFS.read((try fixture.store.layerPaths(config).first ?? "") + "/oci.txt") == "oci")

        // A blob that does not match its digest is refused.
        try Data("tampered".utf8).write(to: URL(fileURLWithPath: blobs + "/" + layer.hex))
        let other = try Fixture()
        #expect(throws: StackError.self) { try other.store.load(from: .path(layout)) }
        #expect(try other.metadata.list().isEmpty)
    }

    @Test func layerPathsAreTopMostFirst() throws {
        let fixture = try Fixture()
        let lower = fixture.dir.sub("lower.tar")
        let upper = fixture.dir.sub("upper.tar")
        try makeTar(lower) { try $0.add("f", .file(Array("lower".utf8))) }
        try makeTar(upper) { try $0.add("f", .file(Array("upper".utf8))) }
        let work = fixture.dir.sub("two")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: lower, toPath: work + "/lower.tar")
        try FileManager.default.copyItem(atPath: upper, toPath: work + "/upper.tar")
        let diffIDs = [try #require(TestFS.sha256(ofFile: lower)), try #require(TestFS.sha256(ofFile: upper))]
        let configData = try JSONEncoder().encode(
            ImageConfig(architecture: "amd64", os: "linux", rootfs: .init(diffIDs: diffIDs)))
        try configData.write(to: URL(fileURLWithPath: work + "/config.json"))
        try JSONEncoder().encode([
            DockerArchiveManifest(config: "config.json", repoTags: ["two:layers"], layers: ["lower.tar", "upper.tar"])
        ]).write(to: URL(fileURLWithPath: work + "/manifest.json"))
        let id = try #require(try fixture.store.load(from: .path(work)).first?.id)
        let paths = try fixture.store.layerPaths(id)
        #expect(paths == [fixture.store.unpacker.path(for: diffIDs[1]), fixture.store.unpacker.path(for: diffIDs[0])])
        #expect(TestFS.read(paths[0] + "/f") == "upper")
    }
}

@Suite struct ImageStoreMaintenanceTests {
    @Test func garbageCollectionKeepsWhatRecordsUse() throws {
        let fixture = try ImageStoreTests.Fixture()
        let id = try fixture.importFiles(["kept": "k"], as: "kept")
        let keptLayer = try #require(try fixture.store.layerPaths(id).first)
        // Leftovers of a crash: a blob, an unpacked layer and a staging file nobody records.
        let orphan = try fixture.store.content.ingest(bytes: Array("orphan".utf8)).digest
        let tar = fixture.dir.sub("orphan.tar")
        try makeTar(tar) { try $0.add("orphan", .file([1])) }
        let orphanLayer = try fixture.store.unpacker.unpack(path: tar, label: "orphan")
        try TestFS.write(fixture.dir.sub("images/tmp/ingest-stale"), "partial")

        let removed = try fixture.store.collectGarbage()
        #expect(Set(removed) == [orphan, orphanLayer.diffID])
        #expect(!fixture.store.content.exists(orphan))
        #expect(!FileManager.default.fileExists(atPath: orphanLayer.path))
        #expect(TestFS.listing(fixture.dir.sub("images/tmp")) == [])
        #expect(FileManager.default.fileExists(atPath: keptLayer))
        #expect(try fixture.store.inspect("kept").id == id.description)
        let record = try fixture.store.record("kept")
        #expect(fixture.store.content.exists(record.manifestDigest))
        #expect(fixture.store.content.exists(record.id))
    }

    @Test func tagAndUntag() throws {
        let fixture = try ImageStoreTests.Fixture()
        let id = try fixture.importFiles(["f": "x"], as: nil)
        try fixture.store.tag(id.description, as: try ImageReference(parsing: "named:1"))
        #expect(try fixture.store.resolve("named:1") == id)
        let digestRef = try ImageReference(parsing: "named@sha256:" + id.hex)
        #expect(throws: StackError.self) { try fixture.store.tag("named:1", as: digestRef) }
        #expect(throws: StackError.self) { try fixture.store.tag("missing", as: try ImageReference(parsing: "x")) }
        try fixture.store.untag(try ImageReference(parsing: "named:1"))
        #expect(throws: StackError.self) { try fixture.store.resolve("named:1") }
        #expect(try fixture.store.resolve(id.description) == id, "untag keeps the image")
        #expect(throws: StackError.self) { try fixture.store.untag(try ImageReference(parsing: "named:1")) }
    }
}
