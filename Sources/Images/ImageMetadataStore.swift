import StackCore

/// Persistence of image records and tags (the lead backs it with SQLite; `InMemoryImageMetadataStore`
/// for tests). References are full and normalized (`docker.io/library/busybox:latest`); a tag points to
/// one image, an image may have many tags.
public protocol ImageMetadataStore: Sendable {
    /// Insert or replace the record with `record.id`.
    func put(_ record: ImageRecord) throws(StackError)
    func get(_ id: Digest) throws(StackError) -> ImageRecord?
    /// All records, in no particular order.
    func list() throws(StackError) -> [ImageRecord]
    /// Remove the record and every tag pointing to it.
    func delete(_ id: Digest) throws(StackError)
    /// Point `reference` at `id` (moving it if it pointed elsewhere).
    func tag(_ reference: ImageReference, to id: Digest) throws(StackError)
    /// Remove `reference`; returns the image it pointed to, nil if it did not exist.
    @discardableResult
    func untag(_ reference: ImageReference) throws(StackError) -> Digest?
    /// The references pointing to `id`, sorted.
    func tags(for id: Digest) throws(StackError) -> [ImageReference]
    /// The image `reference` points to.
    func resolve(_ reference: ImageReference) throws(StackError) -> Digest?
}
