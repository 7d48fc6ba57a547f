/// A path into the node tree, rendered as Compose does: `services.web.ports[1]`.
public struct NodePath: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    public static let root = NodePath()

    public func appending(_ key: String) -> NodePath { NodePath(components + [.key(key)]) }
    public func appending(_ index: Int) -> NodePath { NodePath(components + [.index(index)]) }
    public static func / (lhs: NodePath, rhs: String) -> NodePath { lhs.appending(rhs) }
    public static func / (lhs: NodePath, rhs: Int) -> NodePath { lhs.appending(rhs) }

    /// The last key component, if any.
    public var lastKey: String? {
        for component in components.reversed() { if case .key(let k) = component { return k } }
        return nil
    }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let k):
                if !text.isEmpty { text += "." }
                text += k
            case .index(let i):
                text += "[\(i)]"
            }
        }
        return text
    }
}
