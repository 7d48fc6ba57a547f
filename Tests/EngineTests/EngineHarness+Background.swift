import Foundation

/// The `stack` CLI running in the background (a foreground `up` a test signals), its output
/// going to files of the test's directory.
final class BackgroundStack: @unchecked Sendable {
    let process: Process
    let stdoutPath: String
    let stderrPath: String

    init(process: Process, stdoutPath: String, stderrPath: String) {
        self.process = process
        self.stdoutPath = stdoutPath
        self.stderrPath = stderrPath
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Send `number` to the CLI.
    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// Its exit status once it ends within `seconds`; nil if it still runs (then it is killed).
    func wait(_ seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }
}

extension EngineHarness {
    /// Start the `stack` CLI with this engine's environment and return at once.
    func startStack(_ arguments: [String]) throws -> BackgroundStack {
        let stem = directory + "/bg-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: stem + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: stem + ".err", contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaries + "/stack")
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stem + ".err"))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return BackgroundStack(process: process, stdoutPath: stem + ".out", stderrPath: stem + ".err")
    }
}
