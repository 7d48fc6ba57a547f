import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small file helpers for the state directory.
public enum FileIO {
    public static func read(_ path: String) throws(StackError) -> [UInt8] {
        let fd = try syscall("open \(path)") { open(path, O_RDONLY | O_CLOEXEC) }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.count
            let got = try syscall("read \(path)") { chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, count) } }
            if got == 0 { return result }
            result.append(contentsOf: chunk[..<got])
        }
    }

    /// Write `text` to `path` atomically (a temporary file renamed over it).
    public static func write(_ path: String, _ text: String, mode: UInt32 = 0o644) throws(StackError) {
        let temporary = path + ".tmp"
        let fd = try syscall("open \(temporary)") { open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode)) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes.count - offset
            let written: Int
            do {
                written = try syscall("write \(temporary)") {
                    bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress.map { $0 + offset }, count) }
                }
            } catch {
                close(fd)
                throw error
            }
            offset += written
        }
        close(fd)
        _ = try syscall("rename \(path)") { rename(temporary, path) }
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Remove a directory tree (no symlinks followed).
    public static func removeTree(_ path: String) {
        if unlink(path) == 0 { return }
        guard let dir = opendir(path) else { return }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(dir)
        for name in names { removeTree(path + "/" + name) }
        rmdir(path)
    }

    /// The names in a directory (no `.`/`..`), sorted; empty when it cannot be read.
    public static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The current time as RFC 3339 with nanoseconds, UTC (`2024-05-01T12:00:00.123456789Z`).
    public static func timestamp() -> String {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let nanos = String(spec.tv_nsec)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + String(repeating: "0", count: max(0, 9 - nanos.count)) + nanos + "Z"
    }
}
