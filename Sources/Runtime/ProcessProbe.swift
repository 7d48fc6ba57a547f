import ContainerInit
import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Facts about host processes from /proc.
public enum ProcessProbe {
    /// The state letter and start time (fields 3 and 22) of /proc/PID/stat, or nil when gone.
    public static func stat(_ pid: Int32) -> (state: Character, startTime: UInt64)? {
        guard pid > 0, let bytes = try? FileIO.read("/proc/\(pid)/stat") else { return nil }
        return parseStat(String(decoding: bytes, as: UTF8.self))
    }

    /// Parse a /proc/PID/stat line (the command name may contain spaces and parentheses).
    public static func parseStat(_ text: String) -> (state: Character, startTime: UInt64)? {
        // Bytes, not Characters: this runs several times per `run`.
        let utf8 = text.utf8
        guard let close = utf8.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = utf8[utf8.index(after: close)...].split(separator: UInt8(ascii: " "))
        // fields[0] is field 3 (state); field 22 is fields[19].
        guard fields.count > 19, let state = Substring(fields[0]).first, let start = UInt64(Substring(fields[19]))
        else { return nil }
        return (state, start)
    }

    /// Whether `pid` is still the process that started at `startTime` and has not exited.
    public static func isAlive(_ pid: Int32, startTime: UInt64) -> Bool {
        guard let info = stat(pid) else { return false }
        return info.startTime == startTime && info.state != "Z" && info.state != "X"
    }

    /// Wait until `pid` is no longer alive, polling; false on timeout.
    public static func waitUntilGone(_ pid: Int32, startTime: UInt64, timeoutMicroseconds: Int = 10_000_000) -> Bool {
        var waited = 0
        var pause: UInt32 = 100
        while isAlive(pid, startTime: startTime) {
            if waited >= timeoutMicroseconds { return false }
            // Reap it if it happens to be our child.
            var status: Int32 = 0
            _ = waitpid(pid, &status, WNOHANG)
            usleep(pause)
            waited += Int(pause)
            pause = min(pause * 2, 10_000)
        }
        return true
    }
}

