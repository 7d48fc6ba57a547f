import CSQLite
import StackCore

/// A failure reported by libsqlite3: its (extended) result code and `sqlite3_errmsg` text.
///
/// It travels as the `cause` of a ``StackCore/StackError`` whose message names the store step, so the error
/// renders as `store: insert container: UNIQUE constraint failed: containers.name (code 19)`.
public struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code (e.g. `SQLITE_CONSTRAINT_UNIQUE` = 2067).
    public var extendedCode: Int32
    /// The message sqlite gave (`sqlite3_errmsg`), or `sqlite3_errstr` of the code when there was none.
    public var message: String

    /// Creates an error from a result code and message.
    public init(extendedCode: Int32, message: String) {
        self.extendedCode = extendedCode
        self.message = message
    }

    /// The primary result code (the low byte of the extended code), e.g. `SQLITE_CONSTRAINT` = 19.
    public var code: Int32 { extendedCode & 0xff }

    /// True for a UNIQUE or PRIMARY KEY constraint violation (a name or id already in use).
    public var isUniqueViolation: Bool {
        extendedCode == SQLiteError.constraintUnique || extendedCode == SQLiteError.constraintPrimaryKey
    }

    /// True for a FOREIGN KEY constraint violation.
    public var isForeignKeyViolation: Bool { extendedCode == SQLiteError.constraintForeignKey }

    // Extended codes are C macro expressions that Swift does not import: SQLITE_CONSTRAINT | (n << 8).
    static let constraintForeignKey = SQLITE_CONSTRAINT | (3 << 8)
    static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)
    static let constraintUnique = SQLITE_CONSTRAINT | (8 << 8)

    /// True when another connection held the lock for longer than the busy timeout.
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }

    public var description: String { "\(message) (code \(code))" }
}

extension StackError {
    /// The sqlite failure behind this error, when it came from the store.
    public var sqliteError: SQLiteError? { cause as? SQLiteError }

    /// True when a store write failed because a unique value (a container name, an id) is already in use.
    ///
    /// The engine turns this into Docker's "name already in use" conflict.
    public var isUniqueViolation: Bool { sqliteError?.isUniqueViolation ?? false }

    /// Wraps a sqlite failure: `store: <step>: <sqlite message> (code N)`.
    ///
    /// Unique violations get code `.conflict` (the request conflicts with existing state);
    /// everything else is `.system`.
    static func store(_ step: String, _ error: SQLiteError) -> StackError {
        StackError(error.isUniqueViolation ? .conflict : .system, "store: \(step)", cause: error)
    }
}
