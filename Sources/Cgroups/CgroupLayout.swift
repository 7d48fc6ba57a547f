import LinuxOS
import StackCore

/// Where a cgroup hierarchy is mounted, and which of its cgroups the mount shows.
public struct CgroupMount: Sendable, Equatable, CustomStringConvertible {
    /// The mount point, e.g. `/sys/fs/cgroup/memory`.
    public var mountPoint: String
    /// The cgroup (relative to the hierarchy's root) that appears at the mount point; `/` unless a
    /// container was given a sub-tree by bind mount.
    public var root: String

    public init(_ mountPoint: String, root: String = "/") {
        self.mountPoint = mountPoint
        self.root = root
    }

    /// The directory of `cgroup` (a path in the hierarchy, as /proc/self/cgroup shows it),
    /// or nil when the cgroup is outside what this mount shows.
    public func directory(of cgroup: String) -> String? {
        CgroupPath.relative(cgroup, to: root).map { CgroupPath.join(mountPoint, $0) }
    }

    public var description: String { root == "/" ? mountPoint : "\(mountPoint) (root \(root))" }
}

/// How the cgroup hierarchies are mounted on this machine.
public enum CgroupLayout: Sendable, Equatable {
    /// cgroup v2 only, mounted at the given place (usually /sys/fs/cgroup).
    case unified(CgroupMount)
    /// cgroup v1 only: controller (or `name=…` hierarchy) → mount. Co-mounted controllers
    /// (`cpu,cpuacct`) share one mount.
    case legacy([String: CgroupMount])
    /// cgroup v1 controllers plus a cgroup2 mount (usually /sys/fs/cgroup/unified) for membership.
    case hybrid(legacy: [String: CgroupMount], unified: CgroupMount)

    /// Reads /proc/self/mountinfo and detects the layout.
    public static func detect(fs: any CgroupFileSystem = LocalCgroupFileSystem()) throws(StackError) -> CgroupLayout {
        try detect(mountinfo: try fs.read("/proc/self/mountinfo"))
    }

    /// Detects the layout from the text of /proc/self/mountinfo.
    ///
    /// v1 hierarchies with real controllers make the layout legacy, or hybrid when a cgroup2 mount
    /// exists too (the one at /sys/fs/cgroup/unified, else the first). Without v1 controllers, a
    /// cgroup2 mount (preferring /sys/fs/cgroup) makes it unified. The first mount of a controller wins.
    public static func detect(mountinfo: String) throws(StackError) -> CgroupLayout {
        var legacy: [String: CgroupMount] = [:]
        var unifiedMounts: [CgroupMount] = []
        for line in mountinfo.utf8.split(separator: UInt8(ascii: "\n")) {
            guard let entry = MountInfoLine(Substring(line)) else { continue }
            let mount = CgroupMount(entry.mountPoint, root: entry.root)
            switch entry.fsType {
            case "cgroup2":
                unifiedMounts.append(mount)
            case "cgroup":
                for option in entry.superOptions.split(separator: ",") {
                    let name = String(option)
                    guard Self.isHierarchyName(name), legacy[name] == nil else { continue }
                    legacy[name] = mount
                }
            default:
                continue
            }
        }
        let hasControllers = legacy.keys.contains { !$0.hasPrefix("name=") }
        if hasControllers {
            guard let unified = unifiedMounts.first(where: { $0.mountPoint == "/sys/fs/cgroup/unified" }) ?? unifiedMounts.first
            else { return .legacy(legacy) }
            return .hybrid(legacy: legacy, unified: unified)
        }
        if let unified = unifiedMounts.first(where: { $0.mountPoint == "/sys/fs/cgroup" }) ?? unifiedMounts.first {
            return .unified(unified)
        }
        throw StackError(.unsupported, "no cgroup file system is mounted (nothing of type cgroup or cgroup2 in /proc/self/mountinfo)")
    }

    /// The v1 hierarchies (empty for unified).
    public var legacyMounts: [String: CgroupMount] {
        switch self {
        case .unified: return [:]
        case .legacy(let mounts), .hybrid(let mounts, _): return mounts
        }
    }

    /// The cgroup2 mount, if any.
    public var unifiedMount: CgroupMount? {
        switch self {
        case .unified(let mount), .hybrid(_, let mount): return mount
        case .legacy: return nil
        }
    }

    /// Super options of a v1 mount that are not hierarchy names.
    private static let mountOptions: Set<String> = [
        "rw", "ro", "noprefix", "xattr", "clone_children", "all", "none", "cpuset_v2_mode", "favordynmods",
    ]

    private static func isHierarchyName(_ option: String) -> Bool {
        if option.hasPrefix("name=") { return true }
        return !option.contains("=") && !mountOptions.contains(option)
    }
}

/// The fields of one /proc/self/mountinfo line the layout needs.
struct MountInfoLine {
    var root: String
    var mountPoint: String
    var fsType: String
    var superOptions: String

    /// Parses `36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue`.
    /// Fields are split on bytes, not Characters (the layout is read at every create).
    init?(_ line: Substring) {
        let fields = line.utf8.split(separator: UInt8(ascii: " "))
        guard let separator = fields.firstIndex(where: { $0.count == 1 && $0.first == UInt8(ascii: "-") }),
            separator >= 6, fields.count >= separator + 3
        else { return nil }
        root = Self.unescape(Substring(fields[3]))
        mountPoint = Self.unescape(Substring(fields[4]))
        fsType = String(Substring(fields[separator + 1]))
        superOptions = String(Substring(fields[separator + 3]))
    }

    /// Undoes the kernel's octal escapes in a mountinfo field.
    static func unescape(_ field: Substring) -> String { MountInfoField.unescape(field) }
}
