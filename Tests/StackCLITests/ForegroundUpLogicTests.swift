import ArgumentParser
import StackModel
import Testing

@testable import stack

/// The pure parts of the foreground `up`: stop waves, which services are shown and waited for,
/// line cutting and the timestamps it compares.
@Suite struct ForegroundUpLogicTests {
    @Test func stopWavesGoInReverseDependencyOrder() {
        // db <- cache <- web <- worker, and web needs db too; proxy stands alone.
        let waves = ProjectStopper.waves([
            ("db", []), ("proxy", []), ("cache", ["db"]), ("web", ["db", "cache"]), ("worker", ["web", "missing"]),
        ])
        #expect(waves == [["proxy", "worker"], ["web"], ["cache"], ["db"]])
        #expect(ProjectStopper.waves([("a", []), ("b", [])]) == [["a", "b"]], "independent services stop together")
    }

    func project() -> Project {
        Project(
            name: "demo", workingDirectory: "/tmp",
            services: [Service(name: "a", image: "x"), Service(name: "b", image: "x"), Service(name: "c", image: "x")])
    }

    func flags(
        services: [String] = [], attach: [String] = [], noAttach: [String] = [], attachDependencies: Bool = false,
        abortOnExit: Bool = false, abortOnFailure: Bool = false, exitCodeFrom: String? = nil
    ) -> ForegroundOptions.Flags {
        ForegroundOptions.Flags(
            services: services, attach: attach, noAttach: noAttach, attachDependencies: attachDependencies,
            abortOnExit: abortOnExit, abortOnFailure: abortOnFailure, exitCodeFrom: exitCodeFrom, timeout: nil,
            noLogPrefix: false, noColor: true)
    }

    @Test func attachedAndWatchedServices() throws {
        let all = try ForegroundOptions(flags(), project: project())
        #expect(all.attach == ["a", "b", "c"] && all.watch == ["a", "b", "c"] && all.cascade == .ignore)
        let named = try ForegroundOptions(flags(services: ["a"]), project: project())
        #expect(named.attach == ["a"] && named.watch == ["a"], "dependencies are not attached by default")
        let withDependencies = try ForegroundOptions(flags(services: ["a"], attachDependencies: true), project: project())
        #expect(withDependencies.attach == ["a", "b", "c"] && withDependencies.watch == ["a"])
        let chosen = try ForegroundOptions(flags(services: ["a"], attach: ["b"]), project: project())
        #expect(chosen.attach == ["b"] && chosen.watch == ["a"])
        let quiet = try ForegroundOptions(flags(noAttach: ["a"]), project: project())
        #expect(quiet.attach == ["b", "c"] && quiet.watch == ["b", "c"])
        let none = try ForegroundOptions(flags(noAttach: ["a", "b", "c"]), project: project())
        #expect(none.attach.isEmpty && none.watch == ["a", "b", "c"], "nothing attached: all are waited for")
        #expect(throws: ExitCode.self) { try ForegroundOptions(flags(attach: ["nope"]), project: project()) }
    }

    @Test func cascadeFromTheFlags() throws {
        #expect(try ForegroundOptions(flags(abortOnExit: true), project: project()).cascade == .stop)
        #expect(try ForegroundOptions(flags(abortOnFailure: true), project: project()).cascade == .fail)
        let code = try ForegroundOptions(flags(exitCodeFrom: "b"), project: project())
        #expect(code.cascade == .stop && code.exitCodeFrom == "b", "--exit-code-from implies --abort-on-container-exit")
        #expect(try ForegroundOptions(flags(abortOnFailure: true, exitCodeFrom: "b"), project: project()).cascade == .fail)
        #expect(throws: ExitCode.self) { try ForegroundOptions(flags(exitCodeFrom: "nope"), project: project()) }
    }

    @Test func upFlagCombinationsAsCompose() throws {
        #expect(throws: (any Error).self) { try UpCommand.parse(["-d", "--abort-on-container-exit"]) }
        #expect(throws: (any Error).self) { try UpCommand.parse(["--abort-on-container-exit", "--abort-on-container-failure"]) }
        #expect(throws: (any Error).self) { try UpCommand.parse(["--wait", "--exit-code-from", "a"]) }
        #expect(throws: (any Error).self) { try UpCommand.parse(["--attach", "a", "--attach-dependencies"]) }
        #expect(throws: (any Error).self) { try UpCommand.parse(["--build", "--no-build"]) }
        // --exit-code-from with --abort-on-container-failure is allowed (failures alone abort).
        _ = try UpCommand.parse(["--exit-code-from", "a", "--abort-on-container-failure"])
        // --menu is accepted with or without a value; a value that is not a boolean is a service.
        #expect(try UpCommand.parse(["--menu=false", "web"]).allServices == ["web"])
        #expect(try UpCommand.parse(["--menu"]).allServices == [])
        #expect(try UpCommand.parse(["--menu", "web", "db"]).allServices == ["web", "db"])
    }

    @Test func linesAreCutWhole() {
        var splitter = LineSplitter()
        var lines: [String] = []
        splitter.feed(Array("one\ntw".utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
        splitter.feed(Array("o\nthree".utf8)) { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == ["one\n", "two\n"])
        splitter.flush { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == ["one\n", "two\n", "three"])
    }

    @Test func timestampsCompareAsText() {
        #expect(RFC3339Text.format(nanoseconds: 1_764_400_000_000_000_042) == "2025-11-29T07:06:40.000000042Z")
        #expect(RFC3339Text.format(seconds: 0.5) == "1970-01-01T00:00:00.500000000Z")
        let earlier = RFC3339Text.format(nanoseconds: 1_764_400_000_999_999_999)
        let later = RFC3339Text.format(nanoseconds: 1_764_400_001_000_000_000)
        #expect(earlier < later)
    }

    @Test func prefixesPadAndColour() {
        let plain = LogPrefix(width: 8, colour: false, none: false)
        #expect(String(decoding: plain.bytes(name: "web-1", index: 0), as: UTF8.self) == "web-1    | ")
        #expect(String(decoding: plain.status(name: "web-1", index: 0, "exited with code 0"), as: UTF8.self) == "web-1 exited with code 0\n")
        let coloured = LogPrefix(width: 5, colour: true, none: false)
        #expect(String(decoding: coloured.bytes(name: "web-1", index: 1), as: UTF8.self) == "\u{1B}[32mweb-1 |\u{1B}[0m ")
        #expect(LogPrefix(width: 5, colour: true, none: true).bytes(name: "web-1", index: 0).isEmpty)
    }
}
