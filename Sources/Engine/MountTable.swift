/// Whether a path is a mount point, from /proc/self/mountinfo (field 5 is the mount point,
/// with spaces and the like octal-escaped).
enum MountTable {
    static func isMountPoint(_ path: String) -> Bool {
        guard let text = FileSystem.readText("/proc/self/mountinfo") else { return false }
        let escaped = path.replacingOccurrencesOfSpecials()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", maxSplits: 5)
            if fields.count > 4, fields[4] == escaped { return true }
        }
        return false
    }
}

extension String {
    /// mountinfo's escaping: space, tab, newline and backslash as `\ooo`.
    fileprivate func replacingOccurrencesOfSpecials() -> String {
        var result = ""
        for character in self {
            switch character {
            case " ": result += "\\040"
            case "\t": result += "\\011"
            case "\n": result += "\\012"
            case "\\": result += "\\134"
            default: result.append(character)
            }
        }
        return result
    }
}
