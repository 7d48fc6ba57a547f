import LinuxOS
import RuntimeSpec
import StackCore

/// The mount-namespace part of container init, before and after `pivot_root`: propagation, the
/// rootfs bind, the spec's mounts, /dev, entering the rootfs, masked and readonly paths.
///
/// Every change goes through `Syscalls`, every question through `PathProbe`, so the sequence is
/// checked with `RecordingSyscalls` in unprivileged tests.
public struct RootfsSetup: Sendable {
    public let syscalls: any Syscalls
    public let probe: any PathProbe
    public let context: InitContext

    public init(syscalls: any Syscalls, probe: any PathProbe, context: InitContext) {
        self.syscalls = syscalls
        self.probe = probe
        self.context = context
    }

    private var spec: Spec { context.spec }
    private var rootfs: String { context.rootfs }

    /// Propagation of `/`, the rootfs bound onto itself, the spec's mounts in order, then /dev.
    ///
    /// `pivot_root` refuses a new root on a shared parent mount and a bind of an unbindable one, so
    /// with `shared` the rootfs's parent mount is made private first, and `unbindable` is applied
    /// only after `enter` (until then `/` is private).
    public func prepare() throws(StackError) {
        guard context.mountNamespace else { return }
        let before: MountFlags = rootPropagation.contains(.unbindable) ? [.private, .recursive] : rootPropagation
        try syscalls.mount(source: nil, target: "/", fstype: nil, flags: before, data: nil)
        if rootPropagation.contains(.shared), let parent = probe.mountPoint(of: rootfs) {
            try syscalls.mount(source: nil, target: parent, fstype: nil, flags: .private, data: nil)
        }
        try syscalls.mount(source: rootfs, target: rootfs, fstype: "bind", flags: [.bind, .recursive], data: nil)
        for mount in spec.mounts ?? [] {
            try MountStep(setup: self).mount(mount)
        }
        if (spec.mounts ?? []).contains(where: { PathJoin.clean($0.destination) == "/dev" }) {
            try DeviceSetup(setup: self).createDefaultDevices()
        }
        try DeviceSetup(setup: self).createSpecDevices()
        if (spec.mounts ?? []).contains(where: { PathJoin.clean($0.destination) == "/dev" }) {
            try DeviceSetup(setup: self).createSymlinks()
        }
    }

    /// `MS_REC|MS_PRIVATE` by default, or what `linux.rootfsPropagation` says.
    var rootPropagation: MountFlags {
        switch spec.linux?.rootfsPropagation {
        case "shared", "rshared": return [.shared, .recursive]
        case "slave", "rslave": return [.slave, .recursive]
        case "unbindable", "runbindable": return [.unbindable, .recursive]
        default: return [.private, .recursive]
        }
    }

    /// `pivot_root(".", ".")` and a lazy unmount of the old root, or `chroot` when `noPivotRoot` is
    /// asked for (spec annotation `run.oci.no_pivot_root` isn't standard; we take the linux field
    /// absence of a mount namespace) or there is no mount namespace.
    public func enter(noPivotRoot: Bool = false) throws(StackError) {
        try syscalls.chdir(rootfs)
        if noPivotRoot || !context.mountNamespace {
            if context.mountNamespace {
                try syscalls.mount(source: rootfs, target: "/", fstype: nil, flags: .move, data: nil)
            }
            try syscalls.chroot(".")
        } else {
            try syscalls.pivotRoot(newRoot: ".", putOld: ".")
            // The old root is stacked on "."; keep its unmount from propagating to the host.
            try syscalls.mount(source: nil, target: ".", fstype: nil, flags: [.slave, .recursive], data: nil)
            try syscalls.umount2(".", flags: 2)  // MNT_DETACH
        }
        try syscalls.chdir("/")
    }

    /// `linux.rootfsPropagation` on the new root, once the binds of `protectPaths` are done (a bind
    /// of an unbindable mount fails).
    public func applyRootPropagation() throws(StackError) {
        if let propagation = spec.linux?.rootfsPropagation, rootPropagation != [.private, .recursive],
            !propagation.isEmpty, context.mountNamespace
        {
            try syscalls.mount(source: nil, target: "/", fstype: nil, flags: rootPropagation, data: nil)
        }
    }

    /// Readonly paths (bind + remount read-only), masked paths (/dev/null over files, an empty
    /// read-only tmpfs over directories), then a read-only root. Paths that do not exist are skipped.
    /// Without a mount namespace nothing is mounted: those mounts would change the host's.
    public func protectPaths() throws(StackError) {
        guard context.mountNamespace else { return }
        for path in spec.linux?.readonlyPaths ?? [] {
            guard probe.kind(path) != nil else { continue }
            try syscalls.mount(source: path, target: path, fstype: nil, flags: [.bind, .recursive], data: nil)
            try syscalls.mount(
                source: path, target: path, fstype: nil,
                flags: [.bind, .remount, .readOnly, .recursive, .noSuid, .noDev, .noExec], data: nil)
        }
        for path in spec.linux?.maskedPaths ?? [] {
            switch probe.kind(path) {
            case nil:
                continue
            case .directory:
                try syscalls.mount(source: "tmpfs", target: path, fstype: "tmpfs", flags: .readOnly, data: nil)
            default:
                try syscalls.mount(source: "/dev/null", target: path, fstype: nil, flags: .bind, data: nil)
            }
        }
        if spec.root?.readonly == true {
            try syscalls.mount(
                source: nil, target: "/", fstype: nil, flags: [.bind, .remount, .readOnly], data: nil)
        }
    }

    // MARK: helpers shared by the steps

    /// The path of a container path under the rootfs (before pivot_root).
    func hostPath(_ containerPath: String) -> String { PathJoin.inRoot(rootfs, containerPath) }

    /// `mkdir -p` through the syscalls.
    func makeDirectories(_ path: String, mode: UInt32 = 0o755) throws(StackError) {
        let cleaned = PathJoin.clean(path)
        if probe.kind(cleaned) != nil { return }
        var current = ""
        for part in cleaned.split(separator: "/") {
            current += "/" + part
            if probe.kind(current) != nil { continue }
            do {
                try syscalls.mkdir(current, mode: mode)
            } catch let error where error.errno == .EEXIST {
                continue
            }
        }
    }

    /// Create an empty file (and its directory) as a mount point for a file.
    func makeFile(_ path: String) throws(StackError) {
        if probe.kind(path) != nil { return }
        try makeDirectories(PathJoin.parent(path))
        let fd = try syscalls.open(path, flags: 0o100 | 0o2000000 | 1, mode: 0o644)  // O_CREAT|O_CLOEXEC|O_WRONLY
        try syscalls.close(fd)
    }
}
