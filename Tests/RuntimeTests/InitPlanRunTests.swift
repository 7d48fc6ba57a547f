import CRuntime
import ContainerInit
import Foundation
import LinuxOS
import StackCore
import Testing

/// `cr_init_run` for real, unprivileged: plans without namespaces run in a spawned child inside a
/// temporary directory, and what they did (files, the sync socket's lines, the exit status) is
/// checked.
@Suite struct InitPlanRunTests {
    struct Outcome {
        var lines: [String]
        var status: Int32
        var stderr: String
    }

    /// Spawn a child that runs `steps` with the sync socket at fd 3 and stderr in a file.
    func run(_ steps: [InitStep], in directory: String) throws -> Outcome {
        try run(encoded: InitPlan(steps).encoded(), in: directory)
    }

    func run(encoded: [UInt8], in directory: String) throws -> Outcome {
        var fds: [Int32] = [-1, -1]
        _ = fds.withUnsafeMutableBufferPointer { cr_socketpair($0.baseAddress) }
        defer { close(fds[0]) }
        let stderrPath = directory + "/stderr"
        let errorFD = open(stderrPath, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0o600)
        defer { close(errorFD) }
        var request = SpawnRequest(initPlan: encoded)
        request.fds = [FDMapping(from: fds[1], to: InitStep.syncFD), FDMapping(from: errorFD, to: 2)]
        let spawned = try Spawner().spawn(request)
        close(fds[1])
        try spawned.release()
        let channel = LineChannel(fd: fds[0])
        var lines: [String] = []
        while let line = try channel.readLine() { lines.append(String(decoding: line, as: UTF8.self)) }
        var status: Int32 = 0
        _ = waitpid(spawned.pid, &status, 0)
        let code = cr_wifexited(status) != 0 ? cr_wexitstatus(status) : 128 + cr_wtermsig(status)
        let text = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        return Outcome(lines: lines, status: code, stderr: text)
    }

    func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "init-plan-run-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func exec(_ arguments: [String]) -> InitStep {
        InitStep(.exec, a: UInt64(arguments.count), b: 1, strings: arguments + ["PATH=/usr/bin:/bin"])
    }

    @Test func filesLookupCreatedAndExec() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try run([
            InitStep(.mkdir, flags: .parents, a: 0o755, strings: [directory + "/a/b//c/"]),
            InitStep(.makeFile, strings: [directory + "/d/e/file"]),
            InitStep(.symlink, strings: ["file", directory + "/d/e/link"]),
            InitStep(.symlink, strings: ["file", directory + "/d/e/link"]),  // EEXIST is fine
            InitStep(.writeFile, strings: [directory + "/d/e/file", "hello"]),
            InitStep(.chdir, strings: [directory]),
            InitStep(.lookup, strings: ["sh", "/nonexistent::/bin"]),
            InitStep(.created),
            exec(["sh", "-c", "echo ran > done"]),
        ], in: directory)
        #expect(outcome.lines == [#"{"type":"created"}"#])
        #expect(outcome.status == 0)
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: directory + "/a/b/c", isDirectory: &isDirectory) && isDirectory.boolValue)
        #expect(try String(contentsOfFile: directory + "/d/e/link", encoding: .utf8) == "hello")
        #expect(try String(contentsOfFile: directory + "/done", encoding: .utf8) == "ran\n")
    }

    @Test func aFailureBeforeCreatedIsOneJSONLineNamingTheStep() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try run([
            InitStep(.bind, a: 4096, strings: ["mount /data", directory + "/missing", directory + "/target"]),
            InitStep(.created),
            exec(["true"]),
        ], in: directory)
        #expect(outcome.status == 127)
        let line = try #require(outcome.lines.first)
        #expect(try SyncMessage.parse(Array(line.utf8)) == SyncMessage(
            .error, message: "mount /data: bind source \(directory)/missing: ENOENT (No such file or directory)"))
    }

    @Test func aProgramNotInPathIsReportedAsDockerDoes() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outcome = try run(
            [InitStep(.lookup, strings: ["no-such-program", "/bin"]), InitStep(.created), exec(["x"])], in: directory)
        #expect(outcome.lines.map { try? SyncMessage.parse(Array($0.utf8)).message } == [
            #"exec: "no-such-program": executable file not found in $PATH"#
        ])
    }

    @Test func anExecFailureAfterCreatedGoesToStderrWithStatus126() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = FileManager.default.createFile(atPath: directory + "/script", contents: Data("#!/bin/sh\n".utf8))
        let outcome = try run([
            InitStep(.lookup, strings: [directory + "/script", "/bin"]), InitStep(.created), exec([directory + "/script"]),
        ], in: directory)
        #expect(outcome.lines == [#"{"type":"created"}"#])
        #expect(outcome.status == 126)
        #expect(outcome.stderr == "stack-runtime init: exec \(directory)/script: EACCES (Permission denied)\n")
    }

    @Test func aMalformedPlanDoesNothing() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // The last step cut short: refused before the first one runs.
        let plan = InitPlan([InitStep(.mkdir, a: 0o755, strings: [directory + "/made"]), exec(["true"])]).encoded()
        let outcome = try run(encoded: Array(plan.dropLast(16)), in: directory)
        #expect(outcome.status == 127)
        #expect(outcome.lines.first?.contains("init plan: EINVAL") == true)
        #expect(!FileManager.default.fileExists(atPath: directory + "/made"))
    }
}
