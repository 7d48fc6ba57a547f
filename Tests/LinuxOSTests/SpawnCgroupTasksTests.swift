import LinuxOS
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A cgroup v1 hierarchy to make test cgroups in (`pids` or `freezer`), and its controller name
/// in /proc/PID/cgroup; nil on a cgroup v2 only host.
enum CgroupV1TestHierarchy {
    static var found: (mountPoint: String, controller: String)? {
        for controller in ["pids", "freezer"] where access("/sys/fs/cgroup/\(controller)/tasks", F_OK) == 0 {
            return ("/sys/fs/cgroup/\(controller)", controller)
        }
        return nil
    }
}

/// The child joining cgroup v1 hierarchies itself (`SpawnRequest.cgroupTaskFDs`): root and a
/// cgroup v1 hierarchy only.
@Suite(.enabled(if: SpawnSupport.isRoot && CgroupV1TestHierarchy.found != nil, "needs root and a cgroup v1 hierarchy"))
struct SpawnCgroupTasksTests {
    typealias S = SpawnSupport

    static var hierarchy: (mountPoint: String, controller: String)? { CgroupV1TestHierarchy.found }

    /// Make a cgroup, open its `tasks` for writing, run `body`, remove the cgroup.
    func withTasksFile(_ body: (_ fd: Int32, _ name: String) throws -> Void) throws {
        let hierarchy = try #require(Self.hierarchy)
        let name = "stack-spawn-tasks-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let path = "\(hierarchy.mountPoint)/\(name)"
        try #require(mkdir(path, 0o755) == 0)
        defer { #expect(rmdir(path) == 0, "cgroup \(path) left behind") }
        let fd = open(path + "/tasks", O_WRONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        try body(fd, name)
    }

    /// The line of /proc/PID/cgroup output for the test's hierarchy.
    func line(in output: String) -> Substring? {
        let controller = Self.hierarchy?.controller ?? "-"
        return output.split(separator: "\n").first { $0.split(separator: ":").dropFirst().first == Substring(controller) }
    }

    @Test(arguments: [true, false])
    func theChildJoinsTheCgroupBeforeItExecs(clone3: Bool) throws {
        try withTasksFile { fd, name in
            var request = SpawnRequest(path: "/bin/cat", arguments: ["cat", "/proc/self/cgroup"])
            request.namespaces = [.pid, .mount]
            request.usesClone3 = clone3
            request.cgroupTaskFDs = [fd]
            let (output, status, pid) = try S.run(request)
            #expect(status == .exited(0))
            #expect(line(in: output)?.hasSuffix(":/\(name)") == true, "\(output)")
            #expect(S.isGone(pid))
        }
        // The parent stayed where it was.
        let own = S.readText("/proc/self/cgroup") ?? ""
        #expect(line(in: own)?.contains("stack-spawn-tasks-") == false)
    }

    @Test(.enabled(if: SpawnSupport.userNamespacesAllowed, "user namespaces disabled"))
    func aChildInAUserNamespaceJoinsThroughTheParentsFile() throws {
        try withTasksFile { fd, name in
            var request = SpawnRequest(path: "/bin/cat", arguments: ["cat", "/proc/self/cgroup"])
            request.namespaces = [.user, .pid]
            request.becomesRoot = true
            request.cgroupTaskFDs = [fd]
            let map = [IDMapping(containerID: 0, hostID: 100000, size: 65536)]
            let (output, status, _) = try S.run(request) { process in
                try UserNamespace.writeMappings(pid: process.pid, uid: map, gid: map)
            }
            #expect(status == .exited(0))
            #expect(line(in: output)?.hasSuffix(":/\(name)") == true, "\(output)")
        }
    }

    @Test func aFailedJoinNamesTheStepAndTheChildNeverExecs() throws {
        // A read-only fd: the child's write fails with EBADF.
        let hierarchy = try #require(Self.hierarchy)
        let fd = open(hierarchy.mountPoint + "/tasks", O_RDONLY | O_CLOEXEC)
        try #require(fd >= 0)
        defer { close(fd) }
        var request = SpawnRequest(path: "/bin/true", arguments: ["true"])
        request.cgroupTaskFDs = [fd]
        let process = try Spawner().spawn(request)
        #expect {
            try process.release()
        } throws: { error in
            (error as? StackError)?.description.contains("cgroup tasks: EBADF") == true
        }
        #expect(S.isGone(process.pid))
    }
}
