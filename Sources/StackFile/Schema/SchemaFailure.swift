import StackCore

/// A validation failure before it becomes a `StackError`: what, where, and at which node.
struct SchemaFailure: Sendable {
    var message: String
    var mark: SourceMark
    var path: NodePath

    var error: StackError {
        StackError(.invalidStackFile, message, mark: mark, path: path.description)
    }

    /// How a path is named as the subject of a message: `services.web`, or `top-level object`.
    static func subject(_ path: NodePath) -> String {
        path.components.isEmpty ? "top-level object" : path.description
    }
}
