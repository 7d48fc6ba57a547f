import LinuxOS
import RuntimeSpec
import StackCore

/// The container's /dev: the default devices, the spec's devices, and the standard symlinks.
struct DeviceSetup {
    let setup: RootfsSetup

    private var syscalls: any Syscalls { setup.syscalls }

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

    func createDefaultDevices() throws(StackError) {
        let specPaths = Set((setup.context.spec.linux?.devices ?? []).map { PathJoin.clean($0.path) })
        let old = syscalls.umask(0)
        defer { _ = syscalls.umask(old) }
        for node in Self.defaults where !specPaths.contains(node.path) {
            try create(node)
        }
    }

    func createSpecDevices() throws(StackError) {
        let devices = setup.context.spec.linux?.devices ?? []
        guard !devices.isEmpty else { return }
        let old = syscalls.umask(0)
        defer { _ = syscalls.umask(old) }
        for device in devices {
            let node = Node(
                path: PathJoin.clean(device.path), kind: device.type == "u" ? "c" : device.type,
                major: UInt32(truncatingIfNeeded: device.major ?? 0), minor: UInt32(truncatingIfNeeded: device.minor ?? 0),
                mode: (device.fileMode ?? 0o666) & 0o7777)
            try create(node)
        }
    }

    /// mknod, or (in a user namespace, where mknod is refused) bind the host's node onto a file.
    private func create(_ node: Node) throws(StackError) {
        let target = setup.hostPath(node.path)
        try setup.makeDirectories(PathJoin.parent(target))
        if setup.context.userNamespace {
            try setup.makeFile(target)
            try syscalls.mount(source: node.path, target: target, fstype: "bind", flags: .bind, data: nil)
            return
        }
        let type: UInt32
        switch node.kind {
        case "b": type = FileType.blockDevice
        case "p": type = FileType.fifo
        default: type = FileType.characterDevice
        }
        do {
            try syscalls.mknod(target, mode: type | node.mode, device: Device.number(major: node.major, minor: node.minor))
        } catch let error where error.errno == .EEXIST {
            return
        }
    }

    /// /dev/fd, /dev/stdin|stdout|stderr, /dev/ptmx → pts/ptmx, /dev/core → /proc/kcore.
    func createSymlinks() throws(StackError) {
        let links: [(String, String)] = [
            ("/proc/self/fd", "/dev/fd"), ("/proc/self/fd/0", "/dev/stdin"), ("/proc/self/fd/1", "/dev/stdout"),
            ("/proc/self/fd/2", "/dev/stderr"), ("pts/ptmx", "/dev/ptmx"), ("/proc/kcore", "/dev/core"),
        ]
        for (target, path) in links {
            do {
                try syscalls.symlink(target: target, at: setup.hostPath(path))
            } catch let error where error.errno == .EEXIST {
                continue
            }
        }
    }
}
