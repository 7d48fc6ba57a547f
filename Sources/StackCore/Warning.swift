/// A non-fatal finding of the loader (an unsupported key, an obsolete field), with its position.
public struct StackWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var mark: SourceMark?
    public var path: String?

    public init(_ message: String, mark: SourceMark? = nil, path: String? = nil) {
        self.message = message
        self.mark = mark
        self.path = path
    }

    public var description: String {
        var text = ""
        if let mark { text += "\(mark): " }
        if let path, !path.isEmpty, message.firstRange(of: path) == nil { text += "\(path): " }
        return text + message
    }
}
