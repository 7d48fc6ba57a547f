import CYAML
import StackCore

/// Parses YAML text into `Node` trees with libyaml's event API.
///
/// Handles anchors and aliases (with an expansion budget against alias bombs), merge keys (`<<`),
/// Compose's `!reset` and `!override` tags, duplicate keys, a nesting depth limit, and
/// multi-document streams (one `Node` per document).
public struct YAMLParser: Sendable {
    /// Limits that keep hostile input bounded in time and memory.
    public struct Limits: Sendable {
        /// Maximum nesting of collections.
        public var maxDepth = 256
        /// Maximum number of nodes that aliases may add by expansion, in total.
        public var maxAliasExpansion = 1_000_000
        /// Maximum size of the input in bytes.
        public var maxBytes = 64 << 20
        public init() {}
    }

    public var limits: Limits

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Parses `text` (the content of `file`) into its documents.
    public func parse(_ text: String, file: String) throws(StackError) -> [Node] {
        var bytes = Array(text.utf8)
        return try parse(bytes: &bytes, file: file)
    }

    /// Parses raw bytes (not yet known to be UTF-8) into documents.
    public func parse(bytes: inout [UInt8], file: String) throws(StackError) -> [Node] {
        guard bytes.count <= limits.maxBytes else {
            throw StackError(
                .invalidStackFile, "file is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)",
                mark: .synthetic(file))
        }
        var state = ParseState(file: file, limits: limits)
        let result: Result<[Node], StackError> = bytes.withUnsafeMutableBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(StackError(.internalError, "libyaml: cannot initialize parser"))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            do throws(StackError) {
                return .success(try state.run(&parser))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// The mutable state of one parse: a stack of open collections and the anchor table.
private struct ParseState {
    let file: String
    let limits: YAMLParser.Limits

    /// An open collection. Frames are edited in place on the stack, so appending a child does
    /// not copy the collection built so far.
    private struct Frame {
        var isMapping: Bool
        var items: [Node] = []
        var entries: [Node.Entry] = []
        var merges: [Node] = []
        var pendingKey: Node.Entry?
        var mark: SourceMark
        var anchor: String?
        var tag: Node.Tag?
        /// The node count of the collection so far (itself included), for the alias budget.
        var size = 1
    }

    private var stack: [Frame] = []
    private var anchors: [String: (node: Node, size: Int)] = [:]
    private var openAnchors: Set<String> = []
    private var documents: [Node] = []
    private var expanded = 0

    init(file: String, limits: YAMLParser.Limits) {
        self.file = file
        self.limits = limits
    }

    private func mark(_ m: yaml_mark_t) -> SourceMark {
        SourceMark(file: file, line: Int(m.line) + 1, column: Int(m.column) + 1)
    }

    private func error(_ message: String, _ at: SourceMark) -> StackError {
        StackError(.invalidStackFile, message, mark: at)
    }

    mutating func run(_ parser: inout yaml_parser_t) throws(StackError) -> [Node] {
        var event = yaml_event_t()
        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                throw parserError(parser)
            }
            defer { yaml_event_delete(&event) }
            let at = mark(event.start_mark)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return documents
            case YAML_DOCUMENT_START_EVENT:
                anchors.removeAll()
            case YAML_SCALAR_EVENT:
                let s = event.data.scalar
                let text = string(s.value, Int(s.length))
                let tag = cString(s.tag)
                let quoted = s.style != YAML_PLAIN_SCALAR_STYLE
                let value: Scalar
                switch tag {
                case "tag:yaml.org,2002:str": value = .string(text)
                case "tag:yaml.org,2002:int":
                    guard let i = Scalar.parseInteger(text) else { throw error("!!int value \(text) is not an integer", at) }
                    value = .int(i)
                case "tag:yaml.org,2002:null": value = .null
                default: value = quoted ? .string(text) : Scalar.resolvePlain(text)
                }
                var node = Node(.scalar(value), mark: at, tag: try composeTag(tag, at), quoted: quoted)
                if node.tag == .reset, case .string("") = value, !quoted { node.kind = .scalar(.null) }
                try add(node, size: 1, anchor: cString(s.anchor), keyIsString: isStringKey(value, quoted: quoted))
            case YAML_ALIAS_EVENT:
                let name = cString(event.data.alias.anchor) ?? ""
                if openAnchors.contains(name) {
                    throw error("alias *\(name) refers to its own anchor: cycle detected", at)
                }
                guard let anchored = anchors[name] else { throw error("unknown anchor '\(name)' referenced", at) }
                expanded += anchored.size
                if expanded > limits.maxAliasExpansion {
                    throw error("excessive aliasing: aliases expand to more than \(limits.maxAliasExpansion) nodes", at)
                }
                var node = anchored.node
                node.mark = at
                try add(node, size: anchored.size, anchor: nil, keyIsString: true, isAlias: true)
            case YAML_SEQUENCE_START_EVENT:
                try checkDepth(at)
                let s = event.data.sequence_start
                let anchor = cString(s.anchor)
                if let anchor { openAnchors.insert(anchor) }
                stack.append(Frame(isMapping: false, mark: at, anchor: anchor, tag: try composeTag(cString(s.tag), at)))
            case YAML_MAPPING_START_EVENT:
                try checkDepth(at)
                let m = event.data.mapping_start
                let anchor = cString(m.anchor)
                if let anchor { openAnchors.insert(anchor) }
                stack.append(Frame(isMapping: true, mark: at, anchor: anchor, tag: try composeTag(cString(m.tag), at)))
            case YAML_SEQUENCE_END_EVENT:
                guard let frame = stack.popLast(), !frame.isMapping else {
                    throw error("unbalanced sequence end", at)
                }
                if let anchor = frame.anchor { openAnchors.remove(anchor) }
                try add(
                    Node(.sequence(frame.items), mark: frame.mark, tag: frame.tag), size: frame.size,
                    anchor: frame.anchor, keyIsString: false)
            case YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast(), frame.isMapping else {
                    throw error("unbalanced mapping end", at)
                }
                if let anchor = frame.anchor { openAnchors.remove(anchor) }
                let merged = try applyMerges(entries: frame.entries, merges: frame.merges)
                try add(
                    Node(.mapping(merged), mark: frame.mark, tag: frame.tag), size: frame.size,
                    anchor: frame.anchor, keyIsString: false)
            default:
                break
            }
        }
    }

    private func isStringKey(_ value: Scalar, quoted: Bool) -> Bool {
        if quoted { return true }
        if case .string = value { return true }
        return false
    }

    private func checkDepth(_ at: SourceMark) throws(StackError) {
        if stack.count >= limits.maxDepth {
            throw error("nesting deeper than \(limits.maxDepth) levels", at)
        }
    }

    private func composeTag(_ tag: String?, _ at: SourceMark) throws(StackError) -> Node.Tag? {
        switch tag {
        case "!reset": return .reset
        case "!override": return .override
        default: return nil
        }
    }

    /// Adds a finished node to the innermost open collection (or finishes a document).
    private mutating func add(
        _ node: Node, size: Int, anchor: String?, keyIsString: Bool, isAlias: Bool = false
    ) throws(StackError) {
        if let anchor { anchors[anchor] = (node, size) }
        let top = stack.count - 1
        guard top >= 0 else {
            documents.append(node)
            return
        }
        stack[top].size += size
        if !stack[top].isMapping {
            stack[top].items.append(node)
        } else if var pending = stack[top].pendingKey {
            stack[top].pendingKey = nil
            if pending.key == "<<" && pending.keyIsString && !pending.value.quoted {
                stack[top].merges.append(node)
            } else {
                pending.value = node
                stack[top].entries.append(pending)
            }
        } else {
            guard case .scalar(let scalar) = node.kind else {
                throw error("a mapping key must be a scalar, not a \(node.kindName)", node.mark)
            }
            let key = scalar.text
            let isMergeKey = key == "<<" && !node.quoted
            if !isMergeKey, let previous = stack[top].entries.first(where: { $0.key == key }) {
                throw error(
                    "mapping key \"\(key)\" already defined at line \(previous.keyMark.line)", node.mark)
            }
            // The key's `quoted` flag is smuggled through `value.quoted` until the value arrives.
            var placeholder = Node.null(node.mark)
            placeholder.quoted = node.quoted
            stack[top].pendingKey = Node.Entry(
                key: key, keyMark: node.mark, keyIsString: isAlias ? true : keyIsString, value: placeholder)
        }
    }

    /// YAML merge keys: explicit keys win, then earlier merge sources over later ones.
    private func applyMerges(entries: [Node.Entry], merges: [Node]) throws(StackError) -> [Node.Entry] {
        guard !merges.isEmpty else { return entries }
        var result = entries
        var seen = Set(entries.map(\.key))
        for source in merges {
            let maps: [Node]
            switch source.kind {
            case .mapping: maps = [source]
            case .sequence(let items): maps = items
            case .scalar: throw error("map merge requires map or sequence of maps as the value", source.mark)
            }
            for map in maps {
                guard let mapEntries = map.entries else {
                    throw error("map merge requires map or sequence of maps as the value", map.mark)
                }
                for entry in mapEntries where !seen.contains(entry.key) {
                    seen.insert(entry.key)
                    result.append(entry)
                }
            }
        }
        return result
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, _ length: Int) -> String {
        guard let pointer, length > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func cString(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let pointer else { return nil }
        return String(cString: pointer)
    }

    private func parserError(_ parser: yaml_parser_t) -> StackError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown YAML error"
        var message = problem
        if parser.error == YAML_READER_ERROR {
            message += " at byte offset \(parser.problem_offset)"
            return error(message, SourceMark(file: file, line: 1, column: 1))
        }
        if let context = parser.context.map({ String(cString: $0) }) {
            message = "\(problem) (\(context) at line \(parser.context_mark.line + 1))"
        }
        if problem.contains("cannot start any token") {
            message += "; tabs cannot be used for indentation"
        }
        return error(message, mark(parser.problem_mark))
    }
}
