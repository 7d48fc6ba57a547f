/// How a node satisfies a schema's `type`.
///
/// Validation runs on the interpolated tree, where `${REPLICAS}` is the string "3": a string
/// scalar satisfies `integer`, `number` or `boolean` when it parses as one (`coerced`). An integral
/// float (`2.0`) also satisfies `integer`.
enum SchemaTypeMatch: Int, Comparable {
    /// The node's kind is not among the types, and no conversion applies.
    case none = 0
    /// Not a match, but close: a non-integral number where an integer is expected.
    case near = 1
    /// A match through conversion (a numeric or boolean string).
    case coerced = 2
    /// The node's own kind is one of the types.
    case exact = 3

    static func < (lhs: SchemaTypeMatch, rhs: SchemaTypeMatch) -> Bool { lhs.rawValue < rhs.rawValue }

    var accepts: Bool { self >= .coerced }

    /// How `node` matches `types`.
    static func of(_ node: Node, _ types: SchemaTypes) -> SchemaTypeMatch {
        switch node.kind {
        case .mapping: return types.contains(.object) ? .exact : .none
        case .sequence: return types.contains(.array) ? .exact : .none
        case .scalar(let scalar):
            switch scalar {
            case .null: return types.contains(.null) ? .exact : .none
            case .bool: return types.contains(.boolean) ? .exact : .none
            case .int: return types.contains(.integer) || types.contains(.number) ? .exact : .none
            case .float(let value, _):
                if types.contains(.number) { return .exact }
                if types.contains(.integer) {
                    return value.isFinite && value.rounded() == value ? .coerced : .near
                }
                return .none
            case .string(let text):
                if types.contains(.string) { return .exact }
                if types.contains(.integer), Scalar.parseInteger(text) != nil { return .coerced }
                if types.contains(.number), numericValue(ofString: text) != nil { return .coerced }
                if types.contains(.boolean), booleanValue(ofString: text) != nil { return .coerced }
                return .none
            }
        }
    }

    /// The number a scalar stands for: numbers themselves, or a string that parses as one.
    static func numericValue(of node: Node) -> Double? {
        switch node.scalar {
        case .int(let value)?: return Double(value)
        case .float(let value, _)?: return value
        case .string(let text)?: return numericValue(ofString: text)
        default: return nil
        }
    }

    /// A decimal, octal (`0o`) or hex (`0x`) integer, or a finite decimal float (`0.5`, `1e3`).
    static func numericValue(ofString text: String) -> Double? {
        if let integer = Scalar.parseInteger(text) { return Double(integer) }
        guard let first = text.utf8.first,
              (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")) || first == UInt8(ascii: "-")
                || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
        else { return nil }
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    /// The booleans Compose accepts in strings: true/false, yes/no, y/n, on/off (any case).
    static func booleanValue(ofString text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "y", "on": return true
        case "false", "no", "n", "off": return false
        default: return nil
        }
    }
}
