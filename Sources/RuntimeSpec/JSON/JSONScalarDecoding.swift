/// Conversions from JSON values to Swift scalars, with messages that say what was expected and found.
enum JSONScalarDecoding {
    static func string(_ value: JSONValue, _ path: [any CodingKey]) throws(JSONDecodingFailure) -> String {
        guard case .string(let text) = value else { throw mismatch("a string", value, path) }
        return text
    }

    static func bool(_ value: JSONValue, _ path: [any CodingKey]) throws(JSONDecodingFailure) -> Bool {
        guard case .bool(let flag) = value else { throw mismatch("a boolean", value, path) }
        return flag
    }

    static func floating<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]
    ) throws(JSONDecodingFailure) -> T {
        guard case .number(let text) = value, let number = T(text) else { throw mismatch("a number", value, path) }
        return number
    }

    /// Integers convert exactly from their text: no fractions, no exponents, no wrap-around.
    static func integer<T: FixedWidthInteger>(
        _ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]
    ) throws(JSONDecodingFailure) -> T {
        let expected = integerDescription(type)
        guard case .number(let text) = value else { throw mismatch(expected, value, path) }
        var utf8 = Substring(text).utf8[...]
        let negative = utf8.first == UInt8(ascii: "-")
        if negative { utf8 = utf8.dropFirst() }
        var magnitude: UInt64 = 0
        var overflow = false
        for byte in utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw JSONDecodingFailure(path, "expected \(expected), found the number \(text)")
            }
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            overflow = overflow || o1 || o2
            magnitude = sum
        }
        var result: T?
        if !overflow {
            if !negative {
                result = T(exactly: magnitude)
            } else if magnitude <= UInt64(Int64.max) {
                result = T(exactly: -Int64(magnitude))
            } else if magnitude == UInt64(Int64.max) + 1 {
                result = T(exactly: Int64.min)
            }
        }
        guard let result else { throw JSONDecodingFailure(path, "expected \(expected), found the number \(text)") }
        return result
    }

    static func integerDescription<T: FixedWidthInteger>(_ type: T.Type) -> String {
        if T.isSigned { return "an integer from \(T.min) to \(T.max)" }
        return "an integer from 0 to \(T.max)"
    }

    static func mismatch(_ expected: String, _ found: JSONValue, _ path: [any CodingKey]) -> JSONDecodingFailure {
        JSONDecodingFailure(path, "expected \(expected), found \(found.kindDescription)")
    }

    /// Decodes a scalar type directly; nil when `T` is not one (then it decodes itself).
    static func scalar<T>(_ type: T.Type, _ value: JSONValue, _ path: [any CodingKey]) throws(JSONDecodingFailure) -> T? {
        switch type {
        case is String.Type: return try string(value, path) as? T
        case is Bool.Type: return try bool(value, path) as? T
        case is Int.Type: return try integer(Int.self, value, path) as? T
        case is Int8.Type: return try integer(Int8.self, value, path) as? T
        case is Int16.Type: return try integer(Int16.self, value, path) as? T
        case is Int32.Type: return try integer(Int32.self, value, path) as? T
        case is Int64.Type: return try integer(Int64.self, value, path) as? T
        case is UInt.Type: return try integer(UInt.self, value, path) as? T
        case is UInt8.Type: return try integer(UInt8.self, value, path) as? T
        case is UInt16.Type: return try integer(UInt16.self, value, path) as? T
        case is UInt32.Type: return try integer(UInt32.self, value, path) as? T
        case is UInt64.Type: return try integer(UInt64.self, value, path) as? T
        case is Double.Type: return try floating(Double.self, value, path) as? T
        case is Float.Type: return try floating(Float.self, value, path) as? T
        case is [String].Type:
            // Checked whole so the message names the field: "expected an array of strings".
            guard case .array(let items) = value else { throw mismatch("an array of strings", value, path) }
            var strings: [String] = []
            strings.reserveCapacity(items.count)
            for (position, item) in items.enumerated() {
                guard case .string(let text) = item else {
                    throw JSONDecodingFailure(
                        path, "expected an array of strings, found \(item.kindDescription) at [\(position)]")
                }
                strings.append(text)
            }
            return strings as? T
        case is [String: String].Type:
            guard case .object(let members) = value else { throw mismatch("an object of strings", value, path) }
            var map: [String: String] = [:]
            for member in members {
                guard case .string(let text) = member.value else {
                    throw JSONDecodingFailure(
                        path + [JSONKey(stringValue: member.key)], "expected a string, found \(member.value.kindDescription)")
                }
                map[member.key] = text
            }
            return map as? T
        default:
            return nil
        }
    }
}
