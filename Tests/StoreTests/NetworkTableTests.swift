import StackCore
import Store
import Testing

@Suite struct NetworkTableTests {
    static func id(_ prefix: String) -> String {
        prefix + String(repeating: "0", count: 64 - prefix.count)
    }

    static func network(_ prefix: String, _ name: String, subnet: String = "172.18.0.0/16") -> NetworkRecord {
        NetworkRecord(
            id: id(prefix), name: name, subnet: subnet, gateway: "172.18.0.1", bridge: "stack-\(prefix)",
            createdAt: "2026-11-29T10:00:00.000000000Z")
    }

    @Test func everyColumnRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        let full = NetworkRecord(
            id: Self.id("f00d"), name: "backend", driver: "bridge", scope: "local", subnet: "10.5.0.0/24",
            gateway: "10.5.0.254", ipRange: "10.5.0.128/25", internal: true, bridge: "stack-f00d",
            labels: ["com.example": "x", "quote\"d": "ü"], options: ["com.docker.network.bridge.name": "br-x"],
            createdAt: "2026-11-29T10:00:00.123456789Z", isDefault: false)
        try store.networks.insert(full)
        #expect(try store.networks.get(full.id) == full)
        let plain = Self.network("beef", "bridge")
        var withDefault = plain
        withDefault.isDefault = true
        try store.networks.insert(withDefault)
        let read = try #require(try store.networks.get(plain.id))
        #expect(read == withDefault && read.ipRange == nil && !read.internal && read.labels.isEmpty)
        #expect(try store.networks.list().map(\.name) == ["backend", "bridge"])
    }

    @Test func namesAndBridgesAreUnique() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.networks.insert(Self.network("aa", "web"))
        let sameName = try #require(throws: StackError.self) { try store.networks.insert(Self.network("bb", "web")) }
        #expect(sameName.code == .conflict)
        #expect(sameName.message == "network with name web already exists")
        var sameBridge = Self.network("cc", "other")
        sameBridge.bridge = "stack-aa"
        let bridgeError = try #require(throws: StackError.self) { try store.networks.insert(sameBridge) }
        #expect(bridgeError.code == .conflict && bridgeError.message == "bridge stack-aa is already used by another network")
        var reusedID = Self.network("aa", "third")
        reusedID.bridge = "stack-third"
        let sameID = try #require(throws: StackError.self) { try store.networks.insert(reusedID) }
        #expect(sameID.code == .conflict && sameID.message.contains(Self.id("aa")))
        #expect(try store.networks.list().count == 1)

        try store.networks.insert(Self.network("dd", "db"))
        var renamed = try #require(try store.networks.get(Self.id("dd")))
        renamed.name = "web"
        #expect(throws: StackError.self) { try store.networks.update(renamed) }
        renamed.name = "database"
        renamed.labels = ["k": "v"]
        try store.networks.update(renamed)
        #expect(try store.networks.find(name: "database")?.labels == ["k": "v"])
        #expect(try store.networks.find(name: "db") == nil)
        let missing = try #require(throws: StackError.self) { try store.networks.update(Self.network("ee", "ghost")) }
        #expect(missing.code == .notFound)
    }

    @Test func resolveTriesIdThenNameThenUniquePrefix() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.networks.insert(Self.network("abc1", "front"))
        try store.networks.insert(Self.network("abc2", "back"))
        // A network named like another's id prefix: the name wins over the prefix.
        try store.networks.insert(Self.network("ff", "abc1"))
        #expect(try store.networks.resolve(reference: Self.id("abc2")).name == "back")
        #expect(try store.networks.resolve(reference: "front").id == Self.id("abc1"))
        #expect(try store.networks.resolve(reference: "abc1").id == Self.id("ff"))
        #expect(try store.networks.resolve(reference: "abc2").name == "back")
        #expect(try store.networks.resolve(reference: "ABC2").name == "back")
        let ambiguous = try #require(throws: StackError.self) { try store.networks.resolve(reference: "abc") }
        #expect(ambiguous.code == .invalidArgument && ambiguous.message.contains("abc100000000 (front)"))
        let none = try #require(throws: StackError.self) { try store.networks.resolve(reference: "nope") }
        #expect(none.code == .notFound && none.message == "network nope not found")
        #expect(throws: StackError.self) { try store.networks.resolve(reference: "") }
    }

    @Test func deleteRefusesWhileEndpointsExist() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        let network = Self.network("aa", "web")
        try store.networks.insert(network)
        try store.containers.insert(ContainerRecord(id: Self.id("c1"), name: "one", createdAt: 1))
        try store.endpoints.insert(EndpointTableTests.endpoint("e1", network: network.id, container: Self.id("c1"), "172.18.0.2"))
        let busy = try #require(throws: StackError.self) { try store.networks.delete(network.id) }
        #expect(busy.code == .conflict && busy.message.contains("network web id \(network.id) has active endpoints"))
        try store.endpoints.delete(network: network.id, container: Self.id("c1"))
        try store.networks.delete(network.id)
        #expect(try store.networks.get(network.id) == nil)
        #expect(try #require(throws: StackError.self) { try store.networks.delete(network.id) }.code == .notFound)
    }

    @Test func aVersion1DatabaseGainsTheNetworkTables() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try Database(path: directory.database)
            let old = try StateStore(database: database, migrations: Array(Schema.migrations.prefix(1)))
            try old.containers.insert(ContainerRecord(id: Self.id("c1"), name: "kept", createdAt: 1))
        }
        let store = try StateStore(path: directory.database)
        #expect(try store.containers.find(name: "kept") != nil)
        try store.networks.insert(Self.network("aa", "web"))
        try store.endpoints.insert(EndpointTableTests.endpoint("e1", network: Self.id("aa"), container: Self.id("c1"), "172.18.0.2"))
        #expect(try store.endpoints.list(container: Self.id("c1")).count == 1)
    }
}
