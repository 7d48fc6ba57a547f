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

    /// Spaces for each indentation level, built once per emit.
    private struct Pads {
        private var cache: [String] = [""]
        mutating func callAsFunction(_ width: Int) -> String {
            while cache.count <= width { cache.append(String(repeating: " ", count: cache.count)) }
            return cache[width]
        }
    }

    private func writeMapping(
        _ entries: [Node.Entry], indent: Int, into out: inout String, topLevel: Bool = false, firstInline: Bool = false
    ) {
        var pads = Pads()
        writeMapping(entries, indent: indent, into: &out, pads: &pads, topLevel: topLevel, firstInline: firstInline)
    }

    private func writeMapping(
        _ entries: [Node.Entry], indent: Int, into out: inout String, pads: inout Pads, topLevel: Bool = false,
        firstInline: Bool = false
    ) {
        var first = firstInline
        for entry in NodeOrdering.sortedEntries(entries, topLevel: topLevel) {
            if !first { out += pads(indent) }
            first = false
            out += Self.quoteIfNeeded(entry.key)
            out += ":"
            writeValue(entry.value, indent: indent, into: &out, pads: &pads)
        }
    }

    private func writeSequence(_ items: [Node], indent: Int, into out: inout String) {
        var pads = Pads()
        writeSequence(items, indent: indent, into: &out, pads: &pads)
    }

    private func writeSequence(_ items: [Node], indent: Int, into out: inout String, pads: inout Pads) {
        for item in items {
            out += pads(indent)
            switch item.kind {
            case .mapping(let entries) where !entries.isEmpty:
                // First key on the dash line, the rest aligned under it.
                out += "- "
                writeMapping(entries, indent: indent + 2, into: &out, pads: &pads, firstInline: true)
            case .sequence(let inner) where !inner.isEmpty:
                out += "-\n"
                writeSequence(inner, indent: indent + 2, into: &out, pads: &pads)
            default:
                out += "- "
                out += inline(item)
                out += "\n"
            }
        }
    }

    private func writeValue(_ value: Node, indent: Int, into out: inout String, pads: inout Pads) {
        switch value.kind {
        case .mapping(let entries) where !entries.isEmpty:
            out += "\n"
            writeMapping(entries, indent: indent + 2, into: &out, pads: &pads)
        case .sequence(let items) where !items.isEmpty:
            out += "\n"
            writeSequence(items, indent: indent + 2, into: &out, pads: &pads)
        default:
            out += " "
            out += inline(value)
            out += "\n"
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
        let bytes = text.utf8
        guard let first = bytes.first, let last = bytes.last else { return true }
        if reserved.contains(text) { return true }
        if case .string = Scalar.resolvePlain(text) {} else { return true }
        // Indicators that cannot start a plain scalar.
        switch first {
        case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
            UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
            UInt8(ascii: "`"), UInt8(ascii: " "), UInt8(ascii: "\t"):
            return true
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            // "-c" is a plain scalar; "-", "- x", "? x" and ": x" are indicators.
            if bytes.count == 1 { return true }
            let second = bytes[bytes.index(after: bytes.startIndex)]
            if second == UInt8(ascii: " ") || second == UInt8(ascii: "\t") { return true }
        default:
            break
        }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: ":") { return true }
        // Numbers in YAML 1.1 forms (1_000, base-60 1:20, 8080:80) read back as numbers by some readers.
        var numberish = true, dots = 0, digits = 0
        var previous: UInt8 = 0
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "e"),
                UInt8(ascii: "E"):
                break
            default: numberish = false
            }
            // ": " and " #" end a plain scalar early.
            if previous == UInt8(ascii: ":") && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) { return true }
            if byte == UInt8(ascii: "#") && (previous == UInt8(ascii: " ") || previous == UInt8(ascii: "\t")) { return true }
            if byte < 0x20 || byte == 0x7f { return true }
            previous = byte
        }
        if numberish && digits > 0 && dots <= 1 { return true }
        // Unicode line and byte-order characters.
        if text.unicodeScalars.contains(where: { $0 == "\u{FEFF}" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }) {
            return true
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
