import LinuxOS
import RuntimeSpec
import StackCore

/// One entry of the spec's `mounts`, made under the rootfs before `pivot_root`.
struct MountStep {
    let setup: RootfsSetup

    private var syscalls: any Syscalls { setup.syscalls }

    func mount(_ mount: Spec.Mount) throws(StackError) {
        let options = MountOptions.parse(mount.options ?? [])
        let target = setup.hostPath(mount.destination)
        let type = mount.type ?? (options.isBind ? "bind" : "")
        if options.isBind || type == "bind" {
            try bind(mount, options: options, target: target)
        } else if type == "cgroup" || type == "cgroup2" {
            try cgroup(options: options, target: target)
        } else {
            try setup.makeDirectories(target)
            try mountFileSystem(mount, type: type, options: options, target: target)
        }
        for propagation in options.propagation {
            try syscalls.mount(source: nil, target: target, fstype: nil, flags: propagation, data: nil)
        }
    }

    private func mountFileSystem(_ mount: Spec.Mount, type: String, options: MountOptions, target: String)
        throws(StackError)
    {
        let data = options.data.isEmpty ? nil : options.data
        do {
            try syscalls.mount(
                source: mount.source ?? type, target: target, fstype: type, flags: options.flags, data: data)
        } catch let error where type == "sysfs" && error.errno == .EPERM && setup.context.userNamespace {
            // A user namespace without its own network namespace may not mount sysfs: bind the host's.
            try syscalls.mount(source: "/sys", target: target, fstype: nil, flags: [.bind, .recursive], data: nil)
            try remountBind(target: target, flags: options.flags)
        } catch let error where type == "mqueue" && error.errno == .EPERM && setup.context.userNamespace {
            try syscalls.mount(
                source: "/dev/mqueue", target: target, fstype: nil, flags: [.bind, .recursive], data: nil)
        }
    }

    private func bind(_ mount: Spec.Mount, options: MountOptions, target: String) throws(StackError) {
        let given = mount.source ?? ""
        let source = given.hasPrefix("/") ? given : PathJoin.clean(setup.context.bundle + "/" + given)
        guard let kind = setup.probe.kind(source) else {
            throw StackError.system("mount \(mount.destination): bind source \(source)", .ENOENT)
        }
        if kind == .directory {
            try setup.makeDirectories(target)
        } else {
            try setup.makeFile(target)
        }
        var flags: MountFlags = [.bind]
        if options.isRecursiveBind { flags.insert(.recursive) }
        try syscalls.mount(source: source, target: target, fstype: "bind", flags: flags, data: nil)
        try remountBind(target: target, flags: options.flags)
    }

    /// A bind mount ignores every flag but MS_REC; apply ro/nosuid/… with a remount.
    private func remountBind(target: String, flags: MountFlags) throws(StackError) {
        let extra = flags.subtracting([.bind, .recursive, .remount])
        guard !extra.isEmpty else { return }
        try syscalls.mount(source: nil, target: target, fstype: nil, flags: extra.union([.bind, .remount]), data: nil)
    }

    /// `cgroup` mounts: cgroup2 itself, or a tmpfs with one directory per v1 hierarchy. In a cgroup
    /// namespace the file systems are mounted (they show the namespace's root); otherwise the
    /// container's own directories are bound from the host.
    private func cgroup(options: MountOptions, target: String) throws(StackError) {
        let context = setup.context
        let flags = options.flags.subtracting([.bind, .recursive])
        try setup.makeDirectories(target)
        if context.cgroupVersion == "v2" {
            if context.cgroupNamespace || context.cgroupMounts.isEmpty {
                try syscalls.mount(source: "cgroup", target: target, fstype: "cgroup2", flags: flags, data: nil)
            } else if let own = context.cgroupMounts.first {
                try syscalls.mount(
                    source: own.hostDirectory, target: target, fstype: "bind", flags: [.bind], data: nil)
                try remountBind(target: target, flags: flags)
            }
            return
        }
        let tmpfsFlags: MountFlags = [.noSuid, .noDev, .noExec]
        try syscalls.mount(source: "tmpfs", target: target, fstype: "tmpfs", flags: tmpfsFlags, data: "mode=755")
        for hierarchy in context.cgroupMounts {
            let directory = PathJoin.inRoot(target, hierarchy.name)
            try syscalls.mkdir(directory, mode: 0o755)
            if context.cgroupNamespace {
                let isV2 = hierarchy.options.isEmpty
                try syscalls.mount(
                    source: "cgroup", target: directory, fstype: isV2 ? "cgroup2" : "cgroup", flags: flags,
                    data: isV2 ? nil : hierarchy.options)
            } else {
                try syscalls.mount(
                    source: hierarchy.hostDirectory, target: directory, fstype: "bind", flags: [.bind], data: nil)
                try remountBind(target: directory, flags: flags)
            }
        }
        if flags.contains(.readOnly) {
            try syscalls.mount(
                source: nil, target: target, fstype: nil, flags: tmpfsFlags.union([.remount, .readOnly]), data: nil)
        }
    }
}
