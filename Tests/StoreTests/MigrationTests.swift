import Foundation
import StackCore
import Store
import Testing

@Suite struct MigrationTests {
    private func tables(_ database: Database) throws -> [String] {
        try database.read { (connection) throws(StackError) in
            try connection.query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ) { row in row.string(0) ?? "" }
        }
    }

    private func version(_ database: Database) throws -> Int {
        try database.read { (connection) throws(StackError) in try connection.userVersion() }
    }

    @Test func anEmptyFileGetsTheWholeSchema() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.database)
        #expect(try version(database) == 0)
        let applied = try Migrator(Schema.migrations).migrate(database)
        #expect(applied == Array(1...Schema.version))
        #expect(try version(database) == Schema.version)
        #expect(
            try tables(database) == [
                "containers", "deployment_steps", "deployments", "endpoints", "events", "image_tags", "images", "meta",
                "networks", "volume_users", "volumes",
            ])
    }

    @Test func reopeningIsIdempotent() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try StateStore(path: directory.database)
            try store.meta.set("instance", "abc")
        }
        let database = try Database(path: directory.database)
        #expect(try Migrator(Schema.migrations).migrate(database).isEmpty)
        let store = try StateStore(database: database)
        #expect(try store.meta.get("instance") == "abc")
        #expect(try version(database) == Schema.version)
    }

    @Test func aNewerDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try Database(path: directory.database)
            try database.execute("PRAGMA user_version = 99")
        }
        let error = try #require(throws: StackError.self) { try StateStore(path: directory.database) }
        #expect(error.code == .unsupported)
        #expect(error.message.contains("schema version 99, newer than this program understands (\(Schema.version))"))
        // Nothing was created in the refused file.
        #expect(try tables(try Database(path: directory.database)).isEmpty)
    }

    @Test func anAppendedStepUpgradesAVersion1Database() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try StateStore(path: directory.database)
            try store.containers.insert(ContainerRecord(id: String(repeating: "a", count: 64), name: "old", createdAt: 1))
        }
        let next = Schema.version + 1
        let version2 = Migration(version: next, summary: "add containers.platform", sql: """
            ALTER TABLE containers ADD COLUMN platform TEXT NOT NULL DEFAULT 'linux/amd64';
            CREATE TABLE widgets (name TEXT PRIMARY KEY);
            """)
        let database = try Database(path: directory.database)
        let applied = try Migrator(Schema.migrations + [version2]).migrate(database)
        #expect(applied == [next])
        #expect(try version(database) == next)
        #expect(try tables(database).contains("widgets"))
        let platforms = try database.read { (connection) throws(StackError) in
            try connection.query("SELECT name, platform FROM containers") { row in
                "\(row.string(0) ?? "")=\(row.string(1) ?? "")"
            }
        }
        #expect(platforms == ["old=linux/amd64"])
        // The current code now refuses the upgraded file.
        #expect(throws: StackError.self) { try StateStore(path: directory.database) }
    }

    @Test func aFailingStepLeavesThePreviousVersion() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(path: directory.database)
        let broken = Migration(version: Schema.version + 1, summary: "half a change", sql: """
            CREATE TABLE half (x INTEGER);
            CREATE TABLE containers (x INTEGER);
            """)
        let error = try #require(throws: StackError.self) {
            try Migrator(Schema.migrations + [broken]).migrate(database)
        }
        #expect(error.description.contains("table containers already exists"))
        #expect(try version(database) == Schema.version)
        #expect(try !tables(database).contains("half"))
    }

    @Test func processesOpeningANewFileTogetherAllSucceed() throws {
        let directory = try TemporaryDirectory()
        let failures = Mutexed<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            do {
                let store = try StateStore(path: directory.database)
                _ = try store.containers.list()
            } catch {
                failures.update { $0.append("\(error)") }
            }
        }
        #expect(failures.value.isEmpty)
        #expect(try version(try Database(path: directory.database)) == Schema.version)
    }

    @Test func anUnopenablePathNamesTheFileAndTheReason() throws {
        let directory = try TemporaryDirectory()
        let error = try #require(throws: StackError.self) { try Database(path: directory.path + "/missing/state.db") }
        #expect(error.code == .system)
        #expect(error.message == "store: open \(directory.path)/missing/state.db: No such file or directory")
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: directory.database))
        let error = try #require(throws: StackError.self) { try StateStore(path: directory.database) }
        #expect(error.code == .system)
        #expect(error.description.contains("file is not a database (code 26)"))
    }

    @Test func stepsMustBeNumberedInOrder() throws {
        let skipping = Migration(version: Schema.version + 2, summary: "skips one", sql: "SELECT 1")
        #expect(throws: StackError.self) { try Migrator(Schema.migrations + [skipping]) }
    }
}
