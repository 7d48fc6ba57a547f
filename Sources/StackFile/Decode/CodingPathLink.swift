/// One key of a coding path, linked to its parent: children share their parent's chain instead
/// of copying an array, and the array is built only when someone asks (errors, mostly).
final class CodingPathLink {
    let key: any CodingKey
    let parent: CodingPathLink?

    init(key: any CodingKey, parent: CodingPathLink?) {
        self.key = key
        self.parent = parent
    }
}

/// The coding path of one value: its parent's chain plus its own key (nil at the root).
struct LazyCodingPath {
    let parent: CodingPathLink?
    let key: (any CodingKey)?

    static var root: LazyCodingPath { LazyCodingPath(parent: nil, key: nil) }

    init(parent: CodingPathLink?, key: (any CodingKey)?) {
        self.parent = parent
        self.key = key
    }

    /// The chain that ends with this value's key, for the containers it opens.
    func link() -> CodingPathLink? {
        guard let key else { return parent }
        return CodingPathLink(key: key, parent: parent)
    }

    /// The path of the child `key` of a container whose chain is `link`.
    static func child(of link: CodingPathLink?, _ key: any CodingKey) -> LazyCodingPath {
        LazyCodingPath(parent: link, key: key)
    }

    /// The keys from the root down to this value.
    var keys: [any CodingKey] {
        var list = LazyCodingPath.keys(of: parent)
        if let key { list.append(key) }
        return list
    }

    /// The keys of a chain, root first.
    static func keys(of link: CodingPathLink?) -> [any CodingKey] {
        var list: [any CodingKey] = []
        var current = link
        while let node = current {
            list.append(node.key)
            current = node.parent
        }
        list.reverse()
        return list
    }
}
