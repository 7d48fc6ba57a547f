// TEMPORARY: stand-ins with the agreed signatures until the helper branches land. Deleted at merge.
import StackCore
import StackModel

public struct Interpolator: Sendable {
    public init(variables: [String: String]) {}
    public func interpolate(_ node: Node, path: NodePath, warnings: inout [StackWarning]) throws(StackError) -> Node { node }
}
public enum DotEnv {
    public static func parse(_ text: String, file: String, lookup: (String) -> String?) throws(StackError) -> [(key: String, value: String?)] { [] }
    public static func parseRaw(_ text: String, file: String) throws(StackError) -> [(key: String, value: String?)] { [] }
}
public struct SchemaValidator: Sendable {
    public static let stackFile = SchemaValidator()
    public func validate(_ root: Node, warnings: inout [StackWarning]) throws(StackError) {}
}
public struct Canonicalizer: Sendable {
    public init() {}
    public func canonicalize(_ root: Node) throws(StackError) -> Node { root }
}
public struct Project: Sendable { public var name: String }
public enum ProjectDecoder {
    public static func decode(_ root: Node, name: String, workingDirectory: String) throws(StackError) -> Project { Project(name: name) }
}
