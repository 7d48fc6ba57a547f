/// Writes a `Node` tree as block-style YAML, quoting every string that a YAML 1.1 or 1.2 reader
/// could take for something else, with keys in `NodeOrdering`.
public struct YAMLEmitter: Sendable {
    public init() {}

    /// The YAML text of `node`, ending with a newline.
    public func emit(_ node: Node) -> String {
        var out = ""
        switch node.kind {
        case .mapping(let entries) where !entries.isEmpty:
            writeMapping(entries, indent: 0, into: &out, topLevel: true)
        case .sequence(let items) where !items.isEmpty:
            writeSequence(items, indent: 0, into: &out)
        default:
            out += inline(node) + "\n"
        }
        return out
    }

    private func writeMapping(_ entries: [Node.Entry], indent: Int, into out: inout String, topLevel: Bool = false) {
        let pad = String(repeating: " ", count: indent)
        for entry in NodeOrdering.sortedEntries(entries, topLevel: topLevel) {
            out += pad + Self.quoteIfNeeded(entry.key) + ":"
            writeValue(entry.value, indent: indent, into: &out)
        }
    }

    private func writeSequence(_ items: [Node], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item.kind {
            case .mapping(let entries) where !entries.isEmpty:
                // First key on the dash line, the rest aligned under it.
                var nested = ""
                writeMapping(entries, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .sequence(let inner) where !inner.isEmpty:
                out += pad + "-\n"
                writeSequence(inner, indent: indent + 2, into: &out)
            default:
                out += pad + "- " + inline(item) + "\n"
            }
        }
    }

    private func writeValue(_ value: Node, indent: Int, into out: inout String) {
        switch value.kind {
        case .mapping(let entries) where !entries.isEmpty:
            out += "\n"
            writeMapping(entries, indent: indent + 2, into: &out)
        case .sequence(let items) where !items.isEmpty:
            out += "\n"
            writeSequence(items, indent: indent + 2, into: &out)
        default:
            out += " " + inline(value) + "\n"
        }
    }

    private func inline(_ node: Node) -> String {
        switch node.kind {
        case .mapping: return "{}"
        case .sequence: return "[]"
        case .scalar(let s):
            switch s {
            case .null: return "null"
            case .bool(let b): return b ? "true" : "false"
            case .int(let i): return String(i)
            case .float(let d, let text):
                if d.isNaN { return ".nan" }
                if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
                return text
            case .string(let str): return Self.quoteIfNeeded(str)
            }
        }
    }

    /// `text` as a plain scalar when that reads back as the same string, else double-quoted.
    static func quoteIfNeeded(_ text: String) -> String {
        needsQuotes(text) ? doubleQuoted(text) : text
    }

    private static let reserved: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~", "<<", "=",
    ]

    static func needsQuotes(_ text: String) -> Bool {
        if text.isEmpty || reserved.contains(text) { return true }
        if case .string = Scalar.resolvePlain(text) {} else { return true }
        // Numbers in YAML 1.1 forms (octal 0755, 1_000, base-60 1:20, 8080:80) read back as numbers.
        let numberish = text.unicodeScalars.allSatisfy { "0123456789_:.+-eE".unicodeScalars.contains($0) }
        if numberish && text.filter({ $0 == "." }).count <= 1 && text.contains(where: \.isNumber) { return true }
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return true }
        if " \t".unicodeScalars.contains(first) || " \t".unicodeScalars.contains(last) { return true }
        if "-?:".unicodeScalars.contains(first) {
            // "-c" is a plain scalar; "-", "- x", "? x" and ": x" are indicators.
            let second = text.unicodeScalars.dropFirst().first
            if second == nil || second == " " || second == "\t" { return true }
        } else if ",[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            return true
        }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return true }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7f || scalar == "\u{FEFF}" || scalar == "\u{2028}" || scalar == "\u{2029}" { return true }
        }
        return false
    }

    static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7f {
                    out += "\\x" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
