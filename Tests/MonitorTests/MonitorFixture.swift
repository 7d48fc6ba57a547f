import Foundation
import RuntimeSpec
import StackCore

@testable import Monitor

/// A container directory, a bundle and a runtime for one monitor under test, in a temp directory
/// removed by `tearDown()` (which also kills what is left of the monitor and the container).
///
/// Two runtimes: a shell-script fake that "creates" a backgrounded `sh` waiting for `BUNDLE/go`
/// and then running `BUNDLE/payload` (no privileges needed), and the real `stack-runtime` with a
/// busybox rootfs (root only).
final class MonitorFixture {
    enum Kind { case fake, busybox }

    let kind: Kind
    let root: String
    let id: String
    var options: MonitorOptions
    var result: MonitorResult?

    static var buildDirectory: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.path
    }

    static var privileged: Bool {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/busybox")
            && FileManager.default.isExecutableFile(atPath: buildDirectory + "/stack-runtime")
    }

    /// A fake-runtime container whose payload is the shell script `payload`.
    convenience init(payload: String) throws {
        try self.init(kind: .fake)
        try payload.write(toFile: options.bundle + "/payload", atomically: true, encoding: .utf8)
    }

    /// A busybox container running `args` (with a pty when `terminal`).
    convenience init(busybox args: [String], terminal: Bool = false) throws {
        try self.init(kind: .busybox)
        let bin = options.bundle + "/rootfs/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: options.bundle + "/rootfs/tmp", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: bin + "/busybox")
        for applet in try Self.capture("/bin/busybox", ["--list"]).split(separator: "\n") where applet != "busybox" {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + applet, withDestinationPath: "busybox")
        }
        var spec = DefaultSpec.make()
        spec.process?.terminal = terminal
        spec.process?.args = args
        try SpecLoader.encode(spec).write(toFile: options.bundle + "/config.json", atomically: true, encoding: .utf8)
        options.terminal = terminal
    }

    private init(kind: Kind) throws {
        self.kind = kind
        root = try makeTemporaryDirectory("stack-monitor-test")
        id = "mon-\(UInt32.random(in: 0...UInt32.max))"
        let bundle = root + "/bundle"
        let directory = root + "/container"
        try FileManager.default.createDirectory(atPath: bundle, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var runtime = Self.buildDirectory + "/stack-runtime"
        if kind == .fake {
            runtime = root + "/fake-runtime"
            try Self.fakeRuntime.write(toFile: runtime, atomically: true, encoding: .utf8)
            chmod(runtime, 0o755)
        }
        options = MonitorOptions(
            id: id, bundle: bundle, runtime: runtime, runtimeRoot: root + "/state", directory: directory,
            logFile: directory + "/\(id)-json.log")
    }

    /// runc's create as far as the monitor can tell: stdio inherited by the "container" (through fd 3:
    /// a background job's stdin is /dev/null before its own redirections apply), its pid in --pid-file, the runtime gone. BUNDLE/fail makes create fail with its text on stderr.
    static let fakeRuntime = #"""
        #!/bin/sh
        while [ $# -gt 0 ]; do
            case "$1" in
            --bundle) bundle=$2; shift ;;
            --pid-file) pidfile=$2; shift ;;
            esac
            shift
        done
        if [ -e "$bundle/fail" ]; then cat "$bundle/fail" >&2; exit 1; fi
        exec 3<&0
        sh -c 'while [ ! -e "$1/go" ]; do sleep 0.01; done; exec sh "$1/payload"' sh "$bundle" <&3 3<&- &
        echo $! > "$pidfile"
        """#

    @discardableResult
    func launch() throws(StackError) -> MonitorResult {
        let launched = try MonitorLauncher(binary: Self.buildDirectory + "/stack-monitor").launch(options)
        result = launched
        return launched
    }

    /// What `stack-runtime start` does: the payload runs.
    func start() throws {
        switch kind {
        case .fake:
            _ = FileManager.default.createFile(atPath: options.bundle + "/go", contents: nil)
        case .busybox:
            let status = try Self.run(options.runtime, ["--root", options.runtimeRoot, "start", id])
            if status != 0 { throw StackError(.system, "stack-runtime start exited with \(status)") }
        }
    }

    /// The exit record, once the monitor wrote it.
    func waitForExit(seconds: Double = 10) -> ExitRecord? {
        var record: ExitRecord?
        _ = waitUntil(seconds: seconds) {
            record = try? ExitRecord.read(directory: options.directory)
            return record != nil
        }
        return record
    }

    /// Waits until the monitor process is gone.
    func waitForMonitorExit() -> Bool {
        guard let pid = result?.monitorPid else { return true }
        return waitUntil { kill(pid, 0) != 0 || Self.isZombie(pid) }
    }

    var logReader: JSONFileLogReader { JSONFileLogReader(path: options.logFile) }

    /// Processes whose command line names this fixture's directory (the monitor, the payload).
    func processes() -> [String] {
        var found: [String] = []
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int32(pid) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !Self.isZombie(Int32(pid) ?? 0)
            else { continue }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if command.contains(root) { found.append("\(pid): \(command)") }
        }
        return found
    }

    /// Field `index` (1-based, as in proc(5)) of /proc/PID/stat.
    static func statField(_ pid: Int32, _ index: Int) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return index >= 3 && index - 3 < fields.count ? String(fields[index - 3]) : nil
    }

    static func isZombie(_ pid: Int32) -> Bool { statField(pid, 3) == "Z" }

    /// VmRSS of a process in kB.
    static func rss(_ pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    func tearDown() {
        if kind == .busybox {
            _ = try? Self.run(options.runtime, ["--root", options.runtimeRoot, "delete", "--force", id])
        }
        if let result {
            kill(result.containerPid, SIGKILL)
            if let monitor = result.monitorPid { _ = waitUntil(seconds: 5) { kill(monitor, 0) != 0 } }
        }
        for line in processes() {
            if let pid = Int32(line.prefix(while: { $0 != ":" })) { kill(pid, SIGKILL) }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    @discardableResult
    static func run(_ path: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func capture(_ path: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
