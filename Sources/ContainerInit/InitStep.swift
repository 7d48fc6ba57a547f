/// One step of the container's init plan: what the cloned child does, in C, between the go byte and
/// the payload's `execve` (see `cruntime_init.h`, which defines the codes, flags and items).
///
/// Steps are plain values so that unprivileged tests check the whole setup of a container as a
/// list (`description` renders one step per line) without running it.
public struct InitStep: Sendable, Hashable, CustomStringConvertible {
    /// `enum cr_init_code`.
    public enum Code: UInt32, Sendable, Hashable {
        case mount = 1, bind, mkdir, makeFile, mknod, symlink, umask, unshare, chdir, pivotRoot, chroot
        case umount, sethostname, setdomainname, writeFile, protect, rlimit, hooksSync, readState, hook
        case openFDDirectory, terminal, close, lookup, created, waitStart, seccomp, boundingSet
        case keepCapabilities, setgroups, setresgid, setresuid, capset, noNewPrivileges, exec
    }

    /// `CR_INIT_F_*`.
    public struct Flags: OptionSet, Sendable, Hashable {
        public var rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let makeTarget = Flags(rawValue: 0x1)
        public static let bindOnEPERM = Flags(rawValue: 0x2)
        public static let parents = Flags(rawValue: 0x4)
        public static let quiet = Flags(rawValue: 0x8)
        public static let mask = Flags(rawValue: 0x10)
    }

    /// A string or a binary blob.
    public enum Item: Sendable, Hashable {
        case string(String)
        case bytes([UInt8])
    }

    public var code: Code
    public var flags: Flags
    public var a: UInt64
    public var b: UInt64
    public var c: UInt64
    public var d: UInt64
    public var items: [Item]

    public init(
        _ code: Code, flags: Flags = [], a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0,
        _ items: [Item] = []
    ) {
        self.code = code
        self.flags = flags
        self.a = a
        self.b = b
        self.c = c
        self.d = d
        self.items = items
    }

    /// The same with string items.
    public init(
        _ code: Code, flags: Flags = [], a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0,
        strings: [String]
    ) {
        self.init(code, flags: flags, a: a, b: b, c: c, d: d, strings.map(Item.string))
    }

    /// `mount source target fstype data flags=0x… [mkdir] [eperm-bind]`: the code, the items, then
    /// the non-zero numbers and flags.
    public var description: String {
        var parts = [String(describing: code)]
        for item in items {
            switch item {
            case .string(let text): parts.append(text.isEmpty ? "-" : text)
            case .bytes(let bytes): parts.append("<\(bytes.count) bytes>")
            }
        }
        for (name, value) in [("a", a), ("b", b), ("c", c), ("d", d)] where value != 0 {
            parts.append("\(name)=0x" + String(value, radix: 16))
        }
        let names: [(Flags, String)] = [
            (.makeTarget, "mkdir"), (.bindOnEPERM, "eperm-bind"), (.parents, "parents"), (.quiet, "quiet"),
            (.mask, "mask"),
        ]
        for (flag, name) in names where flags.contains(flag) { parts.append("[\(name)]") }
        return parts.joined(separator: " ")
    }
}
