import StackCore

/// Builds the manager that fits the host's layout.
public enum CgroupManagerFactory {
    /// A manager for the cgroup `path` (`/stack/<id>`, or an OCI `cgroupsPath`).
    ///
    /// As in runc, an absolute path is taken from each hierarchy's root (the mount point), a relative
    /// one from the caller's own cgroup in that hierarchy (per controller, from `membership`, which is
    /// read from /proc/self/cgroup through `fs` when not given).
    public static func make(
        layout: CgroupLayout, path: String, fs: any CgroupFileSystem = LocalCgroupFileSystem(),
        membership: CgroupMembership? = nil, options: CgroupManagerOptions = .init()
    ) throws(StackError) -> any CgroupManager {
        try CgroupPath.validate(path)
        let isAbsolute = path.hasPrefix("/")
        var resolvedMembership = membership
        func own(_ key: String, _ mount: CgroupMount) throws(StackError) -> String {
            if isAbsolute { return CgroupPath.join(mount.mountPoint, path) }
            if resolvedMembership == nil { resolvedMembership = try CgroupMembership.current(fs: fs) }
            let hierarchyName = key.isEmpty ? "cgroup2" : key
            guard let cgroup = resolvedMembership?.path(for: key) else {
                throw StackError(.notFound, "this process is in no \(hierarchyName) cgroup (see /proc/self/cgroup)")
            }
            guard let base = mount.directory(of: cgroup) else {
                throw StackError(.notFound, "this process's \(hierarchyName) cgroup \(cgroup) is outside the mount \(mount)")
            }
            return CgroupPath.join(base, path)
        }
        switch layout {
        case .unified(let mount):
            return CgroupV2Manager(mountPoint: mount.mountPoint, directory: try own("", mount), fs: fs, options: options)
        case .legacy(let mounts):
            return CgroupV1Manager(directories: try directories(mounts, own), mounts: mounts, fs: fs, options: options)
        case .hybrid(let mounts, let unified):
            return CgroupV1Manager(
                directories: try directories(mounts, own), mounts: mounts, unifiedDirectory: try own("", unified),
                unifiedMountPoint: unified.mountPoint, fs: fs, options: options)
        }
    }

    private static func directories(
        _ mounts: [String: CgroupMount], _ own: (String, CgroupMount) throws(StackError) -> String
    ) throws(StackError) -> [String: String] {
        var result: [String: String] = [:]
        for (controller, mount) in mounts.sorted(by: { $0.key < $1.key }) {
            result[controller] = try own(controller, mount)
        }
        return result
    }
}
