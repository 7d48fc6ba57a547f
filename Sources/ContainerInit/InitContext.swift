import RuntimeSpec

/// Everything the in-container setup needs to know: the spec plus what the parent decided.
public struct InitContext: Sendable {
    public var spec: Spec
    /// The bundle directory (absolute); relative bind sources and the rootfs are resolved from it.
    public var bundle: String
    /// The root filesystem (absolute).
    public var rootfs: String
    /// The container got a new user namespace: device nodes are bind-mounted from the host.
    public var userNamespace: Bool
    /// The container got a new mount namespace (else `chroot`, no propagation changes).
    public var mountNamespace: Bool
    /// The container got a new cgroup namespace: cgroup mounts show its root.
    public var cgroupNamespace: Bool
    /// `v1`, `v2` or `hybrid`.
    public var cgroupVersion: String
    /// The container's cgroup directories, for `cgroup` mounts.
    public var cgroupMounts: [CgroupMountSource]

    public init(
        spec: Spec, bundle: String, userNamespace: Bool = false, mountNamespace: Bool = true,
        cgroupNamespace: Bool = false, cgroupVersion: String = "v2", cgroupMounts: [CgroupMountSource] = []
    ) {
        self.spec = spec
        self.bundle = bundle
        let root = spec.root?.path ?? "rootfs"
        self.rootfs = PathJoin.clean(root.hasPrefix("/") ? root : bundle + "/" + root)
        self.userNamespace = userNamespace
        self.mountNamespace = mountNamespace
        self.cgroupNamespace = cgroupNamespace
        self.cgroupVersion = cgroupVersion
        self.cgroupMounts = cgroupMounts
    }

    /// The context for `spec`'s namespaces.
    public static func make(
        spec: Spec, bundle: String, cgroupVersion: String, cgroupMounts: [CgroupMountSource]
    ) -> InitContext {
        func isNew(_ type: NamespaceType) -> Bool {
            guard let entry = spec.linux?.namespace(type) else { return false }
            return entry.path == nil
        }
        return InitContext(
            spec: spec, bundle: bundle, userNamespace: isNew(.user),
            mountNamespace: spec.linux?.namespace(.mount) != nil, cgroupNamespace: isNew(.cgroup),
            cgroupVersion: cgroupVersion, cgroupMounts: cgroupMounts)
    }
}

/// Lexical path handling for container paths (no symlink resolution).
public enum PathJoin {
    /// `root` + `path`, with `.` and `..` resolved so the result never leaves `root`.
    public static func inRoot(_ root: String, _ path: String) -> String {
        let inner = clean("/" + path)
        if inner == "/" { return clean(root) }
        return clean(root) == "/" ? inner : clean(root) + inner
    }

    /// An absolute path with `.`, `..` and repeated slashes removed.
    public static func clean(_ path: String) -> String {
        if isClean(path) { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Whether `path` is already what `clean` makes of it: absolute, no empty, `.` or `..`
    /// component, no trailing slash. Most paths are (the init cleans dozens per container), and
    /// this check costs a byte scan instead of a split and a join.
    static func isClean(_ path: String) -> Bool {
        var utf8 = path.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "/") else { return false }
        var componentLength = 0  // bytes of the current component so far
        var componentDots = 0  // how many of them are dots
        var length = 1
        while let byte = utf8.next() {
            length += 1
            if byte == UInt8(ascii: "/") {
                // An empty, `.` or `..` component ends here.
                if componentLength == 0 || componentLength == componentDots && componentLength <= 2 { return false }
                componentLength = 0
                componentDots = 0
            } else {
                componentLength += 1
                if byte == UInt8(ascii: ".") { componentDots += 1 }
            }
        }
        if length == 1 { return true }  // "/"
        return componentLength > 0 && !(componentLength == componentDots && componentLength <= 2)
    }
}
