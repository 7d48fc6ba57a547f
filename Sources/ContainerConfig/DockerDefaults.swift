import RuntimeSpec

/// What Docker gives a container unless told otherwise.
public enum DockerDefaults {
    /// Docker's default capability set (14 capabilities).
    public static let capabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// Paths covered so the container cannot read them.
    public static let maskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ]

    /// Paths remounted read-only.
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// The default `PATH`.
    public static let path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// /dev/shm's default size: 64 MiB.
    public static let shmSize: Int64 = 64 * 1024 * 1024

    /// The CFS period `--cpus` uses, in microseconds.
    public static let cpuPeriod: Int64 = 100_000

    /// The default mounts: proc, /dev, /dev/pts, /dev/shm (`shmSize` bytes), /dev/mqueue, sysfs and cgroup
    /// (read-only unless `privileged`).
    public static func mounts(shmSize: Int64 = shmSize, privileged: Bool = false) -> [Spec.Mount] {
        let readonly = privileged ? [] : ["ro"]
        return [
            Spec.Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
            Spec.Mount(
                destination: "/dev", type: "tmpfs", source: "tmpfs",
                options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            Spec.Mount(
                destination: "/dev/pts", type: "devpts", source: "devpts",
                options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            Spec.Mount(
                destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev"] + readonly),
            Spec.Mount(
                destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                options: ["nosuid", "noexec", "nodev", "relatime"] + readonly),
            Spec.Mount(
                destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
            Spec.Mount(
                destination: "/dev/shm", type: "tmpfs", source: "shm",
                options: ["nosuid", "noexec", "nodev", "mode=1777", "size=\(shmSize)"]),
        ]
    }

    /// The device cgroup rules: deny everything, allow mknod of any node, then the usual character devices
    /// (null, zero, full, random, urandom, tty, console, ptmx, the pts range, tun) and deny fuse.
    public static let deviceRules: [Spec.Linux.DeviceRule] = {
        func allow(_ major: Int64?, _ minor: Int64?, _ access: String = "rwm", type: String = "c") -> Spec.Linux.DeviceRule {
            Spec.Linux.DeviceRule(allow: true, type: type, major: major, minor: minor, access: access)
        }
        return [
            Spec.Linux.DeviceRule(allow: false, access: "rwm"),
            allow(nil, nil, "m"),  // c *:* m
            allow(nil, nil, "m", type: "b"),  // b *:* m
            allow(1, 3),  // /dev/null
            allow(1, 5),  // /dev/zero
            allow(1, 7),  // /dev/full
            allow(1, 8),  // /dev/random
            allow(1, 9),  // /dev/urandom
            allow(5, 0),  // /dev/tty
            allow(5, 1),  // /dev/console
            allow(5, 2),  // /dev/ptmx
            allow(136, nil),  // /dev/pts/*
            allow(10, 200),  // /dev/net/tun
            Spec.Linux.DeviceRule(allow: false, type: "c", major: 10, minor: 229, access: "rwm"),  // /dev/fuse
        ]
    }()

    /// The device cgroup rule of a privileged container: everything.
    public static let privilegedDeviceRules = [Spec.Linux.DeviceRule(allow: true, access: "rwm")]

    /// The environment Docker starts from: PATH, HOSTNAME, and TERM=xterm with a terminal.
    public static func environment(hostname: String, tty: Bool) -> [String] {
        var env = ["PATH=" + path, "HOSTNAME=" + hostname]
        if tty { env.append("TERM=xterm") }
        return env
    }

    /// Sysctl prefixes and names that are namespaced (and so allowed, as in Docker's validation).
    static let namespacedSysctlPrefixes = ["kernel.msg", "kernel.shm", "fs.mqueue.", "net."]
    static let namespacedSysctls: Set<String> = [
        "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced", "kernel.msgmax",
        "kernel.msgmnb", "kernel.msgmni", "kernel.domainname", "kernel.hostname",
    ]
}
