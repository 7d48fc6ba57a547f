import StackCore
import Synchronization

/// An `ImageMetadataStore` in memory, for tests.
public final class InMemoryImageMetadataStore: ImageMetadataStore {
    private struct State {
        var records: [Digest: ImageRecord] = [:]
        var tags: [String: (ImageReference, Digest)] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public func put(_ record: ImageRecord) throws(StackError) {
        state.withLock { $0.records[record.id] = record }
    }

    public func get(_ id: Digest) throws(StackError) -> ImageRecord? {
        state.withLock { $0.records[id] }
    }

    public func list() throws(StackError) -> [ImageRecord] {
        state.withLock { Array($0.records.values) }
    }

    public func delete(_ id: Digest) throws(StackError) {
        state.withLock { state in
            state.records[id] = nil
            state.tags = state.tags.filter { $0.value.1 != id }
        }
    }

    public func tag(_ reference: ImageReference, to id: Digest) throws(StackError) {
        let known = state.withLock { state -> Bool in
            guard state.records[id] != nil else { return false }
            state.tags[reference.description] = (reference, id)
            return true
        }
        if !known { throw StackError(.notFound, "no such image: \(id)") }
    }

    public func untag(_ reference: ImageReference) throws(StackError) -> Digest? {
        state.withLock { $0.tags.removeValue(forKey: reference.description)?.1 }
    }

    public func tags(for id: Digest) throws(StackError) -> [ImageReference] {
        state.withLock { state in
            state.tags.values.filter { $0.1 == id }.map(\.0).sorted { $0.description < $1.description }
        }
    }

    public func resolve(_ reference: ImageReference) throws(StackError) -> Digest? {
        state.withLock { $0.tags[reference.description]?.1 }
    }
}
