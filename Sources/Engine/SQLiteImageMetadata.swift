#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Images
import Monitor
import StackCore
import Store

/// The image store's records and tags in stackd's SQLite database.
public struct SQLiteImageMetadata: ImageMetadataStore {
    let store: StateStore

    public init(store: StateStore) { self.store = store }

    public func put(_ record: Images.ImageRecord) throws(StackError) {
        try store.images.put(
            Store.ImageRecord(
                id: record.id.description, manifestDigest: record.manifestDigest.description, config: record.config,
                createdAt: record.created.flatMap(RFC3339.parse)?.timeIntervalSince1970 ?? 0, size: record.size,
                layers: record.diffIDs.map(\.description)))
    }

    public func get(_ id: Digest) throws(StackError) -> Images.ImageRecord? {
        try store.images.get(id.description).map { stored throws(StackError) in try Self.convert(stored) }
    }

    public func list() throws(StackError) -> [Images.ImageRecord] {
        var result: [Images.ImageRecord] = []
        for stored in try store.images.list() { result.append(try Self.convert(stored)) }
        return result
    }

    public func delete(_ id: Digest) throws(StackError) {
        _ = try store.images.delete(id.description, force: true)
    }

    public func tag(_ reference: ImageReference, to id: Digest) throws(StackError) {
        try store.images.tag(reference.description, imageID: id.description)
    }

    @discardableResult
    public func untag(_ reference: ImageReference) throws(StackError) -> Digest? {
        guard try store.images.allTags().contains(where: { $0.reference == reference.description }) else { return nil }
        return try Digest(parsing: try store.images.untag(reference.description))
    }

    public func tags(for id: Digest) throws(StackError) -> [ImageReference] {
        var result: [ImageReference] = []
        for text in try store.images.tags(for: id.description) { result.append(try ImageReference(parsing: text)) }
        return result.sorted { $0.description < $1.description }
    }

    public func resolve(_ reference: ImageReference) throws(StackError) -> Digest? {
        guard let tag = try store.images.allTags().first(where: { $0.reference == reference.description }) else {
            return nil
        }
        return try Digest(parsing: tag.imageID)
    }

    static func convert(_ stored: Store.ImageRecord) throws(StackError) -> Images.ImageRecord {
        var layers: [Digest] = []
        for layer in stored.layers { layers.append(try Digest(parsing: layer)) }
        return Images.ImageRecord(
            id: try Digest(parsing: stored.id),
            manifestDigest: try Digest(parsing: stored.manifestDigest ?? stored.id), config: stored.config,
            created: stored.createdAt > 0 ? TimeText.rfc3339(stored.createdAt) : nil, size: stored.size,
            diffIDs: layers)
    }
}
