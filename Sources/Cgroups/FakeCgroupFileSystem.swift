#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import StackCore
import Synchronization

/// One operation seen by `FakeCgroupFileSystem`, in order.
public enum FakeCgroupOperation: Sendable, Equatable, CustomStringConvertible {
    case write(String, String)
    case mkdir(String)
    case rmdir(String)

    /// The kinds of operation a failure can be injected into.
    public enum Kind: Sendable, Equatable { case read, write, mkdir, rmdir }

    public var description: String {
        switch self {
        case .write(let path, let value): return "write \(path) \(value)"
        case .mkdir(let path): return "mkdir \(path)"
        case .rmdir(let path): return "rmdir \(path)"
        }
    }
}

/// A stand-in for cgroupfs: a real directory tree in a temp directory, with the few kernel
/// behaviours the managers rely on, and a log of every change.
///
/// Register mounts first (`addLegacyMount`, `addUnifiedMount`); then `mkdir` below a mount gives the
/// new directory its control files, as the kernel does:
/// - legacy: the mount's `childFiles` (`cpuset.cpus`/`cpuset.mems` start empty);
/// - unified: `cgroup.controllers` from the parent's `cgroup.subtree_control`, and the template files
///   of the controllers available there; writes to `cgroup.subtree_control` are `+c`/`-c` edits
///   (ENOENT for a controller the directory doesn't have); `cgroup.freeze` updates `cgroup.events`
///   (unless `freezerCompletes` is false).
/// Writes to `cgroup.procs` and `tasks` append; other writes replace (and create missing files).
/// `rmdir` fails with EBUSY while a directory has subdirectories.
public final class FakeCgroupFileSystem: CgroupFileSystem {
    /// The temp directory that stands for `/`.
    public let root: String
    private let local: LocalCgroupFileSystem
    private let state = Mutex(State())

    private struct State {
        var operations: [FakeCgroupOperation] = []
        var failures: [Failure] = []
        var legacyMounts: [String: [String: String]] = [:]
        var unifiedMounts: [String: [String: String]] = [:]
        var freezerCompletes = true
    }

    private struct Failure {
        var kind: FakeCgroupOperation.Kind
        var path: String
        var errno: Int32
        var remaining: Int
    }

    /// Creates an empty temp directory (under `$TMPDIR` or /tmp). Call `removeTree()` when done.
    public init() throws(StackError) {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((base + "/fake-cgroupfs-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) } != nil
        }
        guard made else { throw .cgroupSystem("mkdtemp", base, errno: errno) }
        root = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        local = LocalCgroupFileSystem(root: root, createsMissingFiles: true)
    }

    // MARK: Setting up

    /// Creates a cgroup v1 hierarchy at `mountPoint` holding `files`; directories made below it get
    /// `childFiles` (by default `files` with `cpuset.cpus` and `cpuset.mems` empty).
    public func addLegacyMount(_ mountPoint: String, files: [String: String], childFiles: [String: String]? = nil) {
        var children = childFiles ?? files
        if childFiles == nil {
            for name in ["cpuset.cpus", "cpuset.mems"] where children[name] != nil { children[name] = "" }
        }
        let template = children
        state.withLock { $0.legacyMounts[mountPoint] = template }
        setFiles(mountPoint, files.merging(["cgroup.procs": "", "tasks": ""]) { old, _ in old })
    }

    /// Creates a cgroup2 hierarchy at `mountPoint` offering `controllers`. `files` are the control files
    /// of every controller (`memory.max`, `pids.max`, …), given to child directories where that
    /// controller is enabled.
    public func addUnifiedMount(_ mountPoint: String, controllers: [String], files: [String: String] = [:]) {
        state.withLock { $0.unifiedMounts[mountPoint] = files }
        setFiles(mountPoint, [
            "cgroup.controllers": controllers.joined(separator: " "), "cgroup.subtree_control": "",
            "cgroup.procs": "",
        ])
    }

    /// Creates (or replaces) a file, making its directories; not logged.
    public func setFile(_ path: String, _ content: String) {
        var directory = ""
        for component in path.split(separator: "/").dropLast() {
            directory += "/" + component
            _ = try? local.mkdir(directory)
        }
        _ = try? local.write(path, content)
    }

    /// The content of a file, or nil when it does not exist.
    public func content(_ path: String) -> String? { try? local.read(path) }

    /// Makes the next `times` operations of `kind` on `path` fail with `errno`.
    public func failNext(_ kind: FakeCgroupOperation.Kind, path: String, errno code: Int32, times: Int = 1) {
        state.withLock { $0.failures.append(Failure(kind: kind, path: path, errno: code, remaining: times)) }
    }

    /// Whether freezing completes: when false, `cgroup.events` keeps `frozen 0` and a v1
    /// `freezer.state` written `FROZEN` reads `FREEZING` (tasks that never stop).
    public var freezerCompletes: Bool {
        get { state.withLock { $0.freezerCompletes } }
        set { state.withLock { $0.freezerCompletes = newValue } }
    }

    /// Everything written, created and removed, in order.
    public var operations: [FakeCgroupOperation] { state.withLock { $0.operations } }

    /// The writes only, as `path value` pairs.
    public var writes: [(path: String, value: String)] {
        operations.compactMap { if case .write(let path, let value) = $0 { return (path, value) } else { return nil } }
    }

    /// Forgets the operations logged so far.
    public func clearLog() { state.withLock { $0.operations.removeAll() } }

    /// Deletes the whole temp tree.
    public func removeTree() { Self.removeRecursively(root) }

    // MARK: CgroupFileSystem

    public func read(_ path: String) throws(StackError) -> String {
        try injectFailure(.read, "read", path)
        return try local.read(path)
    }

    public func write(_ path: String, _ value: String) throws(StackError) {
        try injectFailure(.write, "write", path)
        let name = Self.baseName(path)
        let directory = Self.parent(path)
        if name == "cgroup.subtree_control", unifiedMount(containing: path) != nil {
            try editSubtreeControl(path, directory: directory, value)
        } else if name == "cgroup.procs" || name == "tasks" {
            let old = (try? local.read(path)) ?? ""
            try local.write(path, old + CgroupText.trimmed(value) + "\n")
        } else if name == "freezer.state", CgroupText.trimmed(value) == "FROZEN", !freezerCompletes {
            try local.write(path, "FREEZING")
        } else {
            try local.write(path, value)
            if name == "cgroup.freeze", unifiedMount(containing: path) != nil {
                let frozen = CgroupText.trimmed(value) == "1" && freezerCompletes ? "1" : "0"
                try local.write(directory + "/cgroup.events", "populated 0\nfrozen \(frozen)\n")
            }
        }
        log(.write(path, value))
    }

    public func mkdir(_ path: String) throws(StackError) {
        try injectFailure(.mkdir, "mkdir", path)
        if local.exists(path) { return }
        if !local.exists(Self.parent(path)) { throw .cgroupSystem("mkdir", path, errno: ENOENT) }
        try local.mkdir(path)
        if let mount = legacyMount(containing: path), let template = state.withLock({ $0.legacyMounts[mount] }) {
            setFiles(path, template.merging(["cgroup.procs": "", "tasks": ""]) { old, _ in old })
        } else if let mount = unifiedMount(containing: path), let template = state.withLock({ $0.unifiedMounts[mount] }) {
            let available = CgroupText.trimmed(try local.read(Self.parent(path) + "/cgroup.subtree_control"))
            let controllers = Set(available.split(separator: " ").map(String.init))
            var files = [
                "cgroup.controllers": available, "cgroup.subtree_control": "", "cgroup.procs": "",
                "cgroup.freeze": "0", "cgroup.events": "populated 0\nfrozen 0\n",
            ]
            for (file, content) in template {
                let controller = file.split(separator: ".").first.map(String.init) ?? ""
                if controllers.contains(controller) { files[file] = content }
            }
            setFiles(path, files)
        }
        log(.mkdir(path))
    }

    public func rmdir(_ path: String) throws(StackError) {
        try injectFailure(.rmdir, "rmdir", path)
        let entries = try local.list(path)
        if entries.contains(where: \.isDirectory) { throw .cgroupSystem("rmdir", path, errno: EBUSY) }
        for entry in entries { unlink(root + path + "/" + entry.name) }
        try local.rmdir(path)
        log(.rmdir(path))
    }

    public func list(_ path: String) throws(StackError) -> [CgroupDirEntry] {
        try injectFailure(.read, "opendir", path)
        return try local.list(path)
    }

    public func exists(_ path: String) -> Bool { local.exists(path) }

    // MARK: Helpers

    private func editSubtreeControl(_ path: String, directory: String, _ value: String) throws(StackError) {
        let available = CgroupText.trimmed(try local.read(directory + "/cgroup.controllers"))
            .split(separator: " ").map(String.init)
        var enabled = Set(CgroupText.trimmed((try? local.read(path)) ?? "").split(separator: " ").map(String.init))
        for token in value.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let controller = String(token.dropFirst())
            guard available.contains(controller), token.first == "+" || token.first == "-" else {
                throw .cgroupSystem("write", path, errno: token.first == "+" || token.first == "-" ? ENOENT : EINVAL)
            }
            if token.first == "+" { enabled.insert(controller) } else { enabled.remove(controller) }
        }
        try local.write(path, available.filter(enabled.contains).joined(separator: " "))
    }

    private func injectFailure(_ kind: FakeCgroupOperation.Kind, _ name: String, _ path: String) throws(StackError) {
        let code: Int32? = state.withLock { state in
            guard let index = state.failures.firstIndex(where: { $0.kind == kind && $0.path == path && $0.remaining > 0 })
            else { return nil }
            state.failures[index].remaining -= 1
            return state.failures[index].errno
        }
        if let code { throw .cgroupSystem(name, path, errno: code) }
    }

    private func log(_ operation: FakeCgroupOperation) { state.withLock { $0.operations.append(operation) } }

    private func setFiles(_ directory: String, _ files: [String: String]) {
        for (name, content) in files { setFile(directory + "/" + name, content) }
    }

    private func legacyMount(containing path: String) -> String? {
        state.withLock { state in state.legacyMounts.keys.filter { CgroupPath.isBelow(path, $0) }.max(by: { $0.count < $1.count }) }
    }

    private func unifiedMount(containing path: String) -> String? {
        state.withLock { state in state.unifiedMounts.keys.filter { CgroupPath.isBelow(path, $0) }.max(by: { $0.count < $1.count }) }
    }

    private static func baseName(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? "" }

    private static func parent(_ path: String) -> String { CgroupPath.parent(path) }

    private static func removeRecursively(_ path: String) {
        let plain = LocalCgroupFileSystem()
        for entry in (try? plain.list(path)) ?? [] {
            let child = path + "/" + entry.name
            if entry.isDirectory { removeRecursively(child) } else { unlink(child) }
        }
        Glibc.rmdir(path)
    }
}
