import StackCore
import Store
import Testing

@Suite struct ImageTableTests {
    static func id(_ prefix: String) -> String {
        "sha256:" + prefix + String(repeating: "0", count: 64 - prefix.count)
    }

    static func image(_ prefix: String, createdAt: Double = 1) -> ImageRecord {
        ImageRecord(
            id: id(prefix), manifestDigest: "sha256:" + String(repeating: "f", count: 64),
            config: #"{"architecture":"amd64","os":"linux","rootfs":{"type":"layers"}}"#, createdAt: createdAt,
            size: 1_234_567, layers: [id("d1"), id("d2")])
    }

    @Test func recordsRoundTripAndPutReplaces() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        let image = Self.image("aa")
        try store.images.put(image)
        #expect(try store.images.get(image.id) == image)
        try store.images.tag("busybox:latest", imageID: image.id)
        var changed = image
        changed.size = 7
        changed.layers = []
        changed.manifestDigest = nil
        try store.images.put(changed)
        #expect(try store.images.get(image.id) == changed)
        #expect(try store.images.tags(for: image.id) == ["busybox:latest"])  // replacing keeps the tags
        try store.images.put(Self.image("bb", createdAt: 9))
        #expect(try store.images.list().map(\.id) == [Self.id("bb"), Self.id("aa")])
    }

    @Test func tagMovesAndUntagKeepsTheImage() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.images.put(Self.image("aa"))
        try store.images.put(Self.image("bb"))
        #expect(try store.images.tag("app:1", imageID: Self.id("aa")) == nil)
        #expect(try store.images.tag("app:latest", imageID: Self.id("aa")) == nil)
        #expect(try store.images.tag("app:latest", imageID: Self.id("aa")) == nil)  // same image: no previous
        #expect(try store.images.tag("app:latest", imageID: Self.id("bb")) == Self.id("aa"))
        #expect(try store.images.tags(for: Self.id("aa")) == ["app:1"])
        #expect(try store.images.allTags() == [
            ImageTag(reference: "app:1", imageID: Self.id("aa")),
            ImageTag(reference: "app:latest", imageID: Self.id("bb")),
        ])
        #expect(try store.images.untag("app:1") == Self.id("aa"))
        #expect(try store.images.get(Self.id("aa")) != nil)
        let missing = try #require(throws: StackError.self) { try store.images.untag("app:1") }
        #expect(missing.code == .notFound)
        let noImage = try #require(throws: StackError.self) {
            try store.images.tag("ghost:1", imageID: Self.id("cc"))
        }
        #expect(noImage.code == .notFound)
        #expect(try store.images.allTags().count == 1)
    }

    @Test func deleteRefusesTaggedImagesUnlessForced() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.images.put(Self.image("aa"))
        try store.images.tag("app:1", imageID: Self.id("aa"))
        try store.images.tag("app:2", imageID: Self.id("aa"))
        let refused = try #require(throws: StackError.self) { try store.images.delete(Self.id("aa")) }
        #expect(refused.code == .conflict)
        #expect(refused.message.contains("must be forced"))
        #expect(refused.message.contains("app:1, app:2"))
        #expect(try store.images.get(Self.id("aa")) != nil)

        #expect(try store.images.delete(Self.id("aa"), force: true) == ["app:1", "app:2"])
        #expect(try store.images.get(Self.id("aa")) == nil)
        #expect(try store.images.allTags().isEmpty)

        try store.images.put(Self.image("bb"))
        #expect(try store.images.delete(Self.id("bb")).isEmpty)
        let gone = try #require(throws: StackError.self) { try store.images.delete(Self.id("bb")) }
        #expect(gone.code == .notFound)
    }

    @Test func theForeignKeyProtectsTaggedImages() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.images.put(Self.image("aa"))
        try store.images.tag("app:1", imageID: Self.id("aa"))
        let error = try #require(throws: StackError.self) {
            try store.database.execute("DELETE FROM images", step: "raw delete")
        }
        #expect(error.sqliteError?.isForeignKeyViolation == true)
    }

    @Test func resolveByTagIdAndPrefix() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.images.put(Self.image("abc1"))
        try store.images.put(Self.image("abc2"))
        try store.images.tag("busybox:latest", imageID: Self.id("abc2"))

        #expect(try store.images.resolve("busybox:latest")?.id == Self.id("abc2"))
        #expect(try store.images.resolve(Self.id("abc1"))?.id == Self.id("abc1"))
        #expect(try store.images.resolve(String(Self.id("abc1").dropFirst(7)))?.id == Self.id("abc1"))
        #expect(try store.images.resolve("abc1")?.id == Self.id("abc1"))
        #expect(try store.images.resolve("sha256:abc2")?.id == Self.id("abc2"))
        #expect(try store.images.resolve("busybox") == nil)
        #expect(try store.images.resolve("fff") == nil)
        #expect(try store.images.resolve("") == nil)
        let ambiguous = try #require(throws: StackError.self) { try store.images.resolve("abc") }
        #expect(ambiguous.message.contains("abc100000000"))
        #expect(ambiguous.message.contains("abc200000000"))
    }

    @Test func containersUsingAnImageAreListed() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        var container = ContainerTableTests.record("c1", "uses")
        container.imageID = Self.id("aa")
        try store.containers.insert(container)
        try store.containers.insert(ContainerTableTests.record("c2", "other"))
        #expect(try store.containers.ids(usingImage: Self.id("aa")) == [container.id])
    }
}
