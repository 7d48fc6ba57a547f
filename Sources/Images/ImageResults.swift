/// An image `load` brought in.
public struct LoadedImage: Sendable, Hashable {
    public var id: Digest
    /// The tags it was loaded with (possibly none).
    public var tags: [ImageReference]

    public init(id: Digest, tags: [ImageReference]) {
        self.id = id
        self.tags = tags
    }
}

/// One line of `rm`'s answer, as `docker rmi` prints them.
public enum ImageRemoval: Sendable, Hashable, CustomStringConvertible {
    /// A tag removed (familiar form, `busybox:latest`).
    case untagged(String)
    /// An image or layer deleted.
    case deleted(Digest)

    /// `Untagged: busybox:latest` / `Deleted: sha256:…`.
    public var description: String {
        switch self {
        case .untagged(let reference): return "Untagged: " + reference
        case .deleted(let digest): return "Deleted: " + digest.description
        }
    }
}

/// Where an import or load reads from.
public enum ImageSource: Sendable, Hashable {
    /// A file or (for load) a directory; `-` is standard input.
    case path(String)
    /// An open descriptor, read to its end (not closed).
    case fileDescriptor(Int32)
}
