import LinuxOS
import RuntimeSpec

/// The steps for one entry of the spec's `mounts`, made under the rootfs before `pivot_root`.
struct MountPlan {
    let context: InitContext

    func append(_ mount: Spec.Mount, to plan: inout InitPlan) {
        let options = MountOptions.parse(mount.options ?? [])
        let target = PathJoin.inRoot(context.rootfs, mount.destination)
        let type = mount.type ?? (options.isBind ? "bind" : "")
        if options.isBind || type == "bind" {
            bind(mount, options: options, target: target, to: &plan)
        } else if type == "cgroup" || type == "cgroup2" {
            cgroup(options: options, target: target, to: &plan)
        } else {
            let data = options.data.isEmpty ? nil : options.data
            // A user namespace without its own network namespace may not mount sysfs (nor mqueue
            // without its own ipc namespace): the host's are bound instead.
            var fallback: (source: String, remount: MountFlags)? = nil
            if context.userNamespace && type == "sysfs" {
                fallback = ("/sys", Self.remountFlags(options.flags))
            } else if context.userNamespace && type == "mqueue" {
                fallback = ("/dev/mqueue", [])
            }
            plan.append(
                RootfsPlan.mount(
                    mount.source ?? type, target, fstype: type, flags: options.flags, data: data,
                    extra: .makeTarget, fallback: fallback))
        }
        for propagation in options.propagation {
            plan.append(RootfsPlan.mount(nil, target, flags: propagation))
        }
    }

    /// A bind: the child makes the target a directory or a file like the source, binds, and
    /// remounts with the other flags (a bind ignores every flag but MS_REC).
    private func bind(_ mount: Spec.Mount, options: MountOptions, target: String, to plan: inout InitPlan) {
        let given = mount.source ?? ""
        let source = given.hasPrefix("/") ? given : PathJoin.clean(context.bundle + "/" + given)
        var flags: MountFlags = [.bind]
        if options.isRecursiveBind { flags.insert(.recursive) }
        plan.append(
            InitStep(
                .bind, a: UInt64(flags.rawValue), b: UInt64(Self.remountFlags(options.flags).rawValue),
                strings: ["mount " + mount.destination, source, target]))
    }

    /// The flags a remount of a bind applies; empty when none is needed.
    static func remountFlags(_ flags: MountFlags) -> MountFlags {
        flags.subtracting([.bind, .recursive, .remount])
    }

    /// `cgroup` mounts: cgroup2 itself, or a tmpfs with one directory per v1 hierarchy. In a cgroup
    /// namespace the file systems are mounted (they show the namespace's root); otherwise the
    /// container's own directories are bound from the host.
    private func cgroup(options: MountOptions, target: String, to plan: inout InitPlan) {
        let flags = options.flags.subtracting([.bind, .recursive])
        plan.append(RootfsPlan.makeDirectories(target))
        if context.cgroupVersion == "v2" {
            if context.cgroupNamespace || context.cgroupMounts.isEmpty {
                plan.append(RootfsPlan.mount("cgroup", target, fstype: "cgroup2", flags: flags))
            } else if let own = context.cgroupMounts.first {
                bindDirectory(own.hostDirectory, target, flags: flags, to: &plan)
            }
            return
        }
        let tmpfsFlags: MountFlags = [.noSuid, .noDev, .noExec]
        plan.append(RootfsPlan.mount("tmpfs", target, fstype: "tmpfs", flags: tmpfsFlags, data: "mode=755"))
        for hierarchy in context.cgroupMounts {
            let directory = PathJoin.inRoot(target, hierarchy.name)
            plan.append(InitStep(.mkdir, a: 0o755, strings: [directory]))
            if context.cgroupNamespace {
                let isV2 = hierarchy.options.isEmpty
                plan.append(
                    RootfsPlan.mount(
                        "cgroup", directory, fstype: isV2 ? "cgroup2" : "cgroup", flags: flags,
                        data: isV2 ? nil : hierarchy.options))
            } else {
                bindDirectory(hierarchy.hostDirectory, directory, flags: flags, to: &plan)
            }
        }
        if flags.contains(.readOnly) {
            plan.append(RootfsPlan.mount(nil, target, flags: tmpfsFlags.union([.remount, .readOnly])))
        }
    }

    /// Bind a host directory and remount it with `flags`.
    private func bindDirectory(_ source: String, _ target: String, flags: MountFlags, to plan: inout InitPlan) {
        plan.append(RootfsPlan.mount(source, target, fstype: "bind", flags: .bind))
        let extra = Self.remountFlags(flags)
        if !extra.isEmpty {
            plan.append(RootfsPlan.mount(nil, target, flags: extra.union([.bind, .remount])))
        }
    }
}
