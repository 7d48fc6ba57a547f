import CRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#endif

/// What a launch gives: the monitor's pid (from monitor.pid) and the created container's init pid.
public struct MonitorResult: Sendable, Equatable {
    public var monitorPid: Int32?
    public var containerPid: Int32

    public init(monitorPid: Int32?, containerPid: Int32) {
        self.monitorPid = monitorPid
        self.containerPid = containerPid
    }
}

/// Starts `stack-monitor` for a container and waits for its sync line: the container is then
/// created (not started) with the monitor as its parent, detached from the caller.
public struct MonitorLauncher: Sendable {
    /// The monitor binary.
    public var binary: String

    public init(binary: String) {
        self.binary = binary
    }

    /// The monitor binary: `$STACK_MONITOR`, else `stack-monitor` next to the running executable
    /// (for a test bundle, next to the `.xctest`).
    public static func locateBinary() throws(StackError) -> String {
        if let path = ProcessInfo.processInfo.environment["STACK_MONITOR"], !path.isEmpty { return path }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path.contains(".xctest") { directory = directory.deletingLastPathComponent() }
        let candidate = directory.appendingPathComponent("stack-monitor").path
        guard FileManager.default.isExecutableFile(atPath: candidate) else {
            throw StackError(.notFound, "stack-monitor not found next to \(executable) (set STACK_MONITOR)")
        }
        return candidate
    }

    /// Launches the monitor found by `locateBinary()`.
    public static func launch(_ options: MonitorOptions) throws(StackError) -> MonitorResult {
        try MonitorLauncher(binary: locateBinary()).launch(options)
    }

    /// The fd number the sync pipe has in the monitor.
    static let syncFD: Int32 = 3

    /// Spawns the monitor, reaps its short-lived first process and reads the sync line until EOF:
    /// `{"pid":N}` is the result, `{"error":"…"}` is thrown with the runtime's message.
    public func launch(_ options: MonitorOptions) throws(StackError) -> MonitorResult {
        var ends: [Int32] = [-1, -1]
        _ = try rawSyscall("pipe2") { ends.withUnsafeMutableBufferPointer { cr_sys_pipe2($0.baseAddress, O_CLOEXEC) } }
        var readEnd = ends[0]
        defer { if readEnd >= 0 { close(readEnd) } }
        // Above the stdio slots and not 3 itself, so that dup2 onto 3 clears O_CLOEXEC in the child.
        let writeEnd: Int32
        do {
            writeEnd = try syscall("fcntl F_DUPFD_CLOEXEC") { fcntl(ends[1], F_DUPFD_CLOEXEC, 10) }
            close(ends[1])
        } catch {
            close(ends[1])
            throw error
        }
        let pid: pid_t
        do {
            defer { close(writeEnd) }
            pid = try spawn(arguments: [binary] + options.arguments(syncFD: Self.syncFD), syncEnd: writeEnd)
        }
        let line = readAll(readEnd)
        close(readEnd)
        readEnd = -1
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let result = try Self.parseSync(line, firstProcessStatus: status)
        let monitorPid = (try? String(contentsOfFile: options.monitorPidPath, encoding: .utf8))
            .flatMap { Int32($0.filter { !$0.isWhitespace }) }
        return MonitorResult(monitorPid: monitorPid, containerPid: result)
    }

    /// The container pid from the sync line, or the error it carries.
    static func parseSync(_ data: [UInt8], firstProcessStatus status: Int32) throws(StackError) -> Int32 {
        struct Line: Decodable {
            var pid: Int32?
            var error: String?
        }
        guard !data.isEmpty else {
            let exited = status & 0x7f == 0
            let how = exited ? "exited with status \((status >> 8) & 0xff)" : "was killed by signal \(status & 0x7f)"
            throw StackError(.system, "stack-monitor \(how) without reporting")
        }
        guard let line = try? JSONDecoder().decode(Line.self, from: Data(data)) else {
            throw StackError(.system, "stack-monitor: unreadable sync line: \(String(decoding: data, as: UTF8.self))")
        }
        if let error = line.error { throw StackError(.system, error) }
        guard let pid = line.pid, pid > 0 else {
            throw StackError(.system, "stack-monitor: sync line without a pid: \(String(decoding: data, as: UTF8.self))")
        }
        return pid
    }

    private func readAll(_ fd: Int32) -> [UInt8] {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return data }
            data += buffer[0..<count]
        }
    }

    /// stdio on /dev/null, the sync pipe at fd 3.
    private func spawn(arguments: [String], syncEnd: Int32) throws(StackError) -> pid_t {
        try DaemonSpawn.spawn(binary, arguments: arguments, extra: [(from: syncEnd, to: Self.syncFD)])
    }
}
