import StackCore

/// Writes a `Node` tree as indented JSON with keys in `NodeOrdering`, as `config --format json` prints.
public struct JSONEmitter: Sendable {
    public init() {}

    /// The JSON text of `node`, ending with a newline.
    public func emit(_ node: Node) -> String {
        var out = ""
        write(node, indent: 0, into: &out, topLevel: true)
        return out + "\n"
    }

    private func write(_ node: Node, indent: Int, into out: inout String, topLevel: Bool = false) {
        let pad = String(repeating: " ", count: indent + 2)
        switch node.kind {
        case .mapping(let entries):
            guard !entries.isEmpty else { out += "{}"; return }
            out += "{\n"
            let sorted = NodeOrdering.sortedEntries(entries, topLevel: topLevel)
            for (i, entry) in sorted.enumerated() {
                out += pad + Self.quote(entry.key) + ": "
                write(entry.value, indent: indent + 2, into: &out)
                out += i == sorted.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        case .sequence(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                write(item, indent: indent + 2, into: &out)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .scalar(let s):
            switch s {
            case .null: out += "null"
            case .bool(let b): out += b ? "true" : "false"
            case .int(let i): out += String(i)
            case .float(let d, _):
                if d.isFinite {
                    out += d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)"
                } else {
                    out += "null"
                }
            case .string(let str): out += Self.quote(str)
            }
        }
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String { QuotedString.quote(text, style: .json) }
}
