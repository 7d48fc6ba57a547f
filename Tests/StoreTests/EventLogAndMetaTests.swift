import StackCore
import Store
import Testing

@Suite struct EventLogAndMetaTests {
    @Test func eventsGetIncreasingSequenceNumbersAndFilter() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        #expect(try store.events.lastSeq() == 0)
        var appended: [EventRecord] = []
        for (index, action) in ["create", "start", "die", "destroy"].enumerated() {
            appended.append(try store.events.append(EventRecord(
                time: 100 + Double(index), type: "container", action: action, actorID: "c1",
                attributes: ["name": "web", "exitCode": index == 2 ? "137" : ""])))
        }
        #expect(appended.map(\.seq) == [1, 2, 3, 4])
        #expect(try store.events.list() == appended)
        #expect(try store.events.list(afterSeq: 2).map(\.action) == ["die", "destroy"])
        #expect(try store.events.list(since: 101, until: 102).map(\.action) == ["start", "die"])
        #expect(try store.events.list(limit: 2).map(\.action) == ["create", "start"])
        #expect(try store.events.list(afterSeq: 1, limit: 1).map(\.action) == ["start"])
        #expect(try store.events.list(afterSeq: 4).isEmpty)
        #expect(try store.events.list()[2].attributes == ["name": "web", "exitCode": "137"])

        #expect(try store.events.prune(keeping: 1) == 3)
        #expect(try store.events.list().map(\.seq) == [4])
        // Sequence numbers never go back, even after pruning.
        #expect(try store.events.append(EventRecord(time: 200, type: "image", action: "tag", actorID: "i")).seq == 5)
        #expect(try store.events.lastSeq() == 5)
    }

    @Test func metaGetSetDelete() throws {
        let directory = try TemporaryDirectory()
        let store = try StateStore(path: directory.database)
        #expect(try store.meta.get("instance-id") == nil)
        try store.meta.set("instance-id", "one")
        try store.meta.set("instance-id", "two")
        #expect(try store.meta.get("instance-id") == "two")
        try store.meta.set("instance-id", nil)
        #expect(try store.meta.get("instance-id") == nil)
        #expect(try store.meta.getOrSet("daemon", { "first" }) == "first")
        #expect(try store.meta.getOrSet("daemon", { "second" }) == "first")
    }
}
