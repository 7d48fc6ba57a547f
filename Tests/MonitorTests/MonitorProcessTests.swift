import Foundation
import StackCore
import Testing

@testable import Monitor

/// The stack-monitor binary with a shell-script runtime: no privileges needed.
@Suite struct MonitorProcessTests {
    @Test func outputLandsInTheLogWithItsStreamAndTheExitCodeIsRecorded() throws {
        let fixture = try MonitorFixture(payload: #"""
            echo out; echo err >&2; printf 'a<b\377\n'; printf 'tail-without-newline'; exit 3
            """#)
        defer { fixture.tearDown() }
        let result = try fixture.launch()
        #expect(result.containerPid > 0)
        #expect(result.monitorPid != nil)
        try fixture.start()
        let record = try #require(fixture.waitForExit())
        #expect(record.exitCode == 3)
        #expect(record.signal == nil)
        #expect(record.pid == result.containerPid)
        let entries = try fixture.logReader.entries()
        let stdout = entries.filter { $0.stream == .stdout }.map(\.text)
        #expect(stdout == ["out\n", "a<b\u{FFFD}\n", "tail-without-newline"])
        #expect(entries.filter { $0.stream == .stderr }.map(\.text) == ["err\n"])
        let raw = try String(contentsOfFile: fixture.options.logFile, encoding: .utf8)
        #expect(raw.contains(#""log":"a\u003cb\ufffd\n","stream":"stdout","time":""#))
        #expect(fixture.waitForMonitorExit())
    }

    @Test func longLinesAreSplitAt16KiB() throws {
        let fixture = try MonitorFixture(payload: "head -c 40000 /dev/zero | tr '\\0' x; echo\n")
        defer { fixture.tearDown() }
        try fixture.launch()
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        let entries = try fixture.logReader.entries()
        #expect(entries.map(\.text.utf8.count) == [16384, 16384, 7233])
        #expect(entries.map(\.isPartial) == [true, true, false])
    }

    @Test func theLogRotatesKeepingMaxFiles() throws {
        let fixture = try MonitorFixture(payload: "i=1; while [ $i -le 60 ]; do echo line-$i; i=$((i+1)); done\n")
        defer { fixture.tearDown() }
        fixture.options.logMaxSize = 300
        fixture.options.logMaxFiles = 3
        try fixture.launch()
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        let log = fixture.options.logFile
        #expect(FileManager.default.fileExists(atPath: log + ".1"))
        #expect(FileManager.default.fileExists(atPath: log + ".2"))
        #expect(!FileManager.default.fileExists(atPath: log + ".3"))
        for file in [log + ".1", log + ".2"] {
            let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            #expect(size >= 300 && size < 300 + 120, "\(file) is \(size) bytes")
        }
        // What is kept is the end of the output, in order.
        let texts = try fixture.logReader.entries().map(\.text)
        let expected = (1...60).map { "line-\($0)\n" }
        #expect(texts.count > 3)
        #expect(Array(expected.suffix(texts.count)) == texts)
    }

    @Test func aSignalIsRecordedAs128PlusItsNumber() throws {
        let fixture = try MonitorFixture(payload: "exec sleep 100\n")
        defer { fixture.tearDown() }
        let result = try fixture.launch()
        try fixture.start()
        #expect(waitUntil { (try? String(contentsOfFile: "/proc/\(result.containerPid)/cmdline", encoding: .utf8))?.hasPrefix("sleep") == true })
        kill(result.containerPid, SIGKILL)
        let record = try #require(fixture.waitForExit())
        #expect(record.exitCode == 137)
        #expect(record.signal == 9)
    }

    @Test func attachGetsFramesAndFeedsStdin() throws {
        let fixture = try MonitorFixture(payload: "cat; echo done >&2\n")
        defer { fixture.tearDown() }
        fixture.options.openStdin = true
        try fixture.launch()
        let client = try AttachClient(path: fixture.options.attachSocketPath, terminal: false)
        defer { client.close() }
        try fixture.start()
        try client.write(Array("hello\n".utf8))
        var chunk = try #require(try client.read())
        #expect(chunk == AttachClient.Chunk(stream: .stdout, bytes: Array("hello\n".utf8)))
        try client.closeStdin()
        chunk = try #require(try client.read())
        #expect(chunk == AttachClient.Chunk(stream: .stderr, bytes: Array("done\n".utf8)))
        #expect(try client.read() == nil) // the container ended: the monitor closes the connection
        #expect(fixture.waitForExit()?.exitCode == 0)
        #expect(try fixture.logReader.entries().map(\.text) == ["hello\n", "done\n"])
    }

    @Test func aClientThatDoesNotReadNeitherBlocksTheMonitorNorLosesLogOutput() throws {
        let fixture = try MonitorFixture(payload: "head -c 3000000 /dev/zero | tr '\\0' y\n")
        defer { fixture.tearDown() }
        try fixture.launch()
        let client = try AttachClient(path: fixture.options.attachSocketPath, terminal: false)
        defer { client.close() }
        try fixture.start()
        #expect(fixture.waitForExit(seconds: 20)?.exitCode == 0)
        let entries = try fixture.logReader.entries()
        #expect(entries.reduce(0) { $0 + $1.text.utf8.count } == 3_000_000)
        #expect(entries.allSatisfy { $0.text.utf8.count <= 16384 })
    }

    @Test func theContainerInheritsOnlyItsStdio() throws {
        let fixture = try MonitorFixture(payload: "ls /proc/self/fd\n")
        defer { fixture.tearDown() }
        fixture.options.openStdin = true
        try fixture.launch()
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        // 3 is ls's own directory fd.
        #expect(try fixture.logReader.entries().map(\.text) == ["0\n", "1\n", "2\n", "3\n"])
    }

    @Test func withoutStdinTheContainerReadsEOF() throws {
        let fixture = try MonitorFixture(payload: "cat; echo after-cat\n")
        defer { fixture.tearDown() }
        try fixture.launch()
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        #expect(try fixture.logReader.entries().map(\.text) == ["after-cat\n"])
    }

    @Test func theMonitorIsDetachedInItsOwnSessionAndParentsTheContainer() throws {
        let fixture = try MonitorFixture(payload: "exec sleep 100\n")
        defer { fixture.tearDown() }
        let result = try fixture.launch()
        let monitor = try #require(result.monitorPid)
        #expect(MonitorFixture.statField(monitor, 4) != String(getpid()))
        #expect(MonitorFixture.statField(monitor, 6) == String(monitor)) // session id: its own session
        #expect(MonitorFixture.statField(result.containerPid, 4) == String(monitor))
        // Only what it needs is open; the sync pipe is gone.
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(monitor)/fd")
        #expect(fds.count <= 10, "\(fds)")
        let rss = MonitorFixture.rss(monitor) ?? -1
        print("stack-monitor VmRSS after create: \(rss) kB")
        try fixture.start()
        kill(result.containerPid, SIGTERM)
        #expect(fixture.waitForExit()?.exitCode == 143) // 128 + SIGTERM
    }

    @Test func aFailingCreateReportsTheRuntimesMessageAndLeavesNoMonitor() throws {
        let fixture = try MonitorFixture(payload: "exit 0\n")
        defer { fixture.tearDown() }
        try "create: bundle is broken\n".write(toFile: fixture.options.bundle + "/fail", atomically: true, encoding: .utf8)
        do {
            try fixture.launch()
            Issue.record("launch succeeded")
        } catch {
            #expect(error.message == "create: bundle is broken")
        }
        #expect(waitUntil(seconds: 2) { fixture.processes().isEmpty }, "\(fixture.processes())")
        #expect(!FileManager.default.fileExists(atPath: fixture.options.monitorPidPath))
        #expect(!FileManager.default.fileExists(atPath: fixture.options.attachSocketPath))
    }

    @Test func aMissingRuntimeIsReported() throws {
        let fixture = try MonitorFixture(payload: "exit 0\n")
        defer { fixture.tearDown() }
        fixture.options.runtime = "/nonexistent/runtime"
        do {
            try fixture.launch()
            Issue.record("launch succeeded")
        } catch {
            #expect(error.message == "exec /nonexistent/runtime: No such file or directory")
        }
    }

    @Test func badArgumentsAreReportedOnTheSyncFD() throws {
        let fixture = try MonitorFixture(payload: "exit 0\n")
        defer { fixture.tearDown() }
        fixture.options.logMaxFiles = 0
        do {
            try fixture.launch()
            Issue.record("launch succeeded")
        } catch {
            #expect(error.message.hasPrefix("--log-max-files: not a count"))
        }
    }
}
