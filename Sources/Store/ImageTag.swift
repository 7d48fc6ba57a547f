/// A reference (`busybox:latest`) and the image it names.
public struct ImageTag: Sendable, Equatable, Hashable {
    public var reference: String
    public var imageID: String

    /// Creates a tag.
    public init(reference: String, imageID: String) {
        self.reference = reference
        self.imageID = imageID
    }
}
