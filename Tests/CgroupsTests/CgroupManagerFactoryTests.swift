import Cgroups
import StackCore
import Testing

@Suite struct CgroupManagerFactoryTests {
    let membership = CgroupMembership.parse("""
        9:name=systemd:/user.slice/s.scope
        4:memory:/process_api/abc
        3:cpuset:/
        2:cpu,cpuacct:/user.slice
        0::/user.slice/s.scope
        """)

    @Test func relativePathsAreBelowTheCallersCgroupPerController() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        let all = try CgroupLayout.detect(mountinfo: CgroupFixtures.legacyMountinfo).legacyMounts
        let layout = CgroupLayout.legacy(all.filter { ["memory", "cpuset", "cpu", "cpuacct", "name=systemd"].contains($0.key) })
        let manager = try CgroupManagerFactory.make(layout: layout, path: "stack/web", fs: fs, membership: membership)
        #expect(manager.paths.count == 5)
        #expect(manager.path(for: "memory") == "/sys/fs/cgroup/memory/process_api/abc/stack/web")
        #expect(manager.path(for: "cpuset") == "/sys/fs/cgroup/cpuset/stack/web")
        #expect(manager.path(for: "cpu") == "/sys/fs/cgroup/cpu,cpuacct/user.slice/stack/web")
        #expect(manager.path(for: "name=systemd") == "/sys/fs/cgroup/systemd/user.slice/s.scope/stack/web")
    }

    @Test func relativePathsReadProcSelfCgroupThroughTheFileSystem() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        fs.setFile("/proc/self/cgroup", "0::/system.slice/stack.service\n")
        let layout = try CgroupLayout.detect(mountinfo: CgroupFixtures.unifiedMountinfo)
        let manager = try CgroupManagerFactory.make(layout: layout, path: "./web", fs: fs)
        #expect(manager.paths == ["": "/sys/fs/cgroup/system.slice/stack.service/web"])
    }

    @Test func absolutePathsStartAtEachMount() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        let layout = try CgroupLayout.detect(mountinfo: CgroupFixtures.hybridMountinfo)
        let manager = try CgroupManagerFactory.make(layout: layout, path: "/stack/x", fs: fs, membership: membership)
        #expect(manager.path(for: "memory") == "/sys/fs/cgroup/memory/stack/x")
        #expect(manager.path(for: "") == "/sys/fs/cgroup/unified/stack/x")
    }

    @Test func mountRootsAreHonouredForRelativePaths() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        let layout = CgroupLayout.legacy(["memory": CgroupMount("/sys/fs/cgroup/memory", root: "/process_api")])
        let manager = try CgroupManagerFactory.make(layout: layout, path: "c1", fs: fs, membership: membership)
        #expect(manager.path(for: "memory") == "/sys/fs/cgroup/memory/abc/c1")
    }

    @Test func badPathsAreRefused() throws {
        let fs = try FakeCgroupFileSystem()
        defer { fs.removeTree() }
        let layout = try CgroupLayout.detect(mountinfo: CgroupFixtures.unifiedMountinfo)
        #expect { try CgroupManagerFactory.make(layout: layout, path: "/a/../../etc", fs: fs) } throws: {
            ($0 as? StackError)?.code == .invalidArgument
        }
        #expect(throws: StackError.self) { try CgroupManagerFactory.make(layout: layout, path: "/", fs: fs) }
        let legacy = try CgroupLayout.detect(mountinfo: CgroupFixtures.legacyMountinfo)
        #expect { try CgroupManagerFactory.make(layout: legacy, path: "x", fs: fs, membership: membership) } throws: {
            "\($0)" == "this process is in no blkio cgroup (see /proc/self/cgroup)"
        }
        #expect { try CgroupManagerFactory.make(layout: layout, path: "x", fs: fs, membership: CgroupMembership(paths: [:])) } throws: {
            "\($0)" == "this process is in no cgroup2 cgroup (see /proc/self/cgroup)"
        }
    }
}
