import LinuxOS
import RuntimeSpec

/// The container's /dev: the default devices, the spec's devices, and the standard symlinks.
struct DevicePlan {
    let context: InitContext

    /// A device node: path in the container, kind (`c`, `b`, `p`), numbers and permission bits.
    struct Node: Equatable {
        var path: String
        var kind: String
        var major: UInt32
        var minor: UInt32
        var mode: UInt32
    }

    /// Every container gets these, as in runc.
    static let defaults: [Node] = [
        Node(path: "/dev/null", kind: "c", major: 1, minor: 3, mode: 0o666),
        Node(path: "/dev/zero", kind: "c", major: 1, minor: 5, mode: 0o666),
        Node(path: "/dev/full", kind: "c", major: 1, minor: 7, mode: 0o666),
        Node(path: "/dev/random", kind: "c", major: 1, minor: 8, mode: 0o666),
        Node(path: "/dev/urandom", kind: "c", major: 1, minor: 9, mode: 0o666),
        Node(path: "/dev/tty", kind: "c", major: 5, minor: 0, mode: 0o666),
    ]

    /// The defaults the spec does not list itself, made with umask 0 (then `umask` again).
    func appendDefaultDevices(to plan: inout InitPlan, umask: UInt32) {
        let specPaths = (context.spec.linux?.devices ?? []).map { PathJoin.clean($0.path) }
        let nodes = Self.defaults.filter { !specPaths.contains($0.path) }
        append(nodes, to: &plan, umask: umask)
    }

    func appendSpecDevices(to plan: inout InitPlan, umask: UInt32) {
        let nodes = (context.spec.linux?.devices ?? []).map { device in
            Node(
                path: PathJoin.clean(device.path), kind: device.type == "u" ? "c" : device.type,
                major: UInt32(truncatingIfNeeded: device.major ?? 0),
                minor: UInt32(truncatingIfNeeded: device.minor ?? 0), mode: (device.fileMode ?? 0o666) & 0o7777)
        }
        append(nodes, to: &plan, umask: umask)
    }

    private func append(_ nodes: [Node], to plan: inout InitPlan, umask: UInt32) {
        guard !nodes.isEmpty else { return }
        plan.append(InitStep(.umask, a: 0))
        for node in nodes { append(node, to: &plan) }
        plan.append(InitStep(.umask, a: UInt64(umask)))
    }

    /// mknod, or (in a user namespace, where mknod is refused) bind the host's node onto a file.
    private func append(_ node: Node, to plan: inout InitPlan) {
        let target = PathJoin.inRoot(context.rootfs, node.path)
        if context.userNamespace {
            plan.append(InitStep(.makeFile, strings: [target]))
            plan.append(RootfsPlan.mount(node.path, target, fstype: "bind", flags: .bind))
            return
        }
        let type: UInt32
        switch node.kind {
        case "b": type = FileType.blockDevice
        case "p": type = FileType.fifo
        default: type = FileType.characterDevice
        }
        plan.append(
            InitStep(
                .mknod, a: UInt64(type | node.mode), b: Device.number(major: node.major, minor: node.minor),
                strings: [target]))
    }

    /// /dev/fd, /dev/stdin|stdout|stderr, /dev/ptmx → pts/ptmx, /dev/core → /proc/kcore.
    func appendSymlinks(to plan: inout InitPlan) {
        let links: [(String, String)] = [
            ("/proc/self/fd", "/dev/fd"), ("/proc/self/fd/0", "/dev/stdin"), ("/proc/self/fd/1", "/dev/stdout"),
            ("/proc/self/fd/2", "/dev/stderr"), ("pts/ptmx", "/dev/ptmx"), ("/proc/kcore", "/dev/core"),
        ]
        for (target, path) in links {
            plan.append(InitStep(.symlink, strings: [target, PathJoin.inRoot(context.rootfs, path)]))
        }
    }
}
