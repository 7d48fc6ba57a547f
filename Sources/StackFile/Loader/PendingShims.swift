// TEMPORARY: stand-ins with the agreed signatures until the helper branches land. Deleted at merge.
import StackCore
import StackModel

public struct Project: Sendable { public var name: String }
public enum ProjectDecoder {
    public static func decode(_ root: Node, name: String, workingDirectory: String) throws(StackError) -> Project { Project(name: name) }
}
