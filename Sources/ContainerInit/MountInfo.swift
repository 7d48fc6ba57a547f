import LinuxOS

/// Reading /proc/self/mountinfo.
public enum MountInfo {
    /// The mount `path` lives on in this process's mount namespace; nil when unknown.
    public static func mountPoint(of path: String) -> String? {
        guard let text = try? FileIO.read("/proc/self/mountinfo") else { return nil }
        return mountPoint(of: path, in: String(decoding: text, as: UTF8.self))
    }

    /// The mount point (fifth field, octal escapes decoded) of each line.
    public static func mountPoints(in text: String) -> [String] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            return fields.count > 4 ? unescape(fields[4]) : nil
        }
    }

    /// The mount `path` lives on, given mountinfo's text.
    public static func mountPoint(of path: String, in text: String) -> String? {
        longestPrefix(of: path, among: mountPoints(in: text))
    }

    /// The longest of `candidates` that is `path` or a directory above it.
    static func longestPrefix(of path: String, among candidates: [String]) -> String? {
        let cleaned = PathJoin.clean(path)
        return candidates.filter { candidate in
            candidate == "/" || cleaned == candidate || cleaned.hasPrefix(candidate + "/")
        }.max { $0.count < $1.count }
    }

    /// Undoes the kernel's octal escapes in a mountinfo field.
    static func unescape(_ field: Substring) -> String { MountInfoField.unescape(field) }
}
