import ContainerInit
import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore
import Synchronization
import Testing

/// Records capability and seccomp operations next to the syscalls.
final class RecordingPrivileges: PrivilegeOperations {
    let syscalls: RecordingSyscalls
    private let log = Mutex<[String]>([])

    init(syscalls: RecordingSyscalls) { self.syscalls = syscalls }

    var calls: [String] { log.withLock { $0 } }

    func limitBoundingSet(to keep: [UInt32]) throws(StackError) {
        _ = syscalls.umask(0o7777)  // a marker in the shared sequence
        log.withLock { $0.append("bounding(\(keep))") }
    }

    func setProcessSets(_ sets: CapabilitySets) throws(StackError) {
        _ = syscalls.umask(0o7776)
        log.withLock { $0.append("capset(e:\(sets.effective) p:\(sets.permitted))") }
    }

    func loadSeccomp(_ program: BPFProgram) throws(StackError) {
        _ = syscalls.umask(0o7775)
        log.withLock { $0.append("seccomp(\(program.bytes.count))") }
    }
}

@Suite struct InitSequenceTests {
    let rootfs = "/b/rootfs"

    func defaultContext(_ change: (inout Spec) -> Void = { _ in }) -> InitContext {
        var spec = DefaultSpec.make()
        spec.process?.terminal = false
        change(&spec)
        return InitContext(
            spec: spec, bundle: "/b", cgroupVersion: "hybrid",
            cgroupMounts: [CgroupMountSource(name: "memory", options: "memory", hostDirectory: "/sys/fs/cgroup/memory/x")])
    }

    @Test func prepareMountsInSpecOrderThenDevices() throws {
        let syscalls = RecordingSyscalls()
        let probe = FakePathProbe([rootfs: .directory, "/b": .directory])
        try RootfsSetup(syscalls: syscalls, probe: probe, context: defaultContext()).prepare()
        let calls = syscalls.calls
        #expect(calls.first == #"mount("","/","",MS_REC|MS_PRIVATE,"")"#)
        #expect(calls[1] == #"mount("/b/rootfs","/b/rootfs","bind",MS_BIND|MS_REC,"")"#)
        let proc = try #require(calls.firstIndex(of: #"mount("proc","/b/rootfs/proc","proc",0,"")"#))
        let dev = try #require(calls.firstIndex(of: #"mount("tmpfs","/b/rootfs/dev","tmpfs",MS_NOSUID|MS_STRICTATIME,"mode=755,size=65536k")"#))
        let pts = try #require(calls.firstIndex { $0.hasPrefix(#"mount("devpts","/b/rootfs/dev/pts","devpts""#) })
        let sysfs = try #require(calls.firstIndex(of: #"mount("sysfs","/b/rootfs/sys","sysfs",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC,"")"#))
        let cgroupTmpfs = try #require(calls.firstIndex { $0.hasPrefix(#"mount("tmpfs","/b/rootfs/sys/fs/cgroup","tmpfs""#) })
        let memoryBind = try #require(calls.firstIndex(of: #"mount("/sys/fs/cgroup/memory/x","/b/rootfs/sys/fs/cgroup/memory","bind",MS_BIND,"")"#))
        let null = try #require(calls.firstIndex(of: #"mknod("/b/rootfs/dev/null",S_IFCHR|0666,1:3)"#))
        let ptmx = try #require(calls.firstIndex(of: #"symlink("pts/ptmx","/b/rootfs/dev/ptmx")"#))
        #expect(proc < dev && dev < pts && pts < sysfs && sysfs < cgroupTmpfs && cgroupTmpfs < memoryBind)
        #expect(memoryBind < null && null < ptmx)
        // ro on the cgroup mount: the bind is remounted read-only, then the tmpfs.
        #expect(calls.contains(#"mount("","/b/rootfs/sys/fs/cgroup/memory","",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND|MS_RELATIME,"")"#))
        #expect(calls.contains(#"mount("","/b/rootfs/sys/fs/cgroup","",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT,"")"#))
        // Every default device, made with umask 0.
        for device in ["null", "zero", "full", "random", "urandom", "tty"] {
            #expect(calls.contains { $0.hasPrefix("mknod(\"/b/rootfs/dev/\(device)\"") })
        }
        #expect(calls.contains("umask(0)"))
    }

    @Test func aUserNamespaceBindsDevicesInsteadOfMknod() throws {
        let syscalls = RecordingSyscalls()
        var context = defaultContext()
        context.userNamespace = true
        try RootfsSetup(syscalls: syscalls, probe: FakePathProbe([rootfs: .directory]), context: context).prepare()
        #expect(!syscalls.calls.contains { $0.hasPrefix("mknod") })
        #expect(syscalls.calls.contains(#"mount("/dev/null","/b/rootfs/dev/null","bind",MS_BIND,"")"#))
    }

    @Test func bindMountsAreRemountedForTheirFlags() throws {
        let syscalls = RecordingSyscalls()
        let context = defaultContext { spec in
            spec.mounts = [Spec.Mount(destination: "/data", type: "bind", source: "data", options: ["rbind", "ro", "nosuid"])]
        }
        let probe = FakePathProbe([rootfs: .directory, "/b/data": .directory])
        try RootfsSetup(syscalls: syscalls, probe: probe, context: context).prepare()
        let calls = syscalls.calls
        let bind = try #require(calls.firstIndex(of: #"mount("/b/data","/b/rootfs/data","bind",MS_BIND|MS_REC,"")"#))
        #expect(calls[bind + 1] == #"mount("","/b/rootfs/data","",MS_RDONLY|MS_NOSUID|MS_REMOUNT|MS_BIND,"")"#)
        #expect(calls.contains(#"mkdir("/b/rootfs/data",0755)"#))
    }

    @Test func pivotRootThenDetachTheOldRoot() throws {
        let syscalls = RecordingSyscalls()
        try RootfsSetup(syscalls: syscalls, probe: FakePathProbe(), context: defaultContext()).enter()
        #expect(
            syscalls.calls == [
                #"chdir("/b/rootfs")"#, #"pivot_root(".",".")"#, #"mount("",".","",MS_REC|MS_SLAVE,"")"#,
                #"umount2(".",MNT_DETACH)"#, #"chdir("/")"#,
            ])
    }

    @Test func sharedPropagationMakesTheRootfsParentMountPrivateAndIsReappliedAfterPivot() throws {
        let syscalls = RecordingSyscalls()
        let context = defaultContext { $0.linux?.rootfsPropagation = "shared" }
        let probe = FakePathProbe([rootfs: .directory], mountPoints: ["/b"])
        let setup = RootfsSetup(syscalls: syscalls, probe: probe, context: context)
        try setup.prepare()
        #expect(Array(syscalls.calls.prefix(3)) == [
            #"mount("","/","",MS_REC|MS_SHARED,"")"#,
            #"mount("","/b","",MS_PRIVATE,"")"#,
            #"mount("/b/rootfs","/b/rootfs","bind",MS_BIND|MS_REC,"")"#,
        ])
        let entering = RecordingSyscalls()
        let after = RootfsSetup(syscalls: entering, probe: probe, context: context)
        try after.enter()
        try after.protectPaths()
        try after.applyRootPropagation()
        #expect(entering.calls.last == #"mount("","/","",MS_REC|MS_SHARED,"")"#)
    }

    @Test func unbindablePropagationWaitsUntilAfterPivot() throws {
        let syscalls = RecordingSyscalls()
        let context = defaultContext { $0.linux?.rootfsPropagation = "unbindable" }
        let probe = FakePathProbe([rootfs: .directory])
        try RootfsSetup(syscalls: syscalls, probe: probe, context: context).prepare()
        // A bind of an unbindable mount fails with EINVAL, so / stays private until the rootfs is bound.
        #expect(Array(syscalls.calls.prefix(2)) == [
            #"mount("","/","",MS_REC|MS_PRIVATE,"")"#, #"mount("/b/rootfs","/b/rootfs","bind",MS_BIND|MS_REC,"")"#,
        ])
        let entering = RecordingSyscalls()
        let after = RootfsSetup(syscalls: entering, probe: FakePathProbe(["/proc/bus": .directory]), context: context)
        try after.enter()
        try after.protectPaths()
        #expect(!entering.calls.contains { $0.contains("MS_UNBINDABLE") })
        try after.applyRootPropagation()
        #expect(entering.calls.last == #"mount("","/","",MS_REC|MS_UNBINDABLE,"")"#)
    }

    @Test func mountInfoFindsTheMountAPathLivesOn() {
        let text = """
            22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
            30 22 0:25 / /tmp rw shared:5 - tmpfs tmpfs rw
            31 30 0:26 / /tmp/with\\040space rw - tmpfs tmpfs rw
            """
        #expect(MountInfo.mountPoints(in: text) == ["/", "/tmp", "/tmp/with space"])
        #expect(MountInfo.mountPoint(of: "/tmp/bundle/rootfs", in: text) == "/tmp")
        #expect(MountInfo.mountPoint(of: "/tmp/with space/rootfs", in: text) == "/tmp/with space")
        #expect(MountInfo.mountPoint(of: "/tmpx/rootfs", in: text) == "/")
        #expect(MountInfo.mountPoint(of: "/tmp", in: text) == "/tmp")
    }

    @Test func withoutAMountNamespaceNothingIsMounted() throws {
        let syscalls = RecordingSyscalls()
        var context = defaultContext { spec in
            spec.linux?.maskedPaths = ["/proc/kcore"]
            spec.root?.readonly = true
        }
        context.mountNamespace = false
        let setup = RootfsSetup(syscalls: syscalls, probe: FakePathProbe(["/proc/kcore": .file]), context: context)
        try setup.prepare()
        try setup.protectPaths()
        #expect(syscalls.calls.isEmpty)
        try setup.enter()
        #expect(syscalls.calls == [#"chdir("/b/rootfs")"#, #"chroot(".")"#, #"chdir("/")"#])
    }

    @Test func noPivotRootUsesChroot() throws {
        let syscalls = RecordingSyscalls()
        try RootfsSetup(syscalls: syscalls, probe: FakePathProbe(), context: defaultContext()).enter(noPivotRoot: true)
        #expect(
            syscalls.calls == [
                #"chdir("/b/rootfs")"#, #"mount("/b/rootfs","/","",MS_MOVE,"")"#, #"chroot(".")"#, #"chdir("/")"#,
            ])
    }

    @Test func readonlyThenMaskedPathsThenTheReadonlyRoot() throws {
        let syscalls = RecordingSyscalls()
        let context = defaultContext { spec in
            spec.linux?.readonlyPaths = ["/proc/sys", "/proc/missing"]
            spec.linux?.maskedPaths = ["/proc/kcore", "/sys/firmware"]
        }
        let probe = FakePathProbe(["/proc/sys": .directory, "/proc/kcore": .file, "/sys/firmware": .directory])
        try RootfsSetup(syscalls: syscalls, probe: probe, context: context).protectPaths()
        #expect(
            syscalls.calls == [
                #"mount("/proc/sys","/proc/sys","",MS_BIND|MS_REC,"")"#,
                #"mount("/proc/sys","/proc/sys","",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND|MS_REC,"")"#,
                #"mount("/dev/null","/proc/kcore","",MS_BIND,"")"#,
                #"mount("tmpfs","/sys/firmware","tmpfs",MS_RDONLY,"")"#,
                #"mount("","/","",MS_RDONLY|MS_REMOUNT|MS_BIND,"")"#,
            ])
    }

    @Test func aFailingStepIsNamedWithItsErrno() throws {
        let syscalls = RecordingSyscalls()
        syscalls.fail("pivot_root", with: .EINVAL)
        do {
            try RootfsSetup(syscalls: syscalls, probe: FakePathProbe(), context: defaultContext()).enter()
            Issue.record("pivot_root should have failed")
        } catch {
            #expect(error.description == "pivot_root: EINVAL (Invalid argument)")
        }
    }

    @Test func systemSettingsAndRlimits() throws {
        let syscalls = RecordingSyscalls()
        var spec = defaultContext().spec
        spec.hostname = "box"
        spec.domainname = "example"
        spec.linux?.sysctl = ["net.ipv4.ip_forward": "1"]
        let setup = ProcessSetup(syscalls: syscalls, privileges: RecordingPrivileges(syscalls: syscalls), spec: spec)
        try setup.configureSystem()
        try setup.applyRlimits(try #require(spec.process))
        #expect(
            syscalls.calls == [
                #"sethostname("box")"#, #"setdomainname("example")"#,
                #"write("/proc/sys/net/ipv4/ip_forward","1")"#, "setrlimit(RLIMIT_NOFILE,1024,1024)",
            ])
    }

    @Test func finalizeKeepsCapsAcrossSetuidAndLoadsSeccompLast() throws {
        let syscalls = RecordingSyscalls()
        var process = try #require(defaultContext().spec.process)
        process.user = Spec.User(uid: 1000, gid: 1000, umask: 0o027, additionalGids: [10, 20])
        process.cwd = "/work"
        let privileges = RecordingPrivileges(syscalls: syscalls)
        let setup = ProcessSetup(syscalls: syscalls, privileges: privileges, spec: Spec())
        try setup.finalize(process, seccomp: BPFProgram(bytes: [UInt8](repeating: 0, count: 8)))
        #expect(
            syscalls.calls == [
                "umask(07777)", "prctl(PR_SET_KEEPCAPS,1)", "setgroups([10,20])", "setresgid(1000,1000,1000)",
                "setresuid(1000,1000,1000)", "prctl(PR_SET_KEEPCAPS,0)", "umask(07776)", "prctl(PR_SET_NO_NEW_PRIVS,1)",
                "umask(027)", #"chdir("/work")"#, "umask(07775)",
            ])
        #expect(privileges.calls == ["bounding([29, 5, 10])", "capset(e:[29, 5, 10] p:[29, 5, 10])", "seccomp(8)"])
    }

    @Test func withoutNoNewPrivilegesSeccompComesFirst() throws {
        let syscalls = RecordingSyscalls()
        var process = try #require(defaultContext().spec.process)
        process.noNewPrivileges = false
        let privileges = RecordingPrivileges(syscalls: syscalls)
        try ProcessSetup(syscalls: syscalls, privileges: privileges, spec: Spec())
            .finalize(process, seccomp: BPFProgram(bytes: [UInt8](repeating: 0, count: 8)))
        #expect(privileges.calls.first == "seccomp(8)")
        #expect(!syscalls.calls.contains("prctl(PR_SET_NO_NEW_PRIVS,1)"))
    }

    @Test func executablesAreFoundInTheContainersPath() throws {
        let probe = FakePathProbe(["/bin/sh": .file, "/usr/bin/env": .file, "/usr/bin": .directory])
        #expect(try ExecutableLookup.resolve("sh", environment: ["PATH=/usr/bin:/bin"], probe: probe) == "/bin/sh")
        #expect(try ExecutableLookup.resolve("env", environment: [], probe: probe) == "/usr/bin/env")
        #expect(try ExecutableLookup.resolve("/bin/sh", environment: [], probe: probe) == "/bin/sh")
        do {
            _ = try ExecutableLookup.resolve("nope", environment: ["PATH=/bin"], probe: probe)
            Issue.record("lookup should fail")
        } catch {
            #expect(error.description == #"exec: "nope": executable file not found in $PATH"#)
        }
    }

    @Test func syncMessagesRoundTrip() throws {
        var message = SyncMessage(.config)
        message.seccomp = Hex.encode([0, 1, 0xab, 0xff])
        message.cgroupMounts = [CgroupMountSource(name: "memory", options: "memory", hostDirectory: "/x")]
        let line = try message.line()
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        let parsed = try SyncMessage.parse(Array(line.utf8.dropLast()))
        #expect(parsed == message)
        #expect(Hex.decode(parsed.seccomp ?? "") == [0, 1, 0xab, 0xff])
        #expect(try SyncMessage.parse(Array(#"{"type":"error","message":"pivot_root: EINVAL"}"#.utf8)).message == "pivot_root: EINVAL")
    }
}
