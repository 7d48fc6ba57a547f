import StackCore

/// A node of a stack file: a scalar, a sequence or a mapping, with the position it came from.
///
/// Every stage of the loader (interpolation, merge, canonicalization, validation) works on this
/// tree, so an error found anywhere can name `file:line:column`.
public struct Node: Sendable, Hashable {
    /// The content of a node. Collections already live behind their arrays, so `Kind` is stored
    /// inline: building or copying a node allocates nothing.
    public enum Kind: Sendable, Hashable {
        case scalar(Scalar)
        case sequence([Node])
        case mapping([Entry])
    }

    /// One key/value pair of a mapping, in document order.
    public struct Entry: Sendable, Hashable {
        public var key: String
        /// Where the key was written.
        public var keyMark: SourceMark
        /// False when the key was a plain scalar that YAML resolves to a non-string (`123: x`).
        public var keyIsString: Bool
        public var value: Node

        public init(key: String, keyMark: SourceMark, keyIsString: Bool = true, value: Node) {
            self.key = key
            self.keyMark = keyMark
            self.keyIsString = keyIsString
            self.value = value
        }
    }

    /// Compose's merge tags: `!reset` removes an inherited value, `!override` replaces it whole.
    public enum Tag: Sendable, Hashable {
        case reset
        case override
    }

    public var kind: Kind
    public var mark: SourceMark
    public var tag: Tag?
    /// True for a scalar written in quotes (or a block scalar): never re-typed.
    public var quoted: Bool

    public init(_ kind: Kind, mark: SourceMark, tag: Tag? = nil, quoted: Bool = false) {
        self.kind = kind
        self.mark = mark
        self.tag = tag
        self.quoted = quoted
    }

    // MARK: Construction helpers

    public static func string(_ s: String, _ mark: SourceMark) -> Node { Node(.scalar(.string(s)), mark: mark) }
    public static func int(_ i: Int, _ mark: SourceMark) -> Node { Node(.scalar(.int(i)), mark: mark) }
    public static func bool(_ b: Bool, _ mark: SourceMark) -> Node { Node(.scalar(.bool(b)), mark: mark) }
    public static func null(_ mark: SourceMark) -> Node { Node(.scalar(.null), mark: mark) }
    public static func mapping(_ entries: [Entry], _ mark: SourceMark) -> Node { Node(.mapping(entries), mark: mark) }
    public static func sequence(_ items: [Node], _ mark: SourceMark) -> Node { Node(.sequence(items), mark: mark) }

    // MARK: Accessors

    public var scalar: Scalar? { if case .scalar(let s) = kind { return s } else { return nil } }
    public var entries: [Entry]? { if case .mapping(let e) = kind { return e } else { return nil } }
    public var items: [Node]? { if case .sequence(let i) = kind { return i } else { return nil } }
    public var isNull: Bool { if case .scalar(.null) = kind { return true } else { return false } }
    public var isMapping: Bool { entries != nil }
    public var isSequence: Bool { items != nil }

    /// The string value of a string scalar; nil for other kinds.
    public var string: String? { if case .scalar(.string(let s)) = kind { return s } else { return nil } }

    /// The text of any scalar (numbers and booleans as written); nil for collections.
    public var scalarText: String? { scalar?.text }

    /// The value for `key` in a mapping, or nil.
    public subscript(key: String) -> Node? {
        get {
            guard let entries else { return nil }
            return entries.first(where: { $0.key == key })?.value
        }
        set {
            guard isMapping else { return }
            withEntries { list in
                if let index = list.firstIndex(where: { $0.key == key }) {
                    if let newValue { list[index].value = newValue } else { list.remove(at: index) }
                } else if let newValue {
                    list.append(Entry(key: key, keyMark: newValue.mark, value: newValue))
                }
            }
        }
    }

    /// Runs `body` on the entries of a mapping in place (no copy of the array when this node holds
    /// the only reference). Other kinds are left alone and `body` is not called.
    @inlinable
    public mutating func withEntries<E: Error>(_ body: (inout [Entry]) throws(E) -> Void) throws(E) {
        guard case .mapping(var list) = kind else { return }
        kind = .scalar(.null)
        defer { kind = .mapping(list) }
        try body(&list)
    }

    /// Runs `body` on the items of a sequence in place (other kinds are left alone).
    @inlinable
    public mutating func withItems<E: Error>(_ body: (inout [Node]) throws(E) -> Void) throws(E) {
        guard case .sequence(var list) = kind else { return }
        kind = .scalar(.null)
        defer { kind = .sequence(list) }
        try body(&list)
    }

    /// The entry for `key` in a mapping (with its key's position), or nil.
    public func entry(_ key: String) -> Entry? { entries?.first(where: { $0.key == key }) }

    /// A name for the kind of node, for error messages ("mapping", "sequence", "string" …).
    public var kindName: String {
        switch kind {
        case .scalar(let s): return s.kindName
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        }
    }
}
