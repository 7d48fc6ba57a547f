import StackCore
import Store
import Testing

@Suite struct ContainerTableTests {
    static func id(_ prefix: String) -> String {
        prefix + String(repeating: "0", count: 64 - prefix.count)
    }

    static func record(_ prefix: String, _ name: String, createdAt: Double = 1, state: ContainerState = .created)
        -> ContainerRecord
    {
        ContainerRecord(id: id(prefix), name: name, createdAt: createdAt, state: state)
    }

    @Test func everyColumnRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        let full = ContainerRecord(
            id: Self.id("f00d"), name: "web", imageRef: "busybox:latest", imageID: "sha256:" + Self.id("beef"),
            createdAt: 1_764_403_200.123456, state: .exited, pid: 4242, monitorPID: 4241, exitCode: 137,
            oomKilled: true, startedAt: 1_764_403_201.5, finishedAt: 1_764_403_202.25, restartCount: 3,
            labels: ["com.example.tier": "front", "empty": "", "quote\"d": "ü\n"],
            config: #"{"Image":"busybox","Cmd":["sh","-c","echo hi"]}"#, specHash: "abc123", error: "oops")
        try store.containers.insert(full)
        #expect(try store.containers.get(full.id) == full)
        let minimal = Self.record("cafe", "bare")
        try store.containers.insert(minimal)
        let read = try #require(try store.containers.get(minimal.id))
        #expect(read == minimal)
        #expect(read.labels.isEmpty && read.pid == nil && read.exitCode == nil && !read.oomKilled)
    }

    @Test func namesAreUnique() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.containers.insert(Self.record("aa", "web"))
        let duplicate = try #require(throws: StackError.self) {
            try store.containers.insert(Self.record("bb", "web"))
        }
        #expect(duplicate.isUniqueViolation)
        #expect(duplicate.code == .conflict)
        #expect(duplicate.description == "store: insert container: UNIQUE constraint failed: containers.name (code 19)")
        #expect(try store.containers.get(Self.id("bb")) == nil)

        let sameID = try #require(throws: StackError.self) { try store.containers.insert(Self.record("aa", "other")) }
        #expect(sameID.isUniqueViolation)

        try store.containers.insert(Self.record("cc", "db"))
        let rename = try #require(throws: StackError.self) { try store.containers.rename(Self.id("cc"), to: "web") }
        #expect(rename.isUniqueViolation)
        #expect(try store.containers.get(Self.id("cc"))?.name == "db")
        let renamed = try store.containers.rename(Self.id("cc"), to: "database")
        #expect(renamed.name == "database")
        #expect(try store.containers.find(name: "database")?.id == Self.id("cc"))
        #expect(try store.containers.find(name: "/database")?.id == Self.id("cc"))
        #expect(try store.containers.find(name: "db") == nil)
    }

    @Test func resolveTriesIdThenNameThenUniquePrefix() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.containers.insert(Self.record("abc1", "web"))
        try store.containers.insert(Self.record("abc2", "db"))
        try store.containers.insert(Self.record("de", "abc1"))  // a name that looks like an id prefix

        #expect(try store.containers.resolve(Self.id("abc1")).name == "web")
        #expect(try store.containers.resolve("db").id == Self.id("abc2"))
        #expect(try store.containers.resolve("/db").id == Self.id("abc2"))
        // An exact name wins over an id prefix.
        #expect(try store.containers.resolve("abc1").id == Self.id("de"))
        #expect(try store.containers.resolve("abc2").name == "db")
        #expect(try store.containers.resolve("d").name == "abc1")

        let ambiguous = try #require(throws: StackError.self) { try store.containers.resolve("ab") }
        #expect(ambiguous.message.contains("abc100000000 (web)"))
        #expect(ambiguous.message.contains("abc200000000 (db)"))

        let missing = try #require(throws: StackError.self) { try store.containers.resolve("zzz") }
        #expect(missing.code == .notFound)
        #expect(missing.message == "No such container: zzz")
        #expect(throws: StackError.self) { try store.containers.resolve("") }
        // A prefix is a prefix: LIKE/GLOB wildcards match nothing.
        #expect(throws: StackError.self) { try store.containers.resolve("%") }
        #expect(throws: StackError.self) { try store.containers.resolve("a*") }
    }

    @Test func updateStateIsAllOrNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        let id = Self.id("77")
        try store.containers.insert(Self.record("77", "job"))
        let running = try store.containers.updateState(id) { record in
            record.state = .running
            record.pid = 100
            record.startedAt = 5
        }
        #expect(running.state == .running)
        #expect(try store.containers.get(id) == running)

        #expect(throws: StackError.self) {
            try store.containers.updateState(id) { (record) throws(StackError) in
                record.state = .exited
                record.exitCode = 1
                throw StackError(.invalidArgument, "container is running")
            }
        }
        #expect(try store.containers.get(id) == running)

        #expect(throws: StackError.self) { try store.containers.updateState(Self.id("99")) { $0.pid = 1 } }
        var ghost = Self.record("98", "ghost")
        ghost.pid = 3
        let missing = try #require(throws: StackError.self) { try store.containers.update(ghost) }
        #expect(missing.code == .notFound)
    }

    @Test func aMultiTableTransactionRollsBackEverything() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.containers.insert(Self.record("11", "taken"))
        #expect(throws: StackError.self) {
            try store.transaction { (connection) throws(StackError) in
                try store.containers.insert(Self.record("22", "fresh"), in: connection)
                try store.events.append(
                    EventRecord(time: 1, type: "container", action: "create", actorID: Self.id("22")), in: connection)
                try store.containers.insert(Self.record("33", "taken"), in: connection)
            }
        }
        #expect(try store.containers.list().map(\.name) == ["taken"])
        #expect(try store.events.list().isEmpty)
    }

    @Test func listShowsLiveContainersUnlessAll() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        for (index, state) in ContainerState.allCases.enumerated() {
            try store.containers.insert(Self.record("\(index)", state.rawValue, createdAt: Double(index), state: state))
        }
        #expect(try store.containers.list(all: false).map(\.name) == ["restarting", "paused", "running"])
        #expect(try store.containers.list(all: true).map(\.name) == ContainerState.allCases.reversed().map(\.rawValue))
    }

    @Test func deleteRemovesOnlyThatContainer() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.containers.insert(Self.record("a1", "one"))
        try store.containers.insert(Self.record("a2", "two"))
        try store.containers.delete(Self.id("a1"))
        #expect(try store.containers.list().map(\.name) == ["two"])
        let again = try #require(throws: StackError.self) { try store.containers.delete(Self.id("a1")) }
        #expect(again.code == .notFound)
        // The name is free again.
        try store.containers.insert(Self.record("a3", "one"))
    }

    @Test func stateRawValuesAreDockers() {
        #expect(ContainerState.allCases.map(\.rawValue)
            == ["created", "running", "paused", "restarting", "removing", "exited", "dead"])
    }
}
