import CRuntime

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How `RecordingSyscalls` writes calls down: C-like, e.g.
/// `mount("proc","/proc","proc",MS_NOSUID|MS_NODEV|MS_NOEXEC,"")`. A nil string renders as `""`.
public enum SyscallRendering {
    /// A C string literal.
    public static func quote(_ text: String?) -> String {
        var out = "\""
        for character in text ?? "" {
            switch character {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.append(character)
            }
        }
        return out + "\""
    }

    /// Octal with a leading zero, as C writes modes: `0755`.
    public static func octal(_ value: UInt32) -> String { value == 0 ? "0" : "0" + String(value, radix: 8) }

    /// `MNT_DETACH|UMOUNT_NOFOLLOW`, `0` when empty.
    public static func umountFlags(_ flags: Int32) -> String {
        render(flags, [(1, "MNT_FORCE"), (2, "MNT_DETACH"), (4, "MNT_EXPIRE"), (8, "UMOUNT_NOFOLLOW")])
    }

    /// `O_WRONLY|O_CLOEXEC`; the access mode always appears (`O_RDONLY` too).
    public static func openFlags(_ flags: Int32) -> String {
        let access: String
        switch flags & O_ACCMODE {
        case O_WRONLY: access = "O_WRONLY"
        case O_RDWR: access = "O_RDWR"
        default: access = "O_RDONLY"
        }
        let rest = render(
            flags & ~O_ACCMODE,
            [
                (O_CREAT, "O_CREAT"), (O_EXCL, "O_EXCL"), (O_NOCTTY, "O_NOCTTY"), (O_TRUNC, "O_TRUNC"),
                (O_APPEND, "O_APPEND"), (O_NONBLOCK, "O_NONBLOCK"), (O_DIRECTORY, "O_DIRECTORY"),
                (O_NOFOLLOW, "O_NOFOLLOW"), (O_CLOEXEC, "O_CLOEXEC"), (Int32(CR_O_PATH), "O_PATH"),
            ])
        return rest == "0" ? access : access + "|" + rest
    }

    /// `S_IFCHR|0666`.
    public static func nodeMode(_ mode: UInt32) -> String {
        let types: [(UInt32, String)] = [
            (FileType.characterDevice, "S_IFCHR|"), (FileType.blockDevice, "S_IFBLK|"), (FileType.fifo, "S_IFIFO|"),
            (FileType.regular, "S_IFREG|"), (FileType.socket, "S_IFSOCK|"), (0, ""),
        ]
        let kind = mode & FileType.mask
        let type = types.first { $0.0 == kind }?.1 ?? (octal(kind) + "|")
        return type + octal(mode & 0o7777)
    }

    static func render(_ flags: Int32, _ names: [(Int32, String)]) -> String {
        var parts: [String] = []
        var rest = flags
        for (flag, name) in names where flag != 0 && flags & flag == flag {
            parts.append(name)
            rest &= ~flag
        }
        if rest != 0 { parts.append("0x" + String(UInt32(bitPattern: rest), radix: 16)) }
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}

/// Device numbers as `mknod` wants them.
public enum Device {
    /// `makedev(major, minor)`.
    public static func number(major: UInt32, minor: UInt32) -> UInt64 {
        (UInt64(major & 0xffff_f000) << 32) | (UInt64(major & 0xfff) << 8)
            | (UInt64(minor & 0xffff_ff00) << 12) | UInt64(minor & 0xff)
    }

    /// The (major, minor) of a device number.
    public static func split(_ device: UInt64) -> (major: UInt32, minor: UInt32) {
        let major = ((device >> 32) & 0xffff_f000) | ((device >> 8) & 0xfff)
        let minor = ((device >> 12) & 0xffff_ff00) | (device & 0xff)
        return (UInt32(truncatingIfNeeded: major), UInt32(truncatingIfNeeded: minor))
    }
}

/// File-type bits of a mode (`S_IF*`), the same on every Linux architecture.
public enum FileType {
    public static let mask: UInt32 = 0o170000
    public static let socket: UInt32 = 0o140000
    public static let symlink: UInt32 = 0o120000
    public static let regular: UInt32 = 0o100000
    public static let blockDevice: UInt32 = 0o060000
    public static let directory: UInt32 = 0o040000
    public static let characterDevice: UInt32 = 0o020000
    public static let fifo: UInt32 = 0o010000
}
