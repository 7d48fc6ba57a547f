import Foundation
import StackCore
import Testing

@testable import Monitor

@Suite struct RecordTests {
    @Test func exitRecordOfASignal() throws {
        let record = try ExitRecord.decode(Data(#"{"pid":1234,"exitCode":137,"signal":9,"finishedAt":"2026-11-29T08:00:00.123456789Z"}"#.utf8))
        #expect(record == ExitRecord(pid: 1234, exitCode: 137, signal: 9, finishedAt: "2026-11-29T08:00:00.123456789Z"))
        let date = try #require(record.finishedDate)
        #expect(abs(date.timeIntervalSince1970 - 1_795_939_200.123456789) < 1e-5)
    }

    @Test func exitRecordOfAnExit() throws {
        let record = try ExitRecord.decode(Data(#"{"pid":7,"exitCode":3,"finishedAt":"2026-11-29T08:00:00Z"}"#.utf8))
        #expect(record.exitCode == 3)
        #expect(record.signal == nil)
    }

    @Test func exitRecordAbsentOrBroken() throws {
        let directory = try makeTemporaryDirectory("stack-monitor-exit")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try ExitRecord.read(directory: directory) == nil)
        try "{\"pid\":".write(toFile: directory + "/exit.json", atomically: true, encoding: .utf8)
        #expect(throws: StackError.self) { try ExitRecord.read(directory: directory) }
        try #"{"pid":5,"exitCode":0,"finishedAt":"2026-11-29T08:00:00Z"}"#.write(
            toFile: directory + "/exit.json", atomically: true, encoding: .utf8)
        #expect(try ExitRecord.read(directory: directory)?.pid == 5)
    }

    @Test func rfc3339() throws {
        #expect(RFC3339.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970 == 0)
        #expect(RFC3339.parse("1970-01-02T01:00:00+01:00")?.timeIntervalSince1970 == 86400)
        #expect(RFC3339.parse("2000-03-01T00:00:00.5Z")?.timeIntervalSince1970 == 951_868_800.5)
        #expect(RFC3339.parse("2026-11-29 08:00:00Z") == nil)
        #expect(RFC3339.parse("2026-11-29T08:00:00") == nil)
        #expect(RFC3339.parse("2026-13-29T08:00:00Z") == nil)
        #expect(RFC3339.parse("2026-11-29T08:00:00.Z") == nil)
    }

    @Test func syncLines() throws {
        #expect(try MonitorLauncher.parseSync(Array(#"{"pid":42}"#.utf8), firstProcessStatus: 0) == 42)
        do {
            _ = try MonitorLauncher.parseSync(Array(#"{"error":"create: no such bundle"}"#.utf8), firstProcessStatus: 0)
            Issue.record("no error thrown")
        } catch {
            #expect(error.message == "create: no such bundle")
        }
        do {
            _ = try MonitorLauncher.parseSync([], firstProcessStatus: 9)
            Issue.record("no error thrown")
        } catch {
            #expect(error.message.contains("killed by signal 9"))
        }
    }

    @Test func optionsBecomeTheContractsArguments() {
        let options = MonitorOptions(
            id: "abc", bundle: "/b", runtime: "/rt", runtimeRoot: "/r", directory: "/d", logFile: "/d/abc-json.log",
            logMaxSize: 1024, logMaxFiles: 3, openStdin: true, terminal: true)
        #expect(options.arguments(syncFD: 3) == [
            "--id", "abc", "--bundle", "/b", "--runtime", "/rt", "--runtime-root", "/r", "--dir", "/d",
            "--log-file", "/d/abc-json.log", "--log-max-size", "1024", "--log-max-files", "3", "--stdin", "--terminal",
            "--sync-fd", "3",
        ])
    }
}
