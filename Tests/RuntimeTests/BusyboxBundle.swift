import Cgroups
import Foundation
import RuntimeSpec

/// A bundle with a busybox rootfs, a state root and a unique id, made at test time and removed
/// by `tearDown()` (which also force-deletes the container).
struct BusyboxBundle {
    static var privileged: Bool { geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/busybox") }

    let directory: String
    let root: String
    let id: String

    init(args: [String], change: (inout Spec) -> Void = { _ in }) throws {
        let template = NSTemporaryDirectory() + "stack-runtime-test-XXXXXX"
        var buffer = Array(template.utf8CString)
        guard let made = mkdtemp(&buffer) else { throw POSIXError(.EIO) }
        directory = String(cString: made)
        root = directory + "/state"
        id = "rt-\(UInt32.random(in: 0...UInt32.max))"
        let bin = directory + "/rootfs/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: directory + "/rootfs/tmp", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: bin + "/busybox")
        let list = try Self.capture("/bin/busybox", ["--list"])
        for applet in list.split(separator: "\n") where applet != "busybox" {
            try FileManager.default.createSymbolicLink(atPath: bin + "/" + applet, withDestinationPath: "busybox")
        }
        var spec = DefaultSpec.make()
        spec.process?.terminal = false
        spec.process?.args = args
        change(&spec)
        try write(spec)
    }

    func write(_ spec: Spec) throws {
        try SpecLoader.encode(spec).write(toFile: directory + "/config.json", atomically: true, encoding: .utf8)
    }

    /// The stack-runtime binary next to the test bundle.
    static var binary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.path.hasSuffix(".xctest") || dir.path.contains(".xctest/") {
            while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        }
        return dir.appendingPathComponent("stack-runtime").path
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Run stack-runtime with `--root` and the arguments; output goes through files, since a
    /// created container keeps the runtime's stdio open.
    func runtime(_ arguments: [String]) throws -> Result {
        let out = directory + "/out-\(UUID().uuidString)"
        let err = out + ".err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--root", root] + arguments
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    func run() throws -> Result { try runtime(["run", "--bundle", directory, id]) }

    func status() throws -> String? {
        let result = try runtime(["state", id])
        guard result.status == 0, let data = result.stdout.data(using: .utf8),
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["status"] as? String
    }

    /// The container's cgroup directory in the memory (v1) or unified hierarchy.
    var cgroupDirectories: [String] {
        ["/sys/fs/cgroup/memory/stack-runtime/\(id)", "/sys/fs/cgroup/unified/stack-runtime/\(id)",
         "/sys/fs/cgroup/stack-runtime/\(id)", "/sys/fs/cgroup/pids/stack-runtime/\(id)"]
    }

    /// What is left of the container on the host: mounts under the bundle, cgroups, the state
    /// directory, processes whose command line names the bundle.
    func leftovers() -> [String] {
        var found: [String] = []
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        for line in mountinfo.split(separator: "\n") where line.contains(directory) { found.append("mount: \(line)") }
        for path in cgroupDirectories where FileManager.default.fileExists(atPath: path) { found.append("cgroup: \(path)") }
        if FileManager.default.fileExists(atPath: root + "/" + id) { found.append("state: \(root)/\(id)") }
        for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] where Int(pid) != nil {
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
            let command = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if command.contains(directory) { found.append("process \(pid): \(command)") }
        }
        return found
    }

    func tearDown() {
        _ = try? runtime(["delete", "--force", id])
        try? FileManager.default.removeItem(atPath: directory)
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

    /// The memory limit file as the container sees it for this host's layout.
    static var memoryLimitFileInContainer: String {
        if case .unified = try? CgroupLayout.detect() { return "/sys/fs/cgroup/memory.max" }
        return "/sys/fs/cgroup/memory/memory.limit_in_bytes"
    }
}
