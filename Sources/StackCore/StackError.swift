/// The one error currency of the project: a code, a message, where it happened, and what caused it.
///
/// Render with `description`: `file:line:column: path: message`.
public struct StackError: Error, Sendable, CustomStringConvertible {
    /// Broad classes of failure; the command-line exit status derives from them.
    public enum Code: String, Sendable {
        /// A stack file (or an env file it uses) is invalid: exit status 2.
        case invalidStackFile
        /// A command-line argument is invalid: exit status 2.
        case invalidArgument
        /// Something named does not exist.
        case notFound
        /// The request is valid but the engine cannot do it (yet).
        case unsupported
        /// The request conflicts with the state of the object (a name in use, a running container).
        case conflict
        /// Nothing to do: the object is already in the requested state.
        case notModified
        /// A system call or file operation failed.
        case system
        /// A bug: an invariant did not hold.
        case internalError
    }

    public var code: Code
    public var message: String
    /// Where in a stack file the problem is, when it comes from one.
    public var mark: SourceMark?
    /// The dotted path of the offending node, e.g. `services.web.ports[1]`.
    public var path: String?
    /// The underlying error, when this one wraps another.
    public var cause: (any Error & Sendable)?

    public init(
        _ code: Code, _ message: String, mark: SourceMark? = nil, path: String? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.mark = mark
        self.path = path
        self.cause = cause
    }

    /// Exit status for the command line: 2 for usage and stack-file errors, 1 otherwise.
    public var exitStatus: Int32 {
        switch code {
        case .invalidStackFile, .invalidArgument: return 2
        default: return 1
        }
    }

    public var description: String {
        var text = ""
        if let mark, !mark.isSynthetic { text += "\(mark): " } else if let mark { text += "\(mark.file): " }
        // Messages that already start with their path ("services.web.image must be …") don't repeat it.
        if let path, !path.isEmpty, !message.hasPrefix(path) { text += "\(path): " }
        text += message
        if let cause { text += ": \(cause)" }
        return text
    }
}
