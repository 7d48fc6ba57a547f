import Cgroups
import Foundation
import RuntimeSpec
import Testing

/// Every resource kind of the spec lands in the container's own cgroup files, read from inside.
@Suite(.enabled(if: BusyboxBundle.privileged, "needs root and /bin/busybox"))
struct PrivilegedResourceFilesTests {
    /// The first real block device's major and minor (for blkio throttling), if any.
    static var blockDevice: (Int64, Int64)? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/block")) ?? []
        for name in names.sorted() where !name.hasPrefix("loop") && !name.hasPrefix("zram") && !name.hasPrefix("ram") {
            guard let text = try? String(contentsOfFile: "/sys/block/\(name)/dev", encoding: .utf8) else { continue }
            let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
            if parts.count == 2, let major = Int64(parts[0]), let minor = Int64(parts[1]) { return (major, minor) }
        }
        return nil
    }

    func resources(_ spec: inout Spec, device: (Int64, Int64)?) {
        var resources = spec.linux?.resources ?? Spec.Linux.Resources()
        resources.cpu = Spec.Linux.CPU(shares: 512, quota: 50_000, period: 100_000, cpus: "0")
        resources.pids = Spec.Linux.Pids(limit: 42)
        if let (major, minor) = device {
            var io = Spec.Linux.BlockIO()
            io.throttleReadBpsDevice = [Spec.Linux.ThrottleDevice(major: major, minor: minor, rate: 1_048_576)]
            resources.blockIO = io
        }
        resources.devices = [
            Spec.Linux.DeviceRule(allow: false, access: "rwm"),
            Spec.Linux.DeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm"),
        ]
        spec.linux?.resources = resources
    }

    @Test func cpuCpusetPidsBlkioAndDevicesAreInTheCgroupFiles() throws {
        let device = Self.blockDevice
        let unified: Bool
        if case .unified = try CgroupLayout.detect() { unified = true } else { unified = false }
        let script: String
        let expected: String
        if unified {
            script = """
                cat /sys/fs/cgroup/cpu.max /sys/fs/cgroup/cpuset.cpus /sys/fs/cgroup/pids.max
                cat /sys/fs/cgroup/io.max
                """
            expected = "50000 100000\n0\n42\n" + (device.map { "\($0.0):\($0.1) rbps=1048576 wbps=max riops=max wiops=max\n" } ?? "")
        } else {
            script = """
                c=/sys/fs/cgroup
                cat $c/cpu/cpu.shares $c/cpu/cpu.cfs_quota_us $c/cpu/cpu.cfs_period_us $c/cpuset/cpuset.cpus $c/pids/pids.max
                cat $c/blkio/blkio.throttle.read_bps_device
                grep -c '^a ' $c/devices/devices.list; grep -c '^c 1:3 rwm$' $c/devices/devices.list
                """
            // The allowlist replaces "a *:* rwm" (count 0) and holds /dev/null (count 1), next to the
            // runtime's default device rules.
            expected = "512\n50000\n100000\n0\n42\n" + (device.map { "\($0.0):\($0.1) 1048576\n" } ?? "")
                + "0\n1\n"
        }
        let bundle = try BusyboxBundle(args: ["sh", "-c", script]) { resources(&$0, device: device) }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == expected, "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }

    @Test func theDeviceAllowlistIsEnforced() throws {
        // The host's /dev/loop0 bound into the container: the node is there, but the allowlist
        // (deny all, allow /dev/null, plus the runtime's defaults) refuses to open it.
        let loop = "/dev/loop0"
        try #require(FileManager.default.fileExists(atPath: loop))
        let bundle = try BusyboxBundle(args: [
            "sh", "-c", "echo x > /dev/null && echo null-ok; head -c 1 /dev/hostloop 2>&1 | grep -q 'not permitted' && echo loop-denied",
        ]) { spec in
            resources(&spec, device: nil)
            spec.mounts = (spec.mounts ?? []) + [Spec.Mount(destination: "/dev/hostloop", type: "bind", source: loop, options: ["bind"])]
        }
        defer { bundle.tearDown() }
        let result = try bundle.run()
        #expect(result.stdout == "null-ok\nloop-denied\n", "\(result.stderr)")
        #expect(bundle.leftovers() == [])
    }
}
