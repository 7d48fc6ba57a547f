#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A running `stack-proxy` as seen through /proc: its pid file, its command line, its end.
enum ProxyProcess {
    /// The pid in `path` (decimal, optional newline), nil when absent or unreadable.
    static func readPid(_ path: String) -> Int32? {
        guard let bytes = readSmallFile(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        guard let pid = Int32(text), pid > 0 else { return nil }
        return pid
    }

    /// Whether `pid` is alive (not a zombie) and is the proxy started with `--pid-file pidFile`,
    /// so that a reused pid is never signalled.
    static func isProxy(pid: Int32, pidFile: String) -> Bool {
        guard isAlive(pid), let bytes = readSmallFile("/proc/\(pid)/cmdline") else { return false }
        let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let flag = arguments.firstIndex(of: "--pid-file"), flag + 1 < arguments.count else { return false }
        return arguments[flag + 1] == pidFile
    }

    /// Alive and not a zombie (a proxy reparented to a subreaper that has not reaped it yet is gone).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = readSmallFile("/proc/\(pid)/stat") else { return false }
        // "pid (comm) S …": the state follows the last ')'.
        guard let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count else { return false }
        let state = stat[close + 2]
        return state != UInt8(ascii: "Z") && state != UInt8(ascii: "X")
    }

    /// SIGTERM, up to 2 s, then SIGKILL and up to 1 s more. Reaps it if it is our child.
    static func terminate(pid: Int32) {
        kill(pid, SIGTERM)
        if waitForExit(pid, milliseconds: 2000) { return }
        kill(pid, SIGKILL)
        _ = waitForExit(pid, milliseconds: 1000)
    }

    private static func waitForExit(_ pid: Int32, milliseconds: Int) -> Bool {
        for _ in 0..<(milliseconds / 5) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return true }
            if !isAlive(pid) { return true }
            usleep(5000)
        }
        return false
    }

    /// A file of a few kB (pid files, /proc entries) without Foundation.
    static func readSmallFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < 1 << 20 {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { break }
            data += buffer[0..<count]
        }
        return data
    }
}
