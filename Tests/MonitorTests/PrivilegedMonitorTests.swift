import Foundation
import StackCore
import Testing

@testable import Monitor

/// The monitor with the real stack-runtime and a busybox container (root only).
@Suite(.enabled(if: MonitorFixture.privileged, "needs root, /bin/busybox and a built stack-runtime"))
struct PrivilegedMonitorTests {
    @Test func echoesLandInTheLogAndTheExitCodeIsRecorded() throws {
        let fixture = try MonitorFixture(busybox: ["sh", "-c", "echo to-stdout; echo to-stderr >&2; exit 3"])
        defer { fixture.tearDown() }
        let result = try fixture.launch()
        let monitor = try #require(result.monitorPid)
        print("stack-monitor VmRSS (busybox container created): \(MonitorFixture.rss(monitor) ?? -1) kB")
        #expect(MonitorFixture.statField(result.containerPid, 4) == String(monitor))
        try fixture.start()
        let record = try #require(fixture.waitForExit())
        #expect(record.exitCode == 3)
        #expect(record.pid == result.containerPid)
        let entries = try fixture.logReader.entries()
        #expect(entries.map(\.text) == ["to-stdout\n", "to-stderr\n"])
        #expect(entries.map(\.stream) == [.stdout, .stderr])
    }

    @Test func sigkillIsRecordedAs137() throws {
        let fixture = try MonitorFixture(busybox: ["sleep", "100"])
        defer { fixture.tearDown() }
        let result = try fixture.launch()
        try fixture.start()
        if let monitor = result.monitorPid {
            print("stack-monitor VmRSS (busybox container running): \(MonitorFixture.rss(monitor) ?? -1) kB")
        }
        try MonitorFixture.run(fixture.options.runtime, ["--root", fixture.options.runtimeRoot, "kill", fixture.id, "KILL"])
        let record = try #require(fixture.waitForExit())
        #expect(record.exitCode == 137)
        #expect(record.signal == 9)
    }

    @Test func aTinyMaxSizeRotates() throws {
        let fixture = try MonitorFixture(busybox: ["sh", "-c", "for i in $(seq 1 40); do echo line-$i; done"])
        defer { fixture.tearDown() }
        fixture.options.logMaxSize = 200
        fixture.options.logMaxFiles = 2
        try fixture.launch()
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: fixture.options.logFile + ".1"))
        #expect(!FileManager.default.fileExists(atPath: fixture.options.logFile + ".2"))
        #expect(try fixture.logReader.entries().last?.text == "line-40\n")
    }

    @Test func attachReceivesOutputAndStdinReachesCat() throws {
        let fixture = try MonitorFixture(busybox: ["sh", "-c", "cat; echo bye >&2"])
        defer { fixture.tearDown() }
        fixture.options.openStdin = true
        try fixture.launch()
        let client = try AttachClient(path: fixture.options.attachSocketPath, terminal: false)
        defer { client.close() }
        try fixture.start()
        try client.write(Array("ping\n".utf8))
        #expect(try client.read() == AttachClient.Chunk(stream: .stdout, bytes: Array("ping\n".utf8)))
        try client.closeStdin()
        #expect(try client.read() == AttachClient.Chunk(stream: .stderr, bytes: Array("bye\n".utf8)))
        #expect(try client.read() == nil)
        #expect(fixture.waitForExit()?.exitCode == 0)
    }

    @Test func theMonitorOutlivesItsLauncher() throws {
        // The launcher is this test process; what matters is that the monitor is not its child and
        // has its own session, so killing the launcher (stackd) with -9 leaves it running.
        let fixture = try MonitorFixture(busybox: ["sh", "-c", "sleep 0.3; echo still-logging"])
        defer { fixture.tearDown() }
        let result = try fixture.launch()
        let monitor = try #require(result.monitorPid)
        #expect(MonitorFixture.statField(monitor, 4) != String(getpid()))
        #expect(MonitorFixture.statField(monitor, 6) == String(monitor))
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        #expect(try fixture.logReader.entries().map(\.text) == ["still-logging\n"])
    }

    @Test func aTerminalIsResizedThroughTheControlSocket() throws {
        let fixture = try MonitorFixture(busybox: ["sh", "-c", "sleep 0.2; stty size"], terminal: true)
        defer { fixture.tearDown() }
        try fixture.launch()
        try ControlClient(path: fixture.options.controlSocketPath).resize(rows: 33, cols: 101)
        usleep(100_000)
        try fixture.start()
        #expect(fixture.waitForExit()?.exitCode == 0)
        let text = try fixture.logReader.entries().map(\.text).joined()
        #expect(text == "33 101\r\n")
    }

    @Test func attachToATerminalIsRaw() throws {
        let fixture = try MonitorFixture(busybox: ["sh", "-c", "read line; echo got-$line"], terminal: true)
        defer { fixture.tearDown() }
        fixture.options.openStdin = true
        try fixture.launch()
        let client = try AttachClient(path: fixture.options.attachSocketPath, terminal: true)
        defer { client.close() }
        try fixture.start()
        try client.write(Array("abc\n".utf8))
        var output: [UInt8] = []
        while let chunk = try client.read() {
            #expect(chunk.stream == .stdout)
            output += chunk.bytes
        }
        // The pty echoes the input and turns newlines into CR LF.
        #expect(String(decoding: output, as: UTF8.self) == "abc\r\ngot-abc\r\n")
        #expect(fixture.waitForExit()?.exitCode == 0)
        #expect(try fixture.logReader.entries().map(\.text).joined() == "abc\r\ngot-abc\r\n")
    }

    @Test func aFailingCreateGivesTheRuntimesErrorAndNoMonitor() throws {
        let fixture = try MonitorFixture(busybox: ["true"])
        defer { fixture.tearDown() }
        try FileManager.default.removeItem(atPath: fixture.options.bundle + "/config.json")
        do {
            try fixture.launch()
            Issue.record("launch succeeded")
        } catch {
            #expect(error.message.contains("config.json"), "\(error.message)")
        }
        #expect(waitUntil(seconds: 2) { fixture.processes().isEmpty }, "\(fixture.processes())")
        #expect(!FileManager.default.fileExists(atPath: fixture.options.monitorPidPath))
    }
}
