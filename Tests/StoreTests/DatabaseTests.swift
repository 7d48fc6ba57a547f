import Foundation
import StackCore
import Store
import Testing

@Suite struct DatabaseTests {
    @Test func openUsesWALForeignKeysAndPrivateFileMode() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.database)
        let settings = try database.read { (connection) throws(StackError) in
            try connection.queryFirst("SELECT * FROM pragma_journal_mode, pragma_foreign_keys, pragma_synchronous") {
                row in [row.string(0) ?? "", String(row.int(1) ?? -1), String(row.int(2) ?? -1)]
            }
        }
        #expect(settings == ["wal", "1", "1"])  // synchronous NORMAL = 1
        try database.execute("CREATE TABLE t (x INTEGER)")
        let attributes = try FileManager.default.attributesOfItem(atPath: directory.database)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let wal = try FileManager.default.attributesOfItem(atPath: directory.database + "-wal")
        #expect((wal[.posixPermissions] as? Int) == 0o600)
    }

    @Test func typedBindsAndColumnsRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.database)
        try database.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n)")
        let blob: [UInt8] = [0, 1, 2, 255]
        try database.transaction { (connection) throws(StackError) in
            try connection.run(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                [.integer(Int64.min), .real(0.1), .text("héllo\u{0}x"), .blob(blob), .null])
            try connection.run(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                [SQLValue(Int32(7)), SQLValue(Double?.none), "", SQLValue(Data()), SQLValue(true)])
        }
        let rows = try database.read { (connection) throws(StackError) in
            try connection.query("SELECT i, r, s, b, n FROM t ORDER BY rowid") { row in
                [row.value(0), row.value(1), row.value(2), row.value(3), row.value(4)]
            }
        }
        #expect(rows.count == 2)
        #expect(rows.first == [.integer(Int64.min), .real(0.1), .text("héllo\u{0}x"), .blob(blob), .null])
        #expect(rows.last == [.integer(7), .null, .text(""), .blob([]), .integer(1)])
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.database)
        try database.execute("CREATE TABLE t (x INTEGER)")
        #expect(throws: StackError.self) {
            try database.transaction { (connection) throws(StackError) in
                try connection.run("INSERT INTO t VALUES (1)")
                try connection.run("INSERT INTO t VALUES (2)")
                throw StackError(.internalError, "changed my mind")
            }
        }
        let count = try database.read { (connection) throws(StackError) in
            try connection.queryFirst("SELECT count(*) FROM t") { row in row.int(0) }
        }
        #expect(count == 0)
        // The connection is usable again afterwards (no transaction left open).
        try database.transaction { (connection) throws(StackError) in try connection.run("INSERT INTO t VALUES (3)") }
        let after = try database.read { (connection) throws(StackError) in
            try connection.query("SELECT x FROM t") { row in row.int(0) ?? 0 }
        }
        #expect(after == [3])
    }

    @Test func sqlErrorsNameTheStepAndTheSqliteMessage() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.database)
        try database.execute("CREATE TABLE things (name TEXT UNIQUE)")
        try database.transaction { (connection) throws(StackError) in
            try connection.run("INSERT INTO things VALUES (?)", ["a"], step: "insert thing")
        }
        let error = try #require(throws: StackError.self) {
            try database.transaction { (connection) throws(StackError) in
                try connection.run("INSERT INTO things VALUES (?)", ["a"], step: "insert thing")
            }
        }
        #expect(error.description == "store: insert thing: UNIQUE constraint failed: things.name (code 19)")
        #expect(error.isUniqueViolation)
        #expect(error.code == .conflict)
        #expect(error.sqliteError?.extendedCode == 2067)

        let syntax = try #require(throws: StackError.self) { try database.execute("SELEC 1", step: "probe") }
        #expect(syntax.code == .system)
        #expect(!syntax.isUniqueViolation)
        #expect(syntax.description.hasPrefix("store: probe: near \"SELEC\": syntax error"))
    }

    @Test func twoHandlesOnOneFileBothWrite() throws {
        let directory = try TemporaryDirectory()
        let first = try Database(path: directory.database)
        try first.execute("CREATE TABLE t (writer INTEGER, n INTEGER)")
        let second = try Database(path: directory.database)
        let handles = [first, second]
        let failures = Mutexed<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for n in 0..<150 {
                do {
                    try handles[writer].transaction { (connection) throws(StackError) in
                        try connection.run("INSERT INTO t VALUES (?, ?)", [SQLValue(writer), SQLValue(n)])
                        // Hold the write lock a moment so the other writer has to wait for it.
                        if n % 25 == 0 { usleep(2000) }
                    }
                } catch {
                    failures.update { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.value.isEmpty)
        let counts = try second.read { (connection) throws(StackError) in
            try connection.query("SELECT writer, count(*) FROM t GROUP BY writer ORDER BY writer") { row in
                row.int(1) ?? 0
            }
        }
        #expect(counts == [150, 150])
    }

    @Test func aWriterGivesUpAfterTheBusyTimeout() throws {
        let directory = try TemporaryDirectory()
        let holder = try Database(path: directory.database)
        try holder.execute("CREATE TABLE t (x INTEGER)")
        let impatient = try Database(path: directory.database, busyTimeout: .milliseconds(50))
        let started = ContinuousClock.now
        let error = try #require(throws: StackError.self) {
            try holder.transaction { (connection) throws(StackError) in
                try connection.run("INSERT INTO t VALUES (1)")
                try impatient.transaction { (other) throws(StackError) in try other.run("INSERT INTO t VALUES (2)") }
            }
        }
        #expect(error.sqliteError?.isBusy == true)
        #expect(ContinuousClock.now - started >= .milliseconds(40))
    }
}

/// A value shared between test threads.
final class Mutexed<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value { lock.withLock { stored } }

    func update(_ body: (inout Value) -> Void) { lock.withLock { body(&stored) } }
}
