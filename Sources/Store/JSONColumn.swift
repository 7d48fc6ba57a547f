#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// Encodes and decodes the JSON text columns (labels, attributes, layer lists).
enum JSONColumn {
    /// JSON text for `value`, keys sorted so equal values store equal text.
    static func encode<T: Encodable>(_ value: T, column: String) throws(StackError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw StackError(.internalError, "store: encode \(column)", cause: error)
        }
    }

    /// Decodes JSON text read from `column`; NULL or empty text decodes as `empty`.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String?, column: String, empty: T) throws(StackError) -> T {
        guard let text, !text.isEmpty else { return empty }
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StackError(.internalError, "store: \(column) does not hold valid JSON: \(text.prefix(80))", cause: error)
        }
    }
}
