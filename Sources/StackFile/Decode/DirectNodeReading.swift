import StackCore

/// Reads model values straight from nodes, with the same lenient conversions as
/// `NodeSingleValueContainer` and `NodeValueDecoder`, for the direct (non-`Codable`) decoding of
/// services.
///
/// Every reader returns nil when the node is not in a shape it handles, including every shape
/// the `Codable` path would reject; the caller then decodes with `Codable`, which produces the
/// result or the exact error. Readers of optional values return `.some(nil)` for null.
enum DirectNodeReading {
    /// The text of a non-null scalar (`decode(String.self)`).
    static func text(_ node: Node) -> String? {
        switch node.kind {
        case .scalar(.null): return nil
        case .scalar(let scalar): return scalar.text
        default: return nil
        }
    }

    /// `decodeIfPresent(String.self)`: null is `.some(nil)`.
    static func optionalText(_ node: Node) -> String?? {
        if node.isNull { return .some(nil) }
        return text(node).map { .some($0) }
    }

    /// A boolean: a YAML boolean, or the strings `true`/`false` in three spellings.
    static func bool(_ node: Node) -> Bool? {
        switch node.kind {
        case .scalar(.bool(let value)): return value
        case .scalar(.string(let text)):
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: return nil
            }
        default: return nil
        }
    }

    /// `value(key, or: fallback)` for a boolean: null reads as `fallback`.
    static func bool(_ node: Node, or fallback: Bool) -> Bool? {
        node.isNull ? fallback : bool(node)
    }

    /// `decodeIfPresent(Bool.self)`.
    static func optionalBool(_ node: Node) -> Bool?? {
        if node.isNull { return .some(nil) }
        return bool(node).map { .some($0) }
    }

    /// An integer from an integer scalar, an integral float or a string that parses; range-checked.
    static func integer<T: FixedWidthInteger>(_ node: Node, as type: T.Type = T.self) -> T? {
        let value: Int?
        switch node.kind {
        case .scalar(.int(let int)): value = int
        case .scalar(.float(let double, _)): value = double.rounded() == double ? Int(exactly: double) : nil
        case .scalar(.string(let text)): value = Scalar.parseInteger(text.trimmingSpaces())
        default: value = nil
        }
        return value.flatMap { T(exactly: $0) }
    }

    /// `decodeIfPresent` for an integer.
    static func optionalInteger<T: FixedWidthInteger>(_ node: Node, as type: T.Type = T.self) -> T?? {
        if node.isNull { return .some(nil) }
        return integer(node, as: T.self).map { .some($0) }
    }

    /// `decodeIfPresent(Double.self)`.
    static func optionalDouble(_ node: Node) -> Double?? {
        switch node.kind {
        case .scalar(.null): return .some(nil)
        case .scalar(.int(let value)): return .some(Double(value))
        case .scalar(.float(let value, _)): return .some(value)
        case .scalar(.string(let text)): return Double(text.trimmingSpaces()).map { .some($0) }
        default: return nil
        }
    }

    /// `byteSize(key)`: an integer number of bytes, or a string with a unit such as `"512m"`.
    static func byteSize(_ node: Node) -> Int64?? {
        if node.isNull { return .some(nil) }
        if let bytes = integer(node, as: Int64.self) { return .some(bytes) }
        return text(node).flatMap { ByteSize.parse($0) }.map { .some($0) }
    }

    /// `duration(key)`: a Go duration string such as `"1m30s"`.
    static func duration(_ node: Node) -> Duration?? {
        if node.isNull { return .some(nil) }
        return text(node).flatMap { GoDuration.parse($0) }.map { .some(.nanoseconds($0)) }
    }

    /// A `StackFileEnum` value from its string (`decode(E.self)`); null is not one.
    static func enumValue<E: RawRepresentable>(_ node: Node, as type: E.Type = E.self) -> E? where E.RawValue == String {
        text(node).flatMap(E.init(rawValue:))
    }

    /// `value(key, or: fallback)` for an enum: null reads as `fallback`.
    static func enumValue<E: RawRepresentable>(_ node: Node, or fallback: E) -> E? where E.RawValue == String {
        node.isNull ? fallback : enumValue(node, as: E.self)
    }

    /// `decodeIfPresent` for an enum.
    static func optionalEnum<E: RawRepresentable>(_ node: Node, as type: E.Type = E.self) -> E?? where E.RawValue == String {
        if node.isNull { return .some(nil) }
        return enumValue(node, as: E.self).map { .some($0) }
    }

    /// A sequence of non-null scalars as strings.
    static func stringList(_ node: Node) -> [String]? {
        guard case .sequence(let items) = node.kind else { return nil }
        var list: [String] = []
        list.reserveCapacity(items.count)
        for index in items.indices {
            guard let text = text(items[index]) else { return nil }
            list.append(text)
        }
        return list
    }

    /// `value(key, or: [])` for a string list: null reads as empty.
    static func stringList(orEmpty node: Node) -> [String]? {
        node.isNull ? [] : stringList(node)
    }

    /// `decodeIfPresent([String].self)`.
    static func optionalStringList(_ node: Node) -> [String]?? {
        if node.isNull { return .some(nil) }
        return stringList(node).map { .some($0) }
    }

    /// `value(key, or: [:])` for `[String: String?]`: null values stay nil; a null node is empty.
    static func optionalStringMap(_ node: Node) -> [String: String?]? {
        let entries: [Node.Entry]
        switch node.kind {
        case .mapping(let list): entries = list
        case .scalar(.null): return [:]
        default: return nil
        }
        var map: [String: String?] = [:]
        map.reserveCapacity(entries.count)
        for index in entries.indices {
            switch entries[index].value.kind {
            case .scalar(.null): map[entries[index].key] = .some(nil)
            case .scalar(let scalar): map[entries[index].key] = scalar.text
            default: return nil
            }
        }
        return map
    }

    /// `stringMap(key)`: like `optionalStringMap`, with null values read as empty strings.
    static func stringMap(_ node: Node) -> [String: String]? {
        let entries: [Node.Entry]
        switch node.kind {
        case .mapping(let list): entries = list
        case .scalar(.null): return [:]
        default: return nil
        }
        var map: [String: String] = [:]
        map.reserveCapacity(entries.count)
        for index in entries.indices {
            switch entries[index].value.kind {
            case .scalar(.null): map[entries[index].key] = ""
            case .scalar(let scalar): map[entries[index].key] = scalar.text
            default: return nil
            }
        }
        return map
    }

    /// True when two entries share a key: `Codable` dictionaries then read the first value for
    /// each copy, which the direct readers leave to the `Codable` path.
    static func hasDuplicateKeys(_ entries: [Node.Entry]) -> Bool {
        guard entries.count > 1 else { return false }
        var seen = Set<String>(minimumCapacity: entries.count)
        for index in entries.indices where !seen.insert(entries[index].key).inserted { return true }
        return false
    }
}
