#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LinuxOS
import StackCore

/// Where a daemon keeps its state (`root`) and its runtime files (`run`), and the files in them.
public struct DaemonPaths: Sendable, Equatable {
    public var root: String
    public var run: String

    public static let defaultRoot = "/var/lib/stack"
    public static let defaultRun = "/run/stack"

    public init(root: String, run: String) {
        self.root = root
        self.run = run
    }

    /// Flags win over `STACK_ROOT`/`STACK_RUN`, which win over the defaults.
    public init(root: String?, run: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        func pick(_ flag: String?, _ variable: String, _ fallback: String) -> String {
            if let flag, !flag.isEmpty { return flag }
            if let value = environment[variable], !value.isEmpty { return value }
            return fallback
        }
        self.init(root: pick(root, "STACK_ROOT", DaemonPaths.defaultRoot), run: pick(run, "STACK_RUN", DaemonPaths.defaultRun))
    }

    public var socket: String { run + "/stackd.sock" }
    public var pidFile: String { run + "/stackd.pid" }
    public var log: String { run + "/stackd.log" }
    public var lockFile: String { root + "/stackd.lock" }
    /// `stack-runtime --root`.
    public var runtimeRoot: String { run + "/runtime" }

    /// Create `root` (0711) and `run` (0700) with their parents when missing; existing ones are kept as they are.
    public func prepare() throws(StackError) {
        try DaemonPaths.makeDirectory(root, mode: 0o711)
        try DaemonPaths.makeDirectory(run, mode: 0o700)
    }

    static func makeDirectory(_ path: String, mode: mode_t) throws(StackError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw StackError(.system, "\(path) exists and is not a directory") }
            return
        }
        let parent = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        if !parent.isEmpty && parent != path {
            try makeDirectory(parent, mode: 0o755)
        }
        if mkdir(path, mode) != 0 {
            let error = Errno.current
            if error == .EEXIST { return }
            throw StackError.system("mkdir \(path)", error)
        }
        // mkdir's mode passes through the umask; set it exactly.
        if chmod(path, mode) != 0 { throw StackError.system("chmod \(path)", Errno.current) }
    }
}
