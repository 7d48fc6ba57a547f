import Foundation
import Testing

/// Runs the built `stack` binary as a user would and checks its output and exit status.
@Suite struct ConfigCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `stack` executable next to the test bundle in the build directory.
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("stack").path
    }

    func run(_ arguments: [String], files: [String: String], env: [String: String] = [:]) throws -> Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stack-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": dir.path].merging(env) { _, new in new }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    let valid = """
        services:
          web:
            image: nginx:${TAG:-1.27}
            ports: ["8080:80"]
            environment: [MODE=dev]
            profiles: [front]
          db:
            image: postgres
        """

    @Test func printsTheNormalizedStack() throws {
        let result = try run(["config", "--profile", "front"], files: ["compose.yaml": valid])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("image: nginx:1.27"))
        #expect(result.stdout.contains("published: \"8080\""))
        #expect(result.stdout.contains("MODE: dev"))
        #expect(result.stdout.hasPrefix("name: "))
    }

    @Test func jsonIsValidAndComplete() throws {
        let result = try run(["config", "--format", "json"], files: ["compose.yaml": valid], env: ["TAG": "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let services = object?["services"] as? [String: Any]
        #expect(services?.keys.sorted() == ["db"])
        #expect((object?["networks"] as? [String: Any])?["default"] != nil)
    }

    @Test func listsNames() throws {
        let result = try run(["config", "--services", "--profile", "front"], files: ["compose.yaml": valid])
        #expect(result.stdout == "db\nweb\n")
        let profiles = try run(["config", "--profiles"], files: ["compose.yaml": valid])
        #expect(profiles.stdout == "front\n")
    }

    @Test func invalidFileExitsTwoWithPosition() throws {
        let result = try run(
            ["config"], files: ["compose.yaml": "services:\n  web:\n    image: x\n    portz: [80]\n"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("compose.yaml:4:5"))
        #expect(result.stderr.contains("did you mean 'ports'"))
        #expect(result.stdout.isEmpty)
    }

    @Test func strictTurnsWarningsIntoErrors() throws {
        let files = ["compose.yaml": "services:\n  web:\n    image: x\n    gpus: all\n"]
        let relaxed = try run(["config", "-q"], files: files)
        #expect(relaxed.status == 0)
        #expect(relaxed.stderr.contains("gpus"))
        #expect(relaxed.stdout.isEmpty)
        let strict = try run(["config", "-q", "--strict"], files: files)
        #expect(strict.status == 2)
    }

    @Test func missingFileIsAUsageError() throws {
        let result = try run(["-f", "nope.yaml", "config"], files: [:])
        #expect(result.status == 2)
        #expect(result.stderr.contains("nope.yaml"))
    }
}
