import StackCore

/// Writes a `Node` tree as block-style YAML, quoting every string that a YAML 1.1 or 1.2 reader
/// could take for something else, with keys in `NodeOrdering`.
public struct YAMLEmitter: Sendable {
    public init() {}

    /// The YAML text of `node`, ending with a newline.
    public func emit(_ node: Node) -> String {
        // Built as UTF-8 bytes (appending to a byte array is much cheaper than to a String), and
        // turned into a String once.
        var out: [UInt8] = []
        out.reserveCapacity(1 << 16)
        switch node.kind {
        case .mapping(let entries) where !entries.isEmpty:
            writeMapping(entries, indent: 0, into: &out, topLevel: true)
        case .sequence(let items) where !items.isEmpty:
            writeSequence(items, indent: 0, into: &out)
        default:
            writeInline(node, into: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func pad(_ width: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width))
    }

    private func writeMapping(
        _ entries: [Node.Entry], indent: Int, into out: inout [UInt8], topLevel: Bool = false, firstInline: Bool = false
    ) {
        var first = firstInline
        for index in NodeOrdering.sortedIndices(entries, topLevel: topLevel) {
            if !first { pad(indent, into: &out) }
            first = false
            Self.writeText(entries[index].key, into: &out)
            out.append(UInt8(ascii: ":"))
            writeValue(entries[index].value, indent: indent, into: &out)
        }
    }

    private func writeSequence(_ items: [Node], indent: Int, into out: inout [UInt8]) {
        for index in items.indices {
            pad(indent, into: &out)
            switch items[index].kind {
            case .mapping(let entries) where !entries.isEmpty:
                // First key on the dash line, the rest aligned under it.
                out.append(UInt8(ascii: "-"))
                out.append(UInt8(ascii: " "))
                writeMapping(entries, indent: indent + 2, into: &out, firstInline: true)
            case .sequence(let inner) where !inner.isEmpty:
                out.append(UInt8(ascii: "-"))
                out.append(UInt8(ascii: "\n"))
                writeSequence(inner, indent: indent + 2, into: &out)
            default:
                out.append(UInt8(ascii: "-"))
                out.append(UInt8(ascii: " "))
                writeInline(items[index], into: &out)
                out.append(UInt8(ascii: "\n"))
            }
        }
    }

    private func writeValue(_ value: Node, indent: Int, into out: inout [UInt8]) {
        switch value.kind {
        case .mapping(let entries) where !entries.isEmpty:
            out.append(UInt8(ascii: "\n"))
            writeMapping(entries, indent: indent + 2, into: &out)
        case .sequence(let items) where !items.isEmpty:
            out.append(UInt8(ascii: "\n"))
            writeSequence(items, indent: indent + 2, into: &out)
        default:
            out.append(UInt8(ascii: " "))
            writeInline(value, into: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }

    private func writeInline(_ node: Node, into out: inout [UInt8]) {
        switch node.kind {
        case .mapping: out.append(contentsOf: "{}".utf8)
        case .sequence: out.append(contentsOf: "[]".utf8)
        case .scalar(let s):
            switch s {
            case .null: out.append(contentsOf: "null".utf8)
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .int(let i): out.append(contentsOf: String(i).utf8)
            case .float(let d, let text):
                if d.isNaN { out.append(contentsOf: ".nan".utf8) }
                else if d.isInfinite { out.append(contentsOf: (d < 0 ? "-.inf" : ".inf").utf8) }
                else { out.append(contentsOf: text.utf8) }
            case .string(let str): Self.writeText(str, into: &out)
            }
        }
    }

    /// Appends `text`, quoted if needed.
    private static func writeText(_ text: String, into out: inout [UInt8]) {
        if needsQuotes(text) {
            out.append(contentsOf: doubleQuoted(text).utf8)
        } else {
            out.append(contentsOf: text.utf8)
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
        // Every reserved word is at most 5 bytes long.
        if bytes.count <= 5, reserved.contains(text) { return true }
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
        var numberish = true, dots = 0, digits = 0, ascii = true
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
            if byte >= 0x80 { ascii = false }
            previous = byte
        }
        if numberish && digits > 0 && dots <= 1 { return true }
        // Unicode line and byte-order characters.
        if !ascii, text.unicodeScalars.contains(where: { $0 == "\u{FEFF}" || $0 == "\u{2028}" || $0 == "\u{2029}" || $0 == "\u{85}" }) {
            return true
        }
        return false
    }

    static func doubleQuoted(_ text: String) -> String { QuotedString.quote(text, style: .yaml) }
}
