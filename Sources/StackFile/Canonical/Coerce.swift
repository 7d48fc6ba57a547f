import StackCore

/// Scalar coercions for typed fields, as Compose applies them after interpolation: `"3"` is
/// an integer where an integer is expected, `"true"` a boolean, `"1m30s"` a duration, `"512m"`
/// a byte size. Null stays null (the field is declared but empty); collections are errors.
enum Coerce {
    /// An integer field. Accepts integers, integral numbers and decimal integer strings.
    static func int(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null), .scalar(.int): return node
        case .scalar(.float(let value, _)) where value.isFinite && value.rounded() == value && abs(value) < 9e18:
            return node.replacing(.scalar(.int(Int(value))))
        case .scalar(.string(let text)):
            guard let value = Int(text) else {
                throw canonicalError("invalid integer \"\(text)\"", node, path)
            }
            return node.replacing(.scalar(.int(value)))
        default:
            throw canonicalError("must be an integer, not a \(node.kindName)", node, path)
        }
    }

    /// A boolean field. Strings are read as Compose reads them (`true`/`false`, and the YAML 1.1
    /// spellings `yes`/`no`/`on`/`off`/`y`/`n`, any case).
    static func bool(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null), .scalar(.bool): return node
        case .scalar(.string(let text)):
            switch text.lowercased() {
            case "true", "y", "yes", "on": return node.replacing(.scalar(.bool(true)))
            case "false", "n", "no", "off": return node.replacing(.scalar(.bool(false)))
            default: throw canonicalError("invalid boolean: \(text)", node, path)
            }
        default:
            throw canonicalError("must be a boolean, not a \(node.kindName)", node, path)
        }
    }

    /// A number field (`cpus`, `max_failure_ratio`): always a float, even when written as an
    /// integer or a string.
    static func float(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .scalar(.float(let value, _)): return node.replacing(.scalar(.float(value, text: formatFloat(value))))
        case .scalar(.int(let value)): return node.replacing(.scalar(.float(Double(value), text: String(value))))
        case .scalar(.string(let text)):
            guard let value = Double(text), value.isFinite else {
                throw canonicalError("invalid number \"\(text)\"", node, path)
            }
            return node.replacing(.scalar(.float(value, text: formatFloat(value))))
        default:
            throw canonicalError("must be a number, not a \(node.kindName)", node, path)
        }
    }

    /// A string field: numbers and booleans become their text (`8080` → `"8080"`).
    static func string(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null), .scalar(.string): return node
        case .scalar(let scalar): return node.replacing(string: scalar.text)
        default: throw canonicalError("must be a string, not a \(node.kindName)", node, path)
        }
    }

    /// A duration field, rendered as Go renders durations (`90s` → `1m30s`).
    static func duration(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .scalar(let scalar):
            let text = scalar.text
            guard let nanoseconds = GoDuration.parse(text, daysAndWeeks: true) else {
                throw canonicalError("invalid duration \"\(text)\"", node, path)
            }
            return node.replacing(string: GoDuration.format(nanoseconds))
        default:
            throw canonicalError("must be a duration string, not a \(node.kindName)", node, path)
        }
    }

    /// A byte-size field, as an integer number of bytes (`"512m"` → 536870912). Plain integer
    /// strings may be negative (`memswap_limit: "-1"`) unless `allowNegative` is false.
    static func bytes(_ node: Node, _ path: NodePath, allowNegative: Bool = true) throws(StackError) -> Node {
        let result: Node
        switch node.kind {
        case .scalar(.null): return node
        case .scalar(.int): result = node
        case .scalar(.float(let value, let text)):
            guard value.isFinite, value.rounded() == value, abs(value) < 9e18 else {
                throw canonicalError("byte size must be an integer, not \(text)", node, path)
            }
            result = node.replacing(.scalar(.int(Int(value))))
        case .scalar(.string(let text)):
            if let value = Int(text) {
                result = node.replacing(.scalar(.int(value)))
            } else if let value = ByteSize.parse(text) {
                result = node.replacing(.scalar(.int(Int(value))))
            } else {
                throw canonicalError("invalid byte size \"\(text)\"", node, path)
            }
        default:
            throw canonicalError("must be a byte size, not a \(node.kindName)", node, path)
        }
        if !allowNegative, case .scalar(.int(let value)) = result.kind, value < 0 {
            throw canonicalError("must be greater than or equal to 0", node, path)
        }
        return result
    }

    /// A file mode (`secrets[].mode`, `tmpfs.mode`): a string is read as octal digits
    /// (`"0440"` and `"440"` are both 288), an integer is taken as written.
    static func fileMode(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null), .scalar(.int): return node
        case .scalar(.string(let text)):
            var digits = Substring(text)
            if digits.hasPrefix("0o") || digits.hasPrefix("0O") { digits = digits.dropFirst(2) }
            guard let value = Int(digits, radix: 8), value >= 0 else {
                throw canonicalError("invalid file mode \"\(text)\": expected octal digits", node, path)
            }
            return node.replacing(.scalar(.int(value)))
        default:
            throw canonicalError("must be a file mode, not a \(node.kindName)", node, path)
        }
    }

    /// A string-or-list field (`dns`, `tmpfs`, `cache_from` …): a string becomes a one-item
    /// list; list items that are numbers or booleans become their text.
    static func stringList(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.null): return node
        case .scalar: return node.replacing(.sequence([try string(node, path)]))
        case .sequence: return try node.mapItems(path, string)
        case .mapping: throw canonicalError("must be a string or a list of strings, not a mapping", node, path)
        }
    }

    /// Go's shortest float rendering: `2` rather than `2.0`, `0.001` as written.
    static func formatFloat(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }
}
