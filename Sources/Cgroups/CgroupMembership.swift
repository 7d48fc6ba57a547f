import StackCore

/// The cgroups a process belongs to, as /proc/<pid>/cgroup lists them.
public struct CgroupMembership: Sendable, Equatable {
    /// Controller (or `name=…` hierarchy) → cgroup path in that hierarchy. The cgroup2 entry
    /// (hierarchy 0, no controllers) has the key `""`.
    public var paths: [String: String]

    public init(paths: [String: String]) {
        self.paths = paths
    }

    /// Reads /proc/self/cgroup.
    public static func current(fs: any CgroupFileSystem = LocalCgroupFileSystem()) throws(StackError) -> CgroupMembership {
        parse(try fs.read("/proc/self/cgroup"))
    }

    /// Parses lines like `4:memory:/user.slice`, `2:cpu,cpuacct:/`, `1:name=systemd:/init.scope`, `0::/`.
    public static func parse(_ text: String) -> CgroupMembership {
        var paths: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3 else { continue }
            let path = String(fields[2])
            if fields[1].isEmpty {
                paths[""] = path
            } else {
                for controller in fields[1].split(separator: ",") { paths[String(controller)] = path }
            }
        }
        return CgroupMembership(paths: paths)
    }

    /// The cgroup2 path, if the process is in a cgroup2 hierarchy.
    public var unified: String? { paths[""] }

    /// The path in the hierarchy of `controller`.
    public func path(for controller: String) -> String? { paths[controller] }
}
