import Foundation
import Synchronization
import Testing

@testable import Monitor

@Suite struct JSONFileLogReaderTests {
    @Test func entriesComeFromRotatedFilesOldestFirst() throws {
        let fixture = try LogFixture()
        defer { fixture.tearDown() }
        try fixture.write(fixture.log + ".2", [LogFixture.line("one\n", time: "2026-11-29T08:00:01.000000001Z")])
        try fixture.write(fixture.log + ".1", [
            LogFixture.line("two\n", stream: "stderr", time: "2026-11-29T08:00:02Z"),
            LogFixture.line("three\n", time: "2026-11-29T08:00:03.5Z"),
        ])
        try fixture.write(fixture.log, [LogFixture.line("four\n", time: "2026-11-29T08:00:04.123456789Z")])
        let reader = JSONFileLogReader(path: fixture.log)
        #expect(reader.files() == [fixture.log + ".2", fixture.log + ".1", fixture.log])
        let entries = try reader.entries()
        #expect(entries.map(\.text) == ["one\n", "two\n", "three\n", "four\n"])
        #expect(entries.map(\.stream) == [.stdout, .stderr, .stdout, .stdout])
        #expect(entries[3].timestamp == "2026-11-29T08:00:04.123456789Z")
        #expect(try reader.tail(2).map(\.text) == ["three\n", "four\n"])
        #expect(try reader.tail(0).isEmpty)
        #expect(try reader.tail(10).count == 4)
        let since = try #require(RFC3339.parse("2026-11-29T08:00:03Z"))
        #expect(try reader.since(since).map(\.text) == ["three\n", "four\n"])
    }

    @Test func partialLinesAndATornLastLine() throws {
        let fixture = try LogFixture()
        defer { fixture.tearDown() }
        let long = String(repeating: "x", count: 16384)
        try fixture.write(fixture.log, [
            LogFixture.line(long, time: "2026-11-29T08:00:00Z"),
            LogFixture.line("y\n", time: "2026-11-29T08:00:00Z"),
            "{\"log\":\"torn",
        ])
        let entries = try JSONFileLogReader(path: fixture.log).entries()
        #expect(entries.count == 2)
        #expect(entries.first?.isPartial == true)
        #expect(entries.first?.text.count == 16384)
        #expect(entries.last?.isPartial == false)
    }

    @Test func aMissingLogHasNoEntries() throws {
        let reader = JSONFileLogReader(path: "/nonexistent/ctr-json.log")
        #expect(reader.files().isEmpty)
        #expect(try reader.entries().isEmpty)
    }

    @Test func followPicksUpAppendedLinesAndRotation() async throws {
        let fixture = try LogFixture()
        defer { fixture.tearDown() }
        try fixture.write(fixture.log, [
            LogFixture.line("old1\n", time: "2026-11-29T08:00:00Z"),
            LogFixture.line("old2\n", time: "2026-11-29T08:00:01Z"),
        ])
        let ended = Mutex(false)
        let stream = JSONFileLogReader(path: fixture.log).follow(tail: 1, interval: .milliseconds(10)) {
            ended.withLock { $0 }
        }
        let writer = Task {
            try await Task.sleep(for: .milliseconds(100))
            try fixture.append(fixture.log, LogFixture.line("new1\n", time: "2026-11-29T08:00:02Z"))
            // A line written in two pieces is delivered once complete.
            let next = LogFixture.line("new2\n", time: "2026-11-29T08:00:03Z")
            try fixture.append(fixture.log, String(next.prefix(10)))
            try await Task.sleep(for: .milliseconds(60))
            try fixture.append(fixture.log, String(next.dropFirst(10)))
            try await Task.sleep(for: .milliseconds(60))
            // Rotation: the live file becomes .1 (after one more line), a new file starts.
            try fixture.append(fixture.log, LogFixture.line("last-in-old\n", time: "2026-11-29T08:00:04Z"))
            try FileManager.default.moveItem(atPath: fixture.log, toPath: fixture.log + ".1")
            try fixture.write(fixture.log, [LogFixture.line("rotated\n", stream: "stderr", time: "2026-11-29T08:00:05Z")])
            try await Task.sleep(for: .milliseconds(60))
            try fixture.append(fixture.log, LogFixture.line("final\n", time: "2026-11-29T08:00:06Z"))
            ended.withLock { $0 = true }
        }
        var texts: [String] = []
        for try await entry in stream { texts.append(entry.text) }
        try await writer.value
        #expect(texts == ["old2\n", "new1\n", "new2\n", "last-in-old\n", "rotated\n", "final\n"])
    }

    @Test func followEndsAtOnceWhenTheContainerHasEnded() async throws {
        let fixture = try LogFixture()
        defer { fixture.tearDown() }
        try fixture.write(fixture.log, [LogFixture.line("only\n", time: "2026-11-29T08:00:00Z")])
        var texts: [String] = []
        for try await entry in JSONFileLogReader(path: fixture.log).follow(ended: { true }) { texts.append(entry.text) }
        #expect(texts == ["only\n"])
    }

    @Test func followOfATruncatedLogStartsOver() async throws {
        let fixture = try LogFixture()
        defer { fixture.tearDown() }
        try fixture.write(fixture.log, [LogFixture.line("before\n", time: "2026-11-29T08:00:00Z")])
        let ended = Mutex(false)
        let stream = JSONFileLogReader(path: fixture.log).follow(interval: .milliseconds(10)) { ended.withLock { $0 } }
        let writer = Task {
            try await Task.sleep(for: .milliseconds(80))
            let handle = try #require(FileHandle(forWritingAtPath: fixture.log))
            try handle.truncate(atOffset: 0)
            try handle.close()
            try fixture.append(fixture.log, LogFixture.line("after\n", time: "2026-11-29T08:00:01Z"))
            try await Task.sleep(for: .milliseconds(80))
            ended.withLock { $0 = true }
        }
        var texts: [String] = []
        for try await entry in stream { texts.append(entry.text) }
        try await writer.value
        #expect(texts == ["before\n", "after\n"])
    }
}
