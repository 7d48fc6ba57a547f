#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads /proc for `top` and `stats`.
enum ProcessTable {
    /// `UID PID PPID C STIME TTY TIME CMD` of one process, as `ps -ef` prints it; nil when it is gone.
    static func row(pid: Int32) -> [String]? {
        guard let stat = FileSystem.readText("/proc/\(pid)/stat"),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        // Fields after the command name (which may hold spaces): state ppid pgrp session tty_nr …
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 20 else { return nil }
        let ppid = String(fields[1])
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let cpuSeconds = Int(((Double(fields[11]) ?? 0) + (Double(fields[12]) ?? 0)) / ticks)
        let time = String(format2: cpuSeconds / 3600) + ":" + String(format2: (cpuSeconds / 60) % 60) + ":"
            + String(format2: cpuSeconds % 60)
        let startTicks = Double(fields[19]) ?? 0
        let started = bootTime() + startTicks / ticks
        var whole = time_t(started)
        var parts = tm()
        localtime_r(&whole, &parts)
        let stime = String(format2: Int(parts.tm_hour)) + ":" + String(format2: Int(parts.tm_min))
        let uid = userID(pid: pid)
        let tty = Int(fields[4]) ?? 0
        var command = (FileSystem.readText("/proc/\(pid)/cmdline") ?? "")
            .split(separator: "\0").joined(separator: " ")
        if command.isEmpty, let open = stat.firstIndex(of: "(") {
            command = "[" + stat[stat.index(after: open)..<close] + "]"
        }
        return [uid, String(pid), ppid, "0", stime, tty == 0 ? "?" : "pts/\(tty & 0xff)", time, command]
    }

    static func userID(pid: Int32) -> String {
        for line in (FileSystem.readText("/proc/\(pid)/status") ?? "").split(separator: "\n")
        where line.hasPrefix("Uid:") {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count > 1 { return String(fields[1]) }
        }
        return "?"
    }

    static func bootTime() -> Double {
        for line in (FileSystem.readText("/proc/stat") ?? "").split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6)) ?? 0
        }
        return 0
    }

    /// Total CPU time of the machine in nanoseconds (the first line of /proc/stat), as Docker's system_cpu_usage.
    static func systemCPUNanoseconds() -> UInt64 {
        guard let line = (FileSystem.readText("/proc/stat") ?? "").split(separator: "\n").first else { return 0 }
        let ticks = UInt64(sysconf(Int32(_SC_CLK_TCK)))
        let total = line.split(separator: " ").dropFirst().prefix(7).compactMap { UInt64($0) }.reduce(0, +)
        return ticks > 0 ? total * (1_000_000_000 / ticks) : 0
    }

    /// MemTotal of /proc/meminfo in bytes: the limit Docker shows for an unlimited container.
    static func totalMemory() -> UInt64 {
        for line in (FileSystem.readText("/proc/meminfo") ?? "").split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.split(separator: " ")
            if fields.count >= 2, let kib = UInt64(fields[1]) { return kib * 1024 }
        }
        return 0
    }
}

/// Whether a pid is still the monitor of a given container (pids are reused).
enum MonitorProcess {
    static func isMonitor(pid: Int32, containerID: String) -> Bool {
        guard pid > 0, let command = FileSystem.readText("/proc/\(pid)/cmdline") else { return false }
        let arguments = command.split(separator: "\0")
        return arguments.first?.hasSuffix("stack-monitor") == true && arguments.contains { $0 == containerID }
    }
}

extension String {
    /// Two digits, zero-padded.
    init(format2 value: Int) {
        self = value < 10 ? "0\(value)" : String(value)
    }
}
