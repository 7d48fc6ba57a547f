import CSQLite
import StackCore

/// A prepared statement: bind typed parameters, step through rows, reset and reuse.
///
/// Belongs to the ``Connection`` that prepared it and is valid only while that connection's lock is held
/// (inside a ``Database/transaction(_:)`` or ``Database/read(_:)`` body). Finalized when released.
public final class Statement {
    let handle: OpaquePointer
    let database: OpaquePointer
    /// The store step named in errors, e.g. `insert container`.
    public let step: String

    init(database: OpaquePointer, sql: String, step: String) throws(StackError) {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(database, sql, -1, 0, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw .store("prepare \(step)", Connection.error(database, rc))
        }
        self.handle = statement
        self.database = database
        self.step = step
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to parameters 1…n (after clearing earlier bindings).
    public func bind(_ values: [SQLValue]) throws(StackError) {
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: offset + 1)
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int) throws(StackError) {
        let position = Int32(index)
        let rc: Int32
        switch value {
        case .integer(let number): rc = sqlite3_bind_int64(handle, position, number)
        case .real(let number): rc = sqlite3_bind_double(handle, position, number)
        case .text(let text): rc = bindText(text, at: position)
        case .blob(let bytes):
            rc = bytes.withUnsafeBytes { buffer in
                sqlite3_bind_blob64(handle, position, buffer.baseAddress, sqlite3_uint64(buffer.count), Statement.transient)
            }
        case .null: rc = sqlite3_bind_null(handle, position)
        }
        guard rc == SQLITE_OK else { throw .store("\(step): bind parameter \(index)", Connection.error(database, rc)) }
    }

    /// Binds text by its UTF-8 length, so an embedded NUL does not cut it short.
    private func bindText(_ text: String, at position: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else {
                return sqlite3_bind_text(handle, position, "", 0, Statement.transient)
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { characters in
                sqlite3_bind_text64(
                    handle, position, characters, sqlite3_uint64(bytes.count), Statement.transient, UInt8(SQLITE_UTF8))
            }
        }
    }

    /// Advances to the next row: true when a row is available (read it with ``row``), false when done.
    public func next() throws(StackError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = Connection.error(database, rc)
            sqlite3_reset(handle)
            throw .store(step, error)
        }
    }

    /// The current row; meaningful only after ``next()`` returned true.
    public var row: Row { Row(statement: handle) }

    /// Rewinds the statement so it can run again (bindings are kept).
    public func reset() { sqlite3_reset(handle) }

    /// SQLITE_TRANSIENT: sqlite copies bound text and blobs before the call returns.
    static var transient: sqlite3_destructor_type { unsafeBitCast(Int(-1), to: sqlite3_destructor_type.self) }
}
