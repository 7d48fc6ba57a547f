import StackCore
import Store
import Testing

@Suite struct EndpointTableTests {
    static func id(_ prefix: String) -> String { NetworkTableTests.id(prefix) }

    static func endpoint(
        _ prefix: String, network: String, container: String, _ address: String, interface: String = "eth0",
        createdAt: String = "2026-11-29T10:00:00.000000000Z"
    ) -> EndpointRecord {
        EndpointRecord(
            id: id(prefix), networkID: network, containerID: container, address: address,
            macAddress: "02:42:ac:12:00:02", interfaceName: interface, createdAt: createdAt)
    }

    /// A store with networks `web` (aa) and `db` (bb) and containers `one` (c1), `two` (c2).
    private func fixture() throws -> (TemporaryDirectory, StateStore) {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        try store.networks.insert(NetworkTableTests.network("aa", "web"))
        try store.networks.insert(NetworkTableTests.network("bb", "db", subnet: "172.19.0.0/16"))
        try store.containers.insert(ContainerRecord(id: Self.id("c1"), name: "one", createdAt: 1))
        try store.containers.insert(ContainerRecord(id: Self.id("c2"), name: "two", createdAt: 2))
        return (directory, store)
    }

    @Test func everyColumnRoundTrips() throws {
        let (_, store) = try fixture()
        let full = EndpointRecord(
            id: Self.id("e1"), networkID: Self.id("aa"), containerID: Self.id("c1"), address: "172.18.0.9",
            macAddress: "02:42:ac:12:00:09", aliases: ["web", "www"], staticAddress: true, interfaceName: "eth0",
            createdAt: "2026-11-29T10:00:00.5Z")
        try store.endpoints.insert(full)
        #expect(try store.endpoints.get(network: Self.id("aa"), container: Self.id("c1")) == full)
        #expect(try store.endpoints.get(network: Self.id("bb"), container: Self.id("c1")) == nil)
        #expect(try store.endpoints.addresses(network: Self.id("aa")) == ["172.18.0.9"])
        #expect(try store.endpoints.addresses(network: Self.id("bb")).isEmpty)
        var moved = full
        moved.aliases = []
        moved.address = "172.18.0.10"
        try store.endpoints.update(moved)
        #expect(try store.endpoints.listAll() == [moved])
    }

    @Test func anAddressIsUsedOncePerNetwork() throws {
        let (_, store) = try fixture()
        try store.endpoints.insert(Self.endpoint("e1", network: Self.id("aa"), container: Self.id("c1"), "172.18.0.2"))
        let taken = try #require(throws: StackError.self) {
            try store.endpoints.insert(Self.endpoint("e2", network: Self.id("aa"), container: Self.id("c2"), "172.18.0.2"))
        }
        #expect(taken.code == .conflict)
        #expect(taken.message == "Address already in use: 172.18.0.2 on network web (container one)")
        // The same address on another network is fine.
        try store.endpoints.insert(Self.endpoint("e3", network: Self.id("bb"), container: Self.id("c2"), "172.18.0.2"))
        #expect(try store.endpoints.list(network: Self.id("aa")).map(\.containerID) == [Self.id("c1")])
    }

    @Test func aContainerAttachesOncePerNetworkWithDistinctInterfaces() throws {
        let (_, store) = try fixture()
        try store.endpoints.insert(Self.endpoint("e1", network: Self.id("aa"), container: Self.id("c1"), "172.18.0.2"))
        let twice = try #require(throws: StackError.self) {
            try store.endpoints.insert(
                Self.endpoint("e2", network: Self.id("aa"), container: Self.id("c1"), "172.18.0.3", interface: "eth1"))
        }
        #expect(twice.code == .conflict && twice.message == "container one is already attached to network web")
        let sameInterface = try #require(throws: StackError.self) {
            try store.endpoints.insert(Self.endpoint("e3", network: Self.id("bb"), container: Self.id("c1"), "172.19.0.2"))
        }
        #expect(sameInterface.code == .conflict && sameInterface.message == "container one already has an interface eth0")
        #expect(try store.endpoints.nextInterfaceName(container: Self.id("c1")) == "eth1")
        #expect(try store.endpoints.nextInterfaceName(container: Self.id("c2")) == "eth0")
        try store.endpoints.insert(
            Self.endpoint("e4", network: Self.id("bb"), container: Self.id("c1"), "172.19.0.2", interface: "eth1"))
        #expect(try store.endpoints.list(container: Self.id("c1")).map(\.interfaceName) == ["eth0", "eth1"])
        // Disconnecting eth0 frees the lowest name again.
        try store.endpoints.delete(network: Self.id("aa"), container: Self.id("c1"))
        #expect(try store.endpoints.nextInterfaceName(container: Self.id("c1")) == "eth0")
    }

    @Test func unknownNetworkOrContainerIsNotFound() throws {
        let (_, store) = try fixture()
        let network = try #require(throws: StackError.self) {
            try store.endpoints.insert(Self.endpoint("e1", network: Self.id("99"), container: Self.id("c1"), "172.18.0.2"))
        }
        #expect(network.code == .notFound)
        let container = try #require(throws: StackError.self) {
            try store.endpoints.insert(Self.endpoint("e1", network: Self.id("aa"), container: Self.id("c9"), "172.18.0.2"))
        }
        #expect(container.code == .notFound && container.message.contains("No such container"))
        let detach = try #require(throws: StackError.self) {
            try store.endpoints.delete(network: Self.id("aa"), container: Self.id("c1"))
        }
        #expect(detach.code == .notFound)
    }

    @Test func interfaceOrderIsNumeric() throws {
        let (_, store) = try fixture()
        for index in [10, 2, 0, 1] {
            let network = NetworkTableTests.network("a\(index)b", "net\(index)")
            try store.networks.insert(network)
            try store.endpoints.insert(
                Self.endpoint("e\(index)f", network: network.id, container: Self.id("c1"), "172.18.0.2", interface: "eth\(index)"))
        }
        #expect(try store.endpoints.list(container: Self.id("c1")).map(\.interfaceName) == ["eth0", "eth1", "eth2", "eth10"])
        let removed = try store.endpoints.deleteAll(container: Self.id("c1"))
        #expect(removed.count == 4 && removed.first?.interfaceName == "eth0")
        #expect(try store.endpoints.list(container: Self.id("c1")).isEmpty)
    }

    @Test func deletingTheContainerDeletesItsEndpoints() throws {
        let (_, store) = try fixture()
        try store.endpoints.insert(Self.endpoint("e1", network: Self.id("aa"), container: Self.id("c1"), "172.18.0.2"))
        try store.endpoints.insert(
            Self.endpoint("e2", network: Self.id("bb"), container: Self.id("c1"), "172.19.0.2", interface: "eth1"))
        try store.endpoints.insert(Self.endpoint("e3", network: Self.id("aa"), container: Self.id("c2"), "172.18.0.3"))
        try store.containers.delete(Self.id("c1"))
        #expect(try store.endpoints.list(container: Self.id("c1")).isEmpty)
        #expect(try store.endpoints.addresses(network: Self.id("aa")) == ["172.18.0.3"])
        // The freed address can be used again; the network can go once its containers are gone.
        try store.containers.insert(ContainerRecord(id: Self.id("c3"), name: "three", createdAt: 3))
        try store.endpoints.insert(Self.endpoint("e4", network: Self.id("aa"), container: Self.id("c3"), "172.18.0.2"))
        #expect(throws: StackError.self) { try store.networks.delete(Self.id("aa")) }
        try store.containers.delete(Self.id("c2"))
        try store.containers.delete(Self.id("c3"))
        try store.networks.delete(Self.id("aa"))
        #expect(try store.endpoints.listAll().isEmpty)
    }
}
