import StackCore

/// One finding of `SpecValidator`: an error that stops `create`, or a warning about something
/// the spec discourages but runc accepts.
public struct SpecProblem: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    /// The JSON path of the offending member, e.g. `process.capabilities.bounding[2]`.
    public var path: String
    public var message: String

    public init(_ severity: Severity, path: String, _ message: String) {
        self.severity = severity
        self.path = path
        self.message = message
    }

    /// `path: message`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// As a `StackError(.invalidArgument)` whose file is `file`.
    public func error(file: String) -> StackError {
        StackError(.invalidArgument, message, mark: .synthetic(file), path: path)
    }

    /// As a `StackWarning` whose file is `file`.
    public func warning(file: String) -> StackWarning {
        StackWarning(message, mark: .synthetic(file), path: path)
    }
}

/// Paths of members, rendered as messages show them.
enum SpecPath {
    static func member(_ base: String, _ name: String) -> String {
        base + JSONPath.render([JSONKey(stringValue: "x"), JSONKey(stringValue: name)]).dropFirst()
    }

    static func item(_ base: String, _ position: Int) -> String {
        "\(base)[\(position)]"
    }
}
