import StackCore

/// A single-value container over one node, with Compose's lenient scalar conversions.
struct NodeSingleValueContainer: SingleValueDecodingContainer {
    let node: Node
    let path: LazyCodingPath

    var codingPath: [any CodingKey] { path.keys }

    func decodeNil() -> Bool { node.isNull }

    func decode(_ type: Bool.Type) throws -> Bool {
        switch node.kind {
        case .scalar(.bool(let value)): return value
        case .scalar(.string(let text)):
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        default: break
        }
        throw DecodingFailure.mismatch(type, expected: "a boolean", node: node, codingPath)
    }

    func decode(_ type: String.Type) throws -> String {
        switch node.kind {
        case .scalar(.null): break
        case .scalar(let scalar): return scalar.text
        default: break
        }
        throw DecodingFailure.mismatch(type, expected: "a string", node: node, codingPath)
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch node.kind {
        case .scalar(.int(let value)): return Double(value)
        case .scalar(.float(let value, _)): return value
        case .scalar(.string(let text)):
            if let value = Double(text.trimmingSpaces()) { return value }
        default: break
        }
        throw DecodingFailure.mismatch(type, expected: "a number", node: node, codingPath)
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func decode(_ type: Int.Type) throws -> Int { try decodeInteger(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try decodeInteger(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try decodeInteger(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try decodeInteger(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try decodeInteger(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try decodeInteger(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try decodeInteger(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try decodeInteger(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try decodeInteger(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try decodeInteger(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try NodeValueDecoder(node: node, path: path).decodeValue(type)
    }

    /// An integer from an integer scalar, an integral float, or a string that parses; range-checked.
    func decodeInteger<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let value: Int?
        switch node.kind {
        case .scalar(.int(let int)): value = int
        case .scalar(.float(let double, _)): value = double.rounded() == double ? Int(exactly: double) : nil
        case .scalar(.string(let text)): value = Scalar.parseInteger(text.trimmingSpaces())
        default: value = nil
        }
        guard let value else {
            throw DecodingFailure.mismatch(type, expected: "an integer", node: node, codingPath)
        }
        guard let result = T(exactly: value) else {
            throw DecodingFailure.corrupted(
                "\(value) is out of range (\(T.min)...\(T.max))", codingPath)
        }
        return result
    }
}
