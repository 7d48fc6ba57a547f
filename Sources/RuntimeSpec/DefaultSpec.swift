/// The configuration `spec` writes: the same content as `runc spec` (and `runc spec --rootless`).
public enum DefaultSpec {
    /// The capabilities a default container keeps.
    public static let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]

    /// Paths the default spec masks.
    public static let maskedPaths = [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi", "/sys/devices/virtual/tpm",
    ]

    /// Paths the default spec makes read-only.
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// The default configuration.
    ///
    /// - Parameters:
    ///   - rootless: for an unprivileged user: a user namespace mapping root to `hostUID`/`hostGID`, no network
    ///     namespace, /sys bind-mounted, no `gid=`/`uid=` mount options, no cgroup resources.
    ///   - hostUID: the caller's effective uid (used when `rootless`).
    ///   - hostGID: the caller's effective gid (used when `rootless`).
    ///   - cgroupNamespace: add a cgroup namespace; runc does so when the host runs cgroup v2 only.
    public static func make(rootless: Bool = false, hostUID: UInt32 = 0, hostGID: UInt32 = 0, cgroupNamespace: Bool = false)
        -> Spec
    {
        var spec = Spec()
        spec.root = Spec.Root(path: "rootfs", readonly: true)
        spec.process = process()
        spec.hostname = "runc"
        spec.mounts = mounts()

        var linux = Spec.Linux()
        linux.maskedPaths = maskedPaths
        linux.readonlyPaths = readonlyPaths
        var resources = Spec.Linux.Resources()
        resources.devices = [Spec.Linux.DeviceRule(allow: false, access: "rwm")]
        linux.resources = resources
        var namespaces: [NamespaceType] = [.pid, .network, .ipc, .uts, .mount]
        if cgroupNamespace { namespaces.append(.cgroup) }
        linux.namespaces = namespaces.map { Spec.Namespace($0) }
        spec.linux = linux

        if rootless { makeRootless(&spec, hostUID: hostUID, hostGID: hostGID) }
        return spec
    }

    private static func process() -> Spec.Process {
        var process = Spec.Process(args: ["sh"], cwd: "/")
        process.terminal = true
        process.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"]
        process.noNewPrivileges = true
        process.capabilities = Spec.Capabilities(
            bounding: capabilities, effective: capabilities, permitted: capabilities)
        process.rlimits = [Spec.Rlimit(type: RlimitType.nofile.name, hard: 1024, soft: 1024)]
        return process
    }

    private static func mounts() -> [Spec.Mount] {
        [
            Spec.Mount(destination: "/proc", type: "proc", source: "proc"),
            Spec.Mount(
                destination: "/dev", type: "tmpfs", source: "tmpfs",
                options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Spec.Mount(
                destination: "/dev/pts", type: "devpts", source: "devpts",
                options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            Spec.Mount(
                destination: "/dev/shm", type: "tmpfs", source: "shm",
                options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            Spec.Mount(
                destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Spec.Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
            Spec.Mount(
                destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ]
    }

    private static func makeRootless(_ spec: inout Spec, hostUID: UInt32, hostGID: UInt32) {
        var linux = spec.linux ?? Spec.Linux()
        var namespaces = (linux.namespaces ?? []).filter { $0.type != "network" && $0.type != "user" }
        namespaces.append(Spec.Namespace(.user))
        linux.namespaces = namespaces
        linux.uidMappings = [Spec.IDMapping(containerID: 0, hostID: hostUID, size: 1)]
        linux.gidMappings = [Spec.IDMapping(containerID: 0, hostID: hostGID, size: 1)]
        linux.resources = nil
        spec.linux = linux

        spec.mounts = (spec.mounts ?? []).map { mount in
            if mount.destination == "/sys" {
                return Spec.Mount(
                    destination: "/sys", type: "none", source: "/sys", options: ["rbind", "nosuid", "noexec", "nodev", "ro"])
            }
            var mount = mount
            mount.options = mount.options.map { options in
                options.filter { !$0.hasPrefix("gid=") && !$0.hasPrefix("uid=") }
            }
            return mount
        }
    }
}
