import LinuxOS
import RuntimeSpec

/// The mount-namespace part of the init plan, before and after `pivot_root`: propagation, the
/// rootfs bound onto itself, the spec's mounts, /dev, entering the rootfs, masked and read-only
/// paths, the rootfs propagation.
///
/// Questions about the file system (does a bind source exist, is a masked path a directory) are
/// left to the steps, which the child answers when it runs them, after the mounts before them.
struct RootfsPlan {
    let context: InitContext
    /// The mount point `path` lives on in the runtime's mount namespace (for `shared` propagation).
    let mountPoint: @Sendable (String) -> String?

    private var spec: Spec { context.spec }
    private var rootfs: String { context.rootfs }

    /// Propagation of `/`, the rootfs bound onto itself, the spec's mounts in order, then /dev.
    ///
    /// `pivot_root` refuses a new root on a shared parent mount and a bind of an unbindable one, so
    /// with `shared` the rootfs's parent mount is made private first, and `unbindable` is applied
    /// only after `enter` (until then `/` is private).
    func prepare(_ plan: inout InitPlan, umask: UInt32) {
        guard context.mountNamespace else { return }
        let before: MountFlags = rootPropagation.contains(.unbindable) ? [.private, .recursive] : rootPropagation
        plan.append(Self.mount(nil, "/", flags: before))
        if rootPropagation.contains(.shared), let parent = mountPoint(rootfs) {
            plan.append(Self.mount(nil, parent, flags: .private))
        }
        plan.append(Self.mount(rootfs, rootfs, fstype: "bind", flags: [.bind, .recursive]))
        for mount in spec.mounts ?? [] {
            MountPlan(context: context).append(mount, to: &plan)
        }
        let devices = DevicePlan(context: context)
        let ownDev = (spec.mounts ?? []).contains(where: { PathJoin.clean($0.destination) == "/dev" })
        if ownDev { devices.appendDefaultDevices(to: &plan, umask: umask) }
        devices.appendSpecDevices(to: &plan, umask: umask)
        if ownDev { devices.appendSymlinks(to: &plan) }
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

    /// `pivot_root(".", ".")` and a lazy unmount of the old root, or `chroot` when `noPivotRoot`
    /// is asked for or there is no mount namespace.
    func enter(_ plan: inout InitPlan, noPivotRoot: Bool) {
        plan.append(InitStep(.chdir, strings: [rootfs]))
        if noPivotRoot || !context.mountNamespace {
            if context.mountNamespace { plan.append(Self.mount(rootfs, "/", flags: .move)) }
            plan.append(InitStep(.chroot, strings: ["."]))
        } else {
            plan.append(InitStep(.pivotRoot))
            // The old root is stacked on "."; keep its unmount from propagating to the host.
            plan.append(Self.mount(nil, ".", flags: [.slave, .recursive]))
            plan.append(InitStep(.umount, a: 2, strings: ["."]))  // MNT_DETACH
        }
        plan.append(InitStep(.chdir, strings: ["/"]))
    }

    /// `linux.rootfsPropagation` on the new root, once the binds of `protectPaths` are done (a bind
    /// of an unbindable mount fails).
    func applyRootPropagation(_ plan: inout InitPlan) {
        if let propagation = spec.linux?.rootfsPropagation, rootPropagation != [.private, .recursive],
            !propagation.isEmpty, context.mountNamespace
        {
            plan.append(Self.mount(nil, "/", flags: rootPropagation))
        }
    }

    /// Read-only paths, masked paths (each skipped when missing), then a read-only root. Without a
    /// mount namespace nothing is mounted: those mounts would change the host's.
    func protectPaths(_ plan: inout InitPlan) {
        guard context.mountNamespace else { return }
        for path in spec.linux?.readonlyPaths ?? [] {
            plan.append(InitStep(.protect, strings: [path]))
        }
        for path in spec.linux?.maskedPaths ?? [] {
            plan.append(InitStep(.protect, flags: .mask, strings: [path]))
        }
        if spec.root?.readonly == true {
            plan.append(Self.mount(nil, "/", flags: [.bind, .remount, .readOnly]))
        }
    }

    /// A `mount` step labelled `mount TARGET`.
    static func mount(
        _ source: String?, _ target: String, fstype: String? = nil, flags: MountFlags, data: String? = nil,
        extra: InitStep.Flags = [], fallback: (source: String, remount: MountFlags)? = nil
    ) -> InitStep {
        var items = ["mount " + target, source ?? "", target, fstype ?? "", data ?? ""]
        var stepFlags = extra
        var remount: UInt64 = 0
        if let fallback {
            items.append(fallback.source)
            stepFlags.insert(.bindOnEPERM)
            remount = UInt64(fallback.remount.rawValue)
        }
        return InitStep(.mount, flags: stepFlags, a: UInt64(flags.rawValue), b: remount, strings: items)
    }

    /// `mkdir -p`.
    static func makeDirectories(_ path: String, quiet: Bool = false) -> InitStep {
        InitStep(.mkdir, flags: quiet ? [.parents, .quiet] : .parents, a: 0o755, strings: [PathJoin.clean(path)])
    }
}
