import Cgroups
import StackCore

/// mountinfo and fake cgroupfs trees for the three layouts, written for these tests.
enum CgroupFixtures {
    static let legacyMountinfo = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        25 22 0:22 / /sys rw,nosuid shared:6 - sysfs sysfs rw
        30 25 0:26 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755
        31 30 0:27 / /sys/fs/cgroup/systemd rw,nosuid shared:10 - cgroup cgroup rw,xattr,name=systemd
        32 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:11 - cgroup cgroup rw,cpu,cpuacct
        33 30 0:29 / /sys/fs/cgroup/memory rw,nosuid shared:12 - cgroup cgroup rw,memory
        34 30 0:30 / /sys/fs/cgroup/cpuset rw,nosuid shared:13 - cgroup cgroup rw,cpuset,clone_children
        35 30 0:31 / /sys/fs/cgroup/pids rw,nosuid shared:14 - cgroup cgroup rw,pids
        36 30 0:32 / /sys/fs/cgroup/blkio rw,nosuid shared:15 - cgroup cgroup rw,blkio
        37 30 0:33 / /sys/fs/cgroup/devices rw,nosuid shared:16 - cgroup cgroup rw,devices
        38 30 0:34 / /sys/fs/cgroup/freezer rw,nosuid shared:17 - cgroup cgroup rw,freezer
        39 30 0:35 / /sys/fs/cgroup/hugetlb rw,nosuid shared:18 - cgroup cgroup rw,hugetlb
        """

    static let unifiedMountinfo = """
        22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
        25 22 0:22 / /sys rw,nosuid shared:6 - sysfs sysfs rw
        30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
        """

    /// This machine's shape: each v1 controller on its own, name=systemd, cgroup2 at unified.
    static let hybridMountinfo = """
        23 1 0:21 / / rw,relatime - overlay overlay rw
        31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
        32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
        33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
        34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
        35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
        36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
        37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
        38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
        39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
        40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
        41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
        """

    static let unlimited = "9223372036854771712"

    /// Control files of each v1 controller (the root's values).
    static let legacyFiles: [String: [String: String]] = [
        "memory": [
            "memory.limit_in_bytes": unlimited, "memory.memsw.limit_in_bytes": unlimited,
            "memory.soft_limit_in_bytes": unlimited, "memory.swappiness": "60",
            "memory.oom_control": "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n",
            "memory.usage_in_bytes": "0", "memory.max_usage_in_bytes": "0", "memory.failcnt": "0",
        ],
        "cpu": [
            "cpu.shares": "1024", "cpu.cfs_quota_us": "-1", "cpu.cfs_period_us": "100000",
            "cpu.cfs_burst_us": "0", "cpu.idle": "0", "cpu.rt_period_us": "1000000", "cpu.rt_runtime_us": "0",
        ],
        "cpuacct": ["cpuacct.usage": "0", "cpuacct.stat": "user 0\nsystem 0\n"],
        "cpuset": ["cpuset.cpus": "0-3", "cpuset.mems": "0"],
        "pids": ["pids.max": "max", "pids.current": "0"],
        "blkio": ["blkio.weight": "500", "blkio.leaf_weight": "500", "blkio.weight_device": "", "blkio.leaf_weight_device": ""],
        "devices": ["devices.allow": "", "devices.deny": "", "devices.list": "a *:* rwm"],
        "freezer": ["freezer.state": "THAWED"],
        "hugetlb": ["hugetlb.2MB.limit_in_bytes": unlimited, "hugetlb.1GB.limit_in_bytes": unlimited],
        "name=systemd": [:],
    ]

    /// Control files of each v2 controller, given to children where the controller is enabled.
    static let unifiedFiles: [String: String] = [
        "memory.max": "max", "memory.high": "max", "memory.low": "0", "memory.swap.max": "max", "memory.oom.group": "0",
        "memory.current": "0", "memory.events": "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
        "cpu.weight": "100", "cpu.max": "max 100000", "cpu.max.burst": "0", "cpu.idle": "0",
        "cpuset.cpus": "", "cpuset.mems": "", "pids.max": "max", "pids.current": "0",
        "io.weight": "default 100", "io.max": "", "hugetlb.2MB.max": "max",
    ]

    static let unifiedControllers = ["cpuset", "cpu", "io", "memory", "hugetlb", "pids"]

    /// A fake tree laid out like `layout` (controllers of co-mounted hierarchies merged).
    static func fakeFileSystem(for layout: CgroupLayout) throws -> FakeCgroupFileSystem {
        let fs = try FakeCgroupFileSystem()
        var filesByMount: [String: [String: String]] = [:]
        for (controller, mount) in layout.legacyMounts {
            filesByMount[mount.mountPoint, default: [:]].merge(legacyFiles[controller] ?? [:]) { old, _ in old }
        }
        for (mountPoint, files) in filesByMount { fs.addLegacyMount(mountPoint, files: files) }
        if case .unified(let mount) = layout {
            fs.addUnifiedMount(mount.mountPoint, controllers: unifiedControllers, files: unifiedFiles)
        } else if case .hybrid(_, let mount) = layout {
            // The hybrid cgroup2 mount offers no controllers.
            fs.addUnifiedMount(mount.mountPoint, controllers: [])
        }
        return fs
    }

    static func layout(_ mountinfo: String) throws -> CgroupLayout {
        try CgroupLayout.detect(mountinfo: mountinfo)
    }

    /// Options without real waiting.
    static let fastOptions = CgroupManagerOptions(
        rmdirAttempts: 3, rmdirRetryDelayMicroseconds: 0, freezeTimeoutMicroseconds: 2_000, freezePollMicroseconds: 100)
}
