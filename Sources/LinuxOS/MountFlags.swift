/// `mount(2)` flags (`MS_*`). The values are the kernel ABI, the same on every architecture;
/// defined here because Glibc imports them with drifting types.
public struct MountFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt

    public init(rawValue: UInt) { self.rawValue = rawValue }

    public static let readOnly = MountFlags(rawValue: 1)
    public static let noSuid = MountFlags(rawValue: 2)
    public static let noDev = MountFlags(rawValue: 4)
    public static let noExec = MountFlags(rawValue: 8)
    public static let synchronous = MountFlags(rawValue: 16)
    public static let remount = MountFlags(rawValue: 32)
    public static let mandatoryLock = MountFlags(rawValue: 64)
    public static let dirSync = MountFlags(rawValue: 128)
    public static let noSymlinkFollow = MountFlags(rawValue: 256)
    public static let noAtime = MountFlags(rawValue: 1024)
    public static let noDirAtime = MountFlags(rawValue: 2048)
    public static let bind = MountFlags(rawValue: 4096)
    public static let move = MountFlags(rawValue: 8192)
    public static let recursive = MountFlags(rawValue: 16384)
    public static let silent = MountFlags(rawValue: 32768)
    public static let posixACL = MountFlags(rawValue: 1 << 16)
    public static let unbindable = MountFlags(rawValue: 1 << 17)
    public static let `private` = MountFlags(rawValue: 1 << 18)
    public static let slave = MountFlags(rawValue: 1 << 19)
    public static let shared = MountFlags(rawValue: 1 << 20)
    public static let relatime = MountFlags(rawValue: 1 << 21)
    public static let iVersion = MountFlags(rawValue: 1 << 23)
    public static let strictAtime = MountFlags(rawValue: 1 << 24)
    public static let lazyTime = MountFlags(rawValue: 1 << 25)

    /// The propagation-type flags; a mount call carrying one changes propagation only.
    public static let propagationTypes: MountFlags = [.unbindable, .private, .slave, .shared]

    /// Names in bit order, as the C constants are spelled.
    static let names: [(MountFlags, String)] = [
        (.readOnly, "MS_RDONLY"), (.noSuid, "MS_NOSUID"), (.noDev, "MS_NODEV"), (.noExec, "MS_NOEXEC"),
        (.synchronous, "MS_SYNCHRONOUS"), (.remount, "MS_REMOUNT"), (.mandatoryLock, "MS_MANDLOCK"),
        (.dirSync, "MS_DIRSYNC"), (.noSymlinkFollow, "MS_NOSYMFOLLOW"), (.noAtime, "MS_NOATIME"),
        (.noDirAtime, "MS_NODIRATIME"), (.bind, "MS_BIND"), (.move, "MS_MOVE"), (.recursive, "MS_REC"),
        (.silent, "MS_SILENT"), (.posixACL, "MS_POSIXACL"), (.unbindable, "MS_UNBINDABLE"),
        (.private, "MS_PRIVATE"), (.slave, "MS_SLAVE"), (.shared, "MS_SHARED"), (.relatime, "MS_RELATIME"),
        (.iVersion, "MS_I_VERSION"), (.strictAtime, "MS_STRICTATIME"), (.lazyTime, "MS_LAZYTIME"),
    ]

    /// `MS_NOSUID|MS_NODEV`; `0` when empty; unknown bits as hex.
    public var description: String {
        var parts: [String] = []
        var rest = rawValue
        for (flag, name) in MountFlags.names where contains(flag) {
            parts.append(name)
            rest &= ~flag.rawValue
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}

/// `mount_setattr(2)` attributes (`MOUNT_ATTR_*`), for recursive options such as `rro`.
public struct MountAttributes: OptionSet, Sendable, Hashable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public static let readOnly = MountAttributes(rawValue: 0x1)
    public static let noSuid = MountAttributes(rawValue: 0x2)
    public static let noDev = MountAttributes(rawValue: 0x4)
    public static let noExec = MountAttributes(rawValue: 0x8)
    /// The atime field: clear it before setting one of the atime values.
    public static let atimeMask = MountAttributes(rawValue: 0x70)
    public static let relatime: MountAttributes = []
    public static let noAtime = MountAttributes(rawValue: 0x10)
    public static let strictAtime = MountAttributes(rawValue: 0x20)
    public static let noDirAtime = MountAttributes(rawValue: 0x80)
    public static let idmap = MountAttributes(rawValue: 0x100000)
    public static let noSymlinkFollow = MountAttributes(rawValue: 0x200000)
}
