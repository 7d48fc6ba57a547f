import StackCore
import Store
import Testing

@Suite struct VolumeTableTests {
    static func volume(_ name: String, anonymous: Bool = false) -> VolumeRecord {
        VolumeRecord(
            name: name, labels: ["com.example.team": "db", "empty": ""], options: ["type": "tmpfs", "o": "size=1m"],
            createdAt: "2026-11-29T11:00:00Z", anonymous: anonymous)
    }

    /// Containers `c1`, `c2` (volume users must be real containers).
    static func store(_ directory: TemporaryDirectory) throws -> StateStore {
        let store = try StateStore(path: directory.database)
        try store.containers.insert(ContainerRecord(id: "c1", name: "one", createdAt: 1))
        try store.containers.insert(ContainerRecord(id: "c2", name: "two", createdAt: 2))
        return store
    }

    @Test func recordsRoundTripAndDuplicatesConflict() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        let data = Self.volume("data")
        try store.volumes.insert(data)
        #expect(try store.volumes.get("data") == data)
        #expect(try store.volumes.get("missing") == nil)
        let duplicate = try #require(throws: StackError.self) { try store.volumes.insert(Self.volume("data")) }
        #expect(duplicate.code == .conflict)
        #expect(duplicate.message.contains("data"))
        let anonymous = Self.volume(String(repeating: "ab", count: 32), anonymous: true)
        try store.volumes.insert(anonymous)
        try store.volumes.insert(VolumeRecord(name: "cache", createdAt: "2026-11-29T11:00:01Z"))
        #expect(try store.volumes.list().map(\.name) == [anonymous.name, "cache", "data"])
        #expect(try store.volumes.get(anonymous.name)?.anonymous == true)
        #expect(try store.volumes.get("cache")?.driver == "local")
        #expect(try store.volumes.get("cache")?.labels == [:])
    }

    @Test func deleteRefusesVolumesInUseAndNamesTheContainers() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(directory)
        try store.volumes.insert(Self.volume("data"))
        try store.volumes.insert(Self.volume("logs"))
        try store.volumes.setUsers(container: "c2", volumes: ["data", "logs", "data"])
        try store.volumes.setUsers(container: "c1", volumes: ["data"])
        #expect(try store.volumes.users(volume: "data") == ["c1", "c2"])
        #expect(try store.volumes.volumes(container: "c2") == ["data", "logs"])
        let inUse = try #require(throws: StackError.self) { try store.volumes.delete("data") }
        #expect(inUse.code == .conflict)
        #expect(inUse.message == "remove data: volume is in use - [c1, c2]")
        #expect(try store.volumes.get("data") != nil)

        try store.volumes.setUsers(container: "c2", volumes: ["logs"])  // replaces c2's set
        #expect(try store.volumes.users(volume: "data") == ["c1"])
        try store.volumes.removeUsers(container: "c1")
        #expect(try store.volumes.users(volume: "data") == [])
        try store.volumes.delete("data")
        #expect(try store.volumes.get("data") == nil)
        let missing = try #require(throws: StackError.self) { try store.volumes.delete("data") }
        #expect(missing.code == .notFound)
        #expect(try store.volumes.users(volume: "logs") == ["c2"])
    }

    @Test func usersGoWithTheirContainerAndMustExist() throws {
        let directory = try TemporaryDirectory()
        let store = try Self.store(directory)
        try store.volumes.insert(Self.volume("data"))
        try store.volumes.setUsers(container: "c1", volumes: ["data"])
        try store.volumes.setUsers(container: "c2", volumes: ["data"])
        try store.containers.delete("c1")
        #expect(try store.volumes.users(volume: "data") == ["c2"])
        let noVolume = try #require(throws: StackError.self) {
            try store.volumes.setUsers(container: "c2", volumes: ["data", "ghost"])
        }
        #expect(noVolume.code == .notFound && noVolume.message.contains("volume ghost"))
        #expect(try store.volumes.users(volume: "data") == ["c2"])  // the failed call changed nothing
        let noContainer = try #require(throws: StackError.self) {
            try store.volumes.setUsers(container: "c9", volumes: ["data"])
        }
        #expect(noContainer.code == .notFound && noContainer.message.contains("container c9"))
    }

    @Test func usersSurviveReopening() throws {
        let directory = try TemporaryDirectory()
        do {
            let store = try Self.store(directory)
            try store.volumes.insert(Self.volume("data"))
            try store.volumes.setUsers(container: "c1", volumes: ["data"])
        }
        let reopened = try StateStore(path: directory.database)
        #expect(try reopened.volumes.users(volume: "data") == ["c1"])
        #expect(try reopened.volumes.get("data") == Self.volume("data"))
    }
}
