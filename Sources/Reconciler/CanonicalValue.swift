/// A JSON-like value whose text form is canonical: object members sorted by key, no spaces,
/// numbers as Swift prints them. Two equal values always give the same text, whatever order
/// their members were added in, so the text is safe to hash.
public indirect enum CanonicalValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, as text (`42`, `-1`, `0.5`).
    case number(String)
    case string(String)
    case array([CanonicalValue])
    case object([String: CanonicalValue])

    /// The canonical JSON text.
    public var text: String {
        var out = ""
        write(to: &out)
        return out
    }

    /// The members of an object (empty for anything else).
    public var members: [String: CanonicalValue] {
        if case .object(let members) = self { return members }
        return [:]
    }

    /// True for null, `[]` and `{}`: values that mean "not set" in a service.
    public var isEmpty: Bool {
        switch self {
        case .null: return true
        case .array(let items): return items.isEmpty
        case .object(let members): return members.isEmpty
        default: return false
        }
    }

    /// This value with null and empty members removed from every object, at any depth, so
    /// "absent" and "empty" encode alike (a new model field at its default changes no hash).
    public func pruned() -> CanonicalValue {
        switch self {
        case .array(let items): return .array(items.map { $0.pruned() })
        case .object(let members):
            var kept: [String: CanonicalValue] = [:]
            for (key, value) in members {
                let pruned = value.pruned()
                if !pruned.isEmpty { kept[key] = pruned }
            }
            return .object(kept)
        default: return self
        }
    }

    private func write(to out: inout String) {
        switch self {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): Self.writeString(text, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let members):
            out += "{"
            // Sorted by UTF-8 bytes (String's `<` order), independent of insertion order.
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                Self.writeString(key, to: &out)
                out += ":"
                members[key]?.write(to: &out)
            }
            out += "}"
        }
    }

    private static func writeString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
