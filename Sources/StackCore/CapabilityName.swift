/// The Linux capability names (`CAP_CHOWN` = 0 … `CAP_CHECKPOINT_RESTORE` = 40) and their numbers.
public enum CapabilityName {
    /// Names indexed by capability number, as in linux/capability.h.
    public static let all: [String] = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
        "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE",
        "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT",
        "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE",
        "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE",
    ]

    /// The number of `name` (`CAP_NET_ADMIN` → 12), or nil when unknown. Names are case-sensitive, as in OCI.
    ///
    /// A scan of `all` (41 short names) rather than a dictionary: building one costs more than
    /// all the lookups a container makes, and the runtime and its init each build it anew.
    public static func number(of name: String) -> UInt32? {
        all.firstIndex(of: name).map { UInt32($0) }
    }

    /// The name of capability `number`, or `CAP_<number>` for numbers newer than this table.
    public static func name(of number: UInt32) -> String {
        number < all.count ? all[Int(number)] : "CAP_\(number)"
    }

    /// Numbers for OCI capability names; unknown names are returned separately (runc ignores them with a warning).
    public static func numbers(for names: [String]) -> (known: [UInt32], unknown: [String]) {
        var known: [UInt32] = []
        var unknown: [String] = []
        for name in names {
            if let number = number(of: name) {
                if !known.contains(number) { known.append(number) }
            } else if !unknown.contains(name) {
                unknown.append(name)
            }
        }
        return (known, unknown)
    }

    /// Numbers for OCI capability names; an unknown name is an error naming it.
    public static func strictNumbers(for names: [String], path: String? = nil) throws(StackError) -> [UInt32] {
        let (known, unknown) = numbers(for: names)
        if let first = unknown.first {
            throw StackError(.invalidArgument, "unknown capability \"\(first)\"", path: path)
        }
        return known
    }
}
