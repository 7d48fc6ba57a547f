import StackCore

/// Writes JSON text from a `JSONValue`: compact, or pretty with the given indentation
/// (`runc spec` writes tabs). Non-ASCII text is written as UTF-8; control characters are escaped.
public enum JSONWriter {
    public static func write(_ value: JSONValue, indent: String? = nil) -> String {
        var output = ""
        write(value, indent: indent, level: 0, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, indent: String?, level: Int, into output: inout String) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): writeString(text, into: &output)
        case .array(let items):
            if items.isEmpty {
                output += "[]"
                return
            }
            output += "["
            for (position, item) in items.enumerated() {
                if position > 0 { output += "," }
                newline(indent, level + 1, &output)
                write(item, indent: indent, level: level + 1, into: &output)
            }
            newline(indent, level, &output)
            output += "]"
        case .object(let members):
            if members.isEmpty {
                output += "{}"
                return
            }
            output += "{"
            for (position, member) in members.enumerated() {
                if position > 0 { output += "," }
                newline(indent, level + 1, &output)
                writeString(member.key, into: &output)
                output += indent == nil ? ":" : ": "
                write(member.value, indent: indent, level: level + 1, into: &output)
            }
            newline(indent, level, &output)
            output += "}"
        }
    }

    private static func newline(_ indent: String?, _ level: Int, _ output: inout String) {
        guard let indent else { return }
        output += "\n"
        for _ in 0..<level { output += indent }
    }

    private static func writeString(_ text: String, into output: inout String) {
        output += "\""
        QuotedString.append(text, style: .json, to: &output)
        output += "\""
    }
}
