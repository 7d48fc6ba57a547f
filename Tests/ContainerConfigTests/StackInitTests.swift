import Foundation
import Testing

/// Runs the built `stack-init` (next to the test bundle) outside any container.
@Suite struct StackInitTests {
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("stack-init").path
    }

    /// Starts stack-init with `arguments`; returns the process and its stdout pipe.
    func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, output)
    }

    @Test func isStatic() throws {
        let data = try #require(FileManager.default.contents(atPath: Self.binary))
        let text = String(decoding: data.prefix(1 << 20), as: UTF8.self)
        // A dynamic executable names its interpreter (PT_INTERP) near the start of the file.
        #expect(!text.contains("/lib64/ld-linux") && !text.contains("/lib/ld-linux"))
    }

    @Test func exitStatusPassesThrough() throws {
        let (process, _) = try start(["--", "/bin/sh", "-c", "exit 3"])
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 3)
        let (ok, out) = try start(["--", "/bin/sh", "-c", "echo hello"])
        ok.waitUntilExit()
        #expect(ok.terminationStatus == 0)
        #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) == "hello\n")
    }

    @Test func missingProgramAndUsage() throws {
        let (missing, _) = try start(["--", "/nonexistent/program"])
        missing.waitUntilExit()
        #expect(missing.terminationStatus == 127)
        let (usage, _) = try start([])
        usage.waitUntilExit()
        #expect(usage.terminationStatus == 125)
    }

    @Test func forwardsSignals() throws {
        // The child prints "ready" once it sleeps; SIGTERM to stack-init must end the child: 128+15.
        let (process, output) = try start(["--", "/bin/sh", "-c", "echo ready; exec sleep 30"])
        let line = output.fileHandleForReading.availableData
        #expect(String(decoding: line, as: UTF8.self) == "ready\n")
        usleep(100_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 128 + SIGTERM)

        let (usr1, usr1Output) = try start(["--", "/bin/sh", "-c", "trap 'exit 42' USR1; echo ready; while :; do sleep 0.05; done"])
        _ = usr1Output.fileHandleForReading.availableData
        usleep(100_000)
        kill(usr1.processIdentifier, SIGUSR1)
        usr1.waitUntilExit()
        #expect(usr1.terminationStatus == 42)
    }

    @Test func reapsOrphans() throws {
        // The child leaves a grandchild behind (orphaned to stack-init, a subreaper) and the grandchild
        // exits; stack-init must reap it. Its zombie would show in /proc as stack-init's child in state Z.
        let (process, output) = try start([
            "--", "/bin/sh", "-c", "(sleep 0.2; exit 0) & echo $!; sleep 0.6; exit 5",
        ])
        let pidText = String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        let orphan = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        // Wait until the grandchild exited, before stack-init's child does.
        usleep(450_000)
        let stat = (try? String(contentsOfFile: "/proc/\(orphan)/stat", encoding: .utf8)) ?? ""
        #expect(!stat.contains(") Z "), "grandchild left as a zombie: \(stat)")
        process.waitUntilExit()
        #expect(process.terminationStatus == 5)
    }
}
