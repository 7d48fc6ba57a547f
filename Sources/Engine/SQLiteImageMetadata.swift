import Images
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
                createdAt: record.created.flatMap(RFC3339Seconds.parse) ?? 0, size: record.size,
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

/// RFC 3339 text to seconds since the epoch (UTC; fraction and `Z` or ±hh:mm offset).
enum RFC3339Seconds {
    static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20 else { return nil }
        func number(_ range: Range<Int>) -> Int? { Int(String(decoding: bytes[range], as: UTF8.self)) }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            var scale = 0.1
            index += 1
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                fraction += Double(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            index + 6 <= bytes.count, let hours = number((index + 1)..<(index + 3)),
            let minutes = number((index + 4)..<(index + 6))
        {
            offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        }
        // Days from the civil date (Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }
}
