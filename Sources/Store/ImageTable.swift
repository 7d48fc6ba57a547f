import StackCore

/// The `images` and `image_tags` tables: image records and the references that name them.
///
/// References are stored exactly as given; normalising `busybox` to `docker.io/library/busybox:latest`
/// is the caller's job.
public struct ImageTable: Sendable {
    /// The database the tables live in.
    public let database: Database

    /// Wraps `database` (already migrated).
    public init(database: Database) {
        self.database = database
    }

    static let columns = "id, manifest_digest, config, created_at, size, layers"

    // MARK: Images

    /// Adds the image, or replaces the record of an image with the same id (its tags stay).
    public func put(_ record: ImageRecord) throws(StackError) {
        try database.transaction { (connection) throws(StackError) in try put(record, in: connection) }
    }

    /// Adds or replaces the image inside an open transaction.
    public func put(_ record: ImageRecord, in connection: Connection) throws(StackError) {
        try connection.run(
            """
            INSERT INTO images (\(Self.columns)) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET manifest_digest = excluded.manifest_digest, config = excluded.config,
                created_at = excluded.created_at, size = excluded.size, layers = excluded.layers
            """,
            [
                .text(record.id), SQLValue(record.manifestDigest), .text(record.config), .real(record.createdAt),
                .integer(record.size), .text(try JSONColumn.encode(record.layers, column: "images.layers")),
            ], step: "put image")
    }

    /// The image with exactly this id, or nil.
    public func get(_ id: String) throws(StackError) -> ImageRecord? {
        try database.read { (connection) throws(StackError) in try get(id, in: connection) }
    }

    /// The image with exactly this id, inside an open transaction.
    public func get(_ id: String, in connection: Connection) throws(StackError) -> ImageRecord? {
        try connection.queryFirst(
            "SELECT \(Self.columns) FROM images WHERE id = ?", [.text(id)], step: "get image", Self.record)
    }

    /// Every image, newest first.
    public func list() throws(StackError) -> [ImageRecord] {
        try database.read { (connection) throws(StackError) in
            try connection.query(
                "SELECT \(Self.columns) FROM images ORDER BY created_at DESC, id", step: "list images", Self.record)
        }
    }

    /// Deletes the image. While tags name it this fails unless `force`, which removes the tags too.
    ///
    /// Returns the references that were removed with it.
    @discardableResult
    public func delete(_ id: String, force: Bool = false) throws(StackError) -> [String] {
        try database.transaction { (connection) throws(StackError) -> [String] in
            guard try get(id, in: connection) != nil else { throw Self.noSuch(id) }
            let references = try tags(for: id, in: connection)
            if !references.isEmpty && !force {
                throw StackError(
                    .conflict,
                    "unable to delete image \(Self.short(id)) (must be forced): it is tagged as "
                        + references.joined(separator: ", "))
            }
            try connection.run("DELETE FROM image_tags WHERE image_id = ?", [.text(id)], step: "untag image")
            try connection.run("DELETE FROM images WHERE id = ?", [.text(id)], step: "delete image")
            return references
        }
    }

    // MARK: Tags

    /// Points `reference` at the image (moving it off another image if it named one).
    ///
    /// Returns the id the reference named before, when it named a different image.
    @discardableResult
    public func tag(_ reference: String, imageID: String) throws(StackError) -> String? {
        try database.transaction { (connection) throws(StackError) -> String? in
            try tag(reference, imageID: imageID, in: connection)
        }
    }

    /// Points `reference` at the image inside an open transaction.
    @discardableResult
    public func tag(_ reference: String, imageID: String, in connection: Connection) throws(StackError) -> String? {
        guard try get(imageID, in: connection) != nil else { throw Self.noSuch(imageID) }
        let previous = try taggedImage(reference, in: connection)
        try connection.run(
            """
            INSERT INTO image_tags (reference, image_id) VALUES (?, ?)
            ON CONFLICT(reference) DO UPDATE SET image_id = excluded.image_id
            """, [.text(reference), .text(imageID)], step: "tag image")
        return previous == imageID ? nil : previous
    }

    /// Removes `reference`; returns the id of the image it named. The image itself stays.
    @discardableResult
    public func untag(_ reference: String) throws(StackError) -> String {
        try database.transaction { (connection) throws(StackError) -> String in
            guard let imageID = try taggedImage(reference, in: connection) else { throw Self.noSuch(reference) }
            try connection.run("DELETE FROM image_tags WHERE reference = ?", [.text(reference)], step: "untag image")
            return imageID
        }
    }

    /// The references naming the image, sorted.
    public func tags(for imageID: String) throws(StackError) -> [String] {
        try database.read { (connection) throws(StackError) in try tags(for: imageID, in: connection) }
    }

    /// The references naming the image, sorted, inside an open transaction.
    public func tags(for imageID: String, in connection: Connection) throws(StackError) -> [String] {
        try connection.query(
            "SELECT reference FROM image_tags WHERE image_id = ? ORDER BY reference", [.text(imageID)],
            step: "list image tags"
        ) { row in row.string(0) ?? "" }
    }

    /// Every tag, sorted by reference.
    public func allTags() throws(StackError) -> [ImageTag] {
        try database.read { (connection) throws(StackError) in
            try connection.query(
                "SELECT reference, image_id FROM image_tags ORDER BY reference", step: "list image tags"
            ) { row in ImageTag(reference: row.string(0) ?? "", imageID: row.string(1) ?? "") }
        }
    }

    /// Finds the image a user named: a tag, an exact id (with or without `sha256:`), or a unique id prefix.
    ///
    /// Returns nil when nothing matches; an ambiguous prefix fails naming the candidates.
    public func resolve(_ reference: String) throws(StackError) -> ImageRecord? {
        try database.read { (connection) throws(StackError) -> ImageRecord? in
            guard !reference.isEmpty else { return nil }
            if let imageID = try taggedImage(reference, in: connection) {
                return try get(imageID, in: connection)
            }
            let id = reference.hasPrefix("sha256:") ? reference : "sha256:" + reference
            if let record = try get(id, in: connection) { return record }
            // Only hex digits can be an id prefix; anything else was a reference that is not tagged.
            guard id.utf8.count > "sha256:".utf8.count, id.dropFirst(7).allSatisfy(\.isHexDigit) else { return nil }
            let matches = try connection.query(
                "SELECT \(Self.columns) FROM images WHERE substr(id, 1, ?) = ? ORDER BY id LIMIT 11",
                [.integer(Int64(id.utf8.count)), .text(id)], step: "resolve image", Self.record)
            guard matches.count <= 1 else {
                let ids = matches.prefix(10).map { Self.short($0.id) }.joined(separator: ", ")
                throw StackError(.invalidArgument, "multiple images match the id prefix \(reference): \(ids)")
            }
            return matches.first
        }
    }

    // MARK: Helpers

    func taggedImage(_ reference: String, in connection: Connection) throws(StackError) -> String? {
        try connection.queryFirst(
            "SELECT image_id FROM image_tags WHERE reference = ?", [.text(reference)], step: "get image tag"
        ) { row in row.string(0) }.flatMap { $0 }
    }

    static func noSuch(_ reference: String) -> StackError {
        StackError(.notFound, "No such image: \(reference)")
    }

    /// `sha256:0123456789ab…` → `0123456789ab`, as `docker images` shows ids.
    static func short(_ id: String) -> String {
        String((id.hasPrefix("sha256:") ? id.dropFirst(7) : Substring(id)).prefix(12))
    }

    static func record(_ row: Row) throws(StackError) -> ImageRecord {
        let id = row.string(0) ?? ""
        return ImageRecord(
            id: id, manifestDigest: row.string(1), config: row.string(2) ?? "{}", createdAt: row.double(3) ?? 0,
            size: row.int64(4) ?? 0,
            layers: try JSONColumn.decode([String].self, row.string(5), column: "images.layers of \(id)", empty: []))
    }
}
