import CSQLite
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import StackCore

/// The current result row of a stepped statement, read column by column (0-based indexes).
///
/// Valid only inside the closure it is passed to. Typed reads return nil for SQL NULL.
public struct Row {
    let statement: OpaquePointer

    /// How many columns the row has.
    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    /// The name of column `index` as the query spelled it.
    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(statement, Int32(index)).map { String(cString: $0) } ?? ""
    }

    /// True when column `index` holds NULL.
    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL
    }

    /// The column as a 64-bit integer, or nil for NULL.
    public func int64(_ index: Int) -> Int64? {
        isNull(index) ? nil : sqlite3_column_int64(statement, Int32(index))
    }

    /// The column as an `Int`, or nil for NULL.
    public func int(_ index: Int) -> Int? { int64(index).map { Int($0) } }

    /// The column as an `Int32` (pids, exit codes), or nil for NULL or a value out of range.
    public func int32(_ index: Int) -> Int32? { int64(index).flatMap { Int32(exactly: $0) } }

    /// The column as a Bool (non-zero is true), or nil for NULL.
    public func bool(_ index: Int) -> Bool? { int64(index).map { $0 != 0 } }

    /// The column as a double, or nil for NULL.
    public func double(_ index: Int) -> Double? {
        isNull(index) ? nil : sqlite3_column_double(statement, Int32(index))
    }

    /// The column as UTF-8 text, or nil for NULL.
    public func string(_ index: Int) -> String? {
        guard !isNull(index), let text = sqlite3_column_text(statement, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The column as bytes, or nil for NULL. An empty blob is `[]`.
    public func blob(_ index: Int) -> [UInt8]? {
        guard !isNull(index) else { return nil }
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        guard count > 0, let bytes = sqlite3_column_blob(statement, Int32(index)) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: bytes, count: count))
    }

    /// The column as `Data`, or nil for NULL.
    public func data(_ index: Int) -> Data? { blob(index).map { Data($0) } }

    /// The column as a dynamically typed value.
    public func value(_ index: Int) -> SQLValue {
        switch sqlite3_column_type(statement, Int32(index)) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, Int32(index)))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, Int32(index)))
        case SQLITE_TEXT: return string(index).map(SQLValue.text) ?? .null
        case SQLITE_BLOB: return blob(index).map(SQLValue.blob) ?? .null
        default: return .null
        }
    }
}
