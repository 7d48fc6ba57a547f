import Cgroups
import StackCore
import Testing

@Suite struct CgroupLayoutTests {
    @Test func legacyLayoutMapsEveryControllerIncludingCoMountedOnes() throws {
        let layout = try CgroupLayout.detect(mountinfo: CgroupFixtures.legacyMountinfo)
        guard case .legacy(let mounts) = layout else {
            Issue.record("expected legacy, got \(layout)")
            return
        }
        #expect(mounts["cpu"] == CgroupMount("/sys/fs/cgroup/cpu,cpuacct"))
        #expect(mounts["cpuacct"] == CgroupMount("/sys/fs/cgroup/cpu,cpuacct"))
        #expect(mounts["memory"] == CgroupMount("/sys/fs/cgroup/memory"))
        #expect(mounts["cpuset"] == CgroupMount("/sys/fs/cgroup/cpuset"))
        #expect(mounts["name=systemd"] == CgroupMount("/sys/fs/cgroup/systemd"))
        // Mount options are not controllers.
        #expect(mounts["rw"] == nil && mounts["xattr"] == nil && mounts["clone_children"] == nil)
        #expect(Set(mounts.keys) == [
            "name=systemd", "cpu", "cpuacct", "memory", "cpuset", "pids", "blkio", "devices", "freezer", "hugetlb",
        ])
        #expect(layout.unifiedMount == nil)
    }

    @Test func unifiedLayout() throws {
        let layout = try CgroupLayout.detect(mountinfo: CgroupFixtures.unifiedMountinfo)
        #expect(layout == .unified(CgroupMount("/sys/fs/cgroup")))
        #expect(layout.legacyMounts.isEmpty)
    }

    @Test func hybridLayoutLikeThisHost() throws {
        let layout = try CgroupLayout.detect(mountinfo: CgroupFixtures.hybridMountinfo)
        guard case .hybrid(let legacy, let unified) = layout else {
            Issue.record("expected hybrid, got \(layout)")
            return
        }
        #expect(unified == CgroupMount("/sys/fs/cgroup/unified"))
        #expect(legacy["cpu"]?.mountPoint == "/sys/fs/cgroup/cpu")
        #expect(legacy["cpuacct"]?.mountPoint == "/sys/fs/cgroup/cpuacct")
        #expect(legacy.count == 9)
        #expect(legacy["hugetlb"] == nil)
    }

    @Test func onlyNamedV1HierarchiesWithCgroup2IsUnified() throws {
        let text = """
            31 23 0:28 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw
            40 31 0:37 / /run/systemd-v1 rw - cgroup cgroup rw,name=systemd
            """
        #expect(try CgroupLayout.detect(mountinfo: text) == .unified(CgroupMount("/sys/fs/cgroup")))
    }

    @Test func mountRootAndEscapedMountPoints() throws {
        let text = """
            50 1 0:40 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory
            51 1 0:41 / /mnt/my\\040cgroups rw - cgroup2 cgroup2 rw
            52 1 0:42 / /sys/fs/cgroup/memory2 rw - cgroup cgroup rw,memory
            """
        let layout = try CgroupLayout.detect(mountinfo: text)
        #expect(layout == .hybrid(
            legacy: ["memory": CgroupMount("/sys/fs/cgroup/memory", root: "/docker/abc")],
            unified: CgroupMount("/mnt/my cgroups")))
        let mount = CgroupMount("/sys/fs/cgroup/memory", root: "/docker/abc")
        #expect(mount.directory(of: "/docker/abc/sub") == "/sys/fs/cgroup/memory/sub")
        #expect(mount.directory(of: "/docker/abc") == "/sys/fs/cgroup/memory")
        #expect(mount.directory(of: "/other") == nil)
    }

    @Test func optionalFieldsAndMalformedLinesAreHandled() throws {
        let text = """
            garbage line
            60 1 0:50 / /sys/fs/cgroup rw,nosuid shared:9 master:3 - cgroup2 cgroup2 rw
            """
        #expect(try CgroupLayout.detect(mountinfo: text) == .unified(CgroupMount("/sys/fs/cgroup")))
    }

    @Test func noCgroupMountIsAnError() {
        #expect {
            try CgroupLayout.detect(mountinfo: "22 1 8:1 / / rw - ext4 /dev/sda1 rw")
        } throws: { error in
            (error as? StackError)?.code == .unsupported && "\(error)".contains("no cgroup file system")
        }
    }

    @Test func membershipParsesV1V2AndCoMountedLines() {
        let membership = CgroupMembership.parse("""
            12:hugetlb:/
            4:cpu,cpuacct:/user.slice
            1:name=systemd:/user.slice/session-1.scope
            0::/user.slice/session-1.scope
            3:memory:/a:b
            """)
        #expect(membership.path(for: "cpu") == "/user.slice")
        #expect(membership.path(for: "cpuacct") == "/user.slice")
        #expect(membership.path(for: "name=systemd") == "/user.slice/session-1.scope")
        #expect(membership.unified == "/user.slice/session-1.scope")
        #expect(membership.path(for: "memory") == "/a:b")
        #expect(membership.path(for: "pids") == nil)
    }
}
