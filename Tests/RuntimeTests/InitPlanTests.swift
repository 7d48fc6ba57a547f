import CRuntime
import ContainerInit
import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore
import Testing

/// The container's setup as planned for the C init: order, flags, and what is left to the child.
@Suite struct InitPlanTests {
    func makeContext(_ change: (inout Spec) -> Void = { _ in }) -> InitContext {
        var spec = DefaultSpec.make()
        spec.process?.terminal = false
        change(&spec)
        return InitContext(
            spec: spec, bundle: "/b", cgroupVersion: "hybrid",
            cgroupMounts: [CgroupMountSource(name: "memory", options: "memory", hostDirectory: "/sys/fs/cgroup/memory/x")])
    }

    func plan(_ context: InitContext, _ change: (inout InitPlanBuilder) -> Void = { _ in }) throws -> [String] {
        var builder = InitPlanBuilder(context: context)
        change(&builder)
        return try builder.createPlan().rendered
    }

    @Test func mountsInSpecOrderThenDevicesThenPivotRoot() throws {
        let steps = try plan(makeContext())
        #expect(steps.first == #"mount("","/","",MS_REC|MS_PRIVATE,"")"#)
        #expect(steps[1] == #"mount("/b/rootfs","/b/rootfs","bind",MS_BIND|MS_REC,"")"#)
        let proc = try #require(steps.firstIndex(of: #"mount("proc","/b/rootfs/proc","proc",0,"") [mkdir]"#))
        let dev = try #require(steps.firstIndex(of: #"mount("tmpfs","/b/rootfs/dev","tmpfs",MS_NOSUID|MS_STRICTATIME,"mode=755,size=65536k") [mkdir]"#))
        let pts = try #require(steps.firstIndex { $0.hasPrefix(#"mount("devpts","/b/rootfs/dev/pts","devpts""#) })
        let sysfs = try #require(steps.firstIndex(of: #"mount("sysfs","/b/rootfs/sys","sysfs",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC,"") [mkdir]"#))
        let cgroupTmpfs = try #require(steps.firstIndex { $0.hasPrefix(#"mount("tmpfs","/b/rootfs/sys/fs/cgroup","tmpfs""#) })
        let memoryBind = try #require(steps.firstIndex(of: #"mount("/sys/fs/cgroup/memory/x","/b/rootfs/sys/fs/cgroup/memory","bind",MS_BIND,"")"#))
        let null = try #require(steps.firstIndex(of: #"mknod("/b/rootfs/dev/null",S_IFCHR|0666,1:3)"#))
        let ptmx = try #require(steps.firstIndex(of: #"symlink("pts/ptmx","/b/rootfs/dev/ptmx")"#))
        let pivot = try #require(steps.firstIndex(of: #"pivot_root(".",".")"#))
        #expect(proc < dev && dev < pts && pts < sysfs && sysfs < cgroupTmpfs && cgroupTmpfs < memoryBind)
        #expect(memoryBind < null && null < ptmx && ptmx < pivot)
        // ro on the cgroup mount: the bind is remounted read-only, then the tmpfs.
        #expect(steps.contains(#"mount("","/b/rootfs/sys/fs/cgroup/memory","",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT|MS_BIND|MS_RELATIME,"")"#))
        #expect(steps.contains(#"mount("","/b/rootfs/sys/fs/cgroup","",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_REMOUNT,"")"#))
        // Every default device, made with umask 0, then the runtime's umask again.
        for device in ["null", "zero", "full", "random", "urandom", "tty"] {
            #expect(steps.contains { $0.hasPrefix("mknod(\"/b/rootfs/dev/\(device)\"") })
        }
        let umask0 = try #require(steps.firstIndex(of: "umask(0)"))
        #expect(umask0 < null && steps[umask0 + 7] == "umask(022)")
    }

    @Test func theWholeSequenceAroundCreatedAndStart() throws {
        var context = makeContext { spec in
            spec.hostname = "box"
            spec.linux?.sysctl = ["net.ipv4.ip_forward": "1"]
            spec.linux?.maskedPaths = ["/proc/kcore"]
            spec.linux?.readonlyPaths = ["/proc/sys"]
            spec.process?.args = ["sh", "-c", "true"]
            spec.process?.env = ["PATH=/bin"]
        }
        context.spec.mounts = []
        let steps = try plan(context)
        let tail = Array(steps.drop { $0 != "openFDDirectory" })
        #expect(Array(tail.prefix(20)) == [
            "openFDDirectory", #"chdir("/b/rootfs")"#, #"pivot_root(".",".")"#, #"mount("",".","",MS_REC|MS_SLAVE,"")"#,
            #"umount2(".",MNT_DETACH)"#, #"chdir("/")"#, #"mkdir("/",0755) -p quiet"#, #"sethostname("box")"#,
            #"write("/proc/sys/net/ipv4/ip_forward","1")"#, #"readonly("/proc/sys")"#, #"mask("/proc/kcore")"#,
            #"mount("","/","",MS_RDONLY|MS_REMOUNT|MS_BIND,"")"#, "setrlimit(7,1024,1024)", "close a=0x5", "lookup sh /bin", "created", "waitStart",
            "boundingSet a=0x20000420 b=0x28", "prctl(PR_SET_KEEPCAPS,1)", "setgroups([])",
        ])
        #expect(tail.last == "exec sh -c true PATH=/bin HOME=/ a=0x3 b=0x2")
    }

    @Test func aUserNamespaceBindsDevicesAndFallsBackToTheHostsSysfs() throws {
        var context = makeContext()
        context.userNamespace = true
        let steps = try plan(context)
        #expect(!steps.contains { $0.hasPrefix("mknod") })
        #expect(steps.contains(#"mkfile("/b/rootfs/dev/null")"#))
        #expect(steps.contains(#"mount("/dev/null","/b/rootfs/dev/null","bind",MS_BIND,"")"#))
        #expect(steps.contains(
            #"mount("sysfs","/b/rootfs/sys","sysfs",MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC,"") [mkdir] [eperm: bind "/sys" remount MS_RDONLY|MS_NOSUID|MS_NODEV|MS_NOEXEC]"#))
    }

    @Test func bindMountsLeaveTheTargetKindToTheChildAndRemountForTheirFlags() throws {
        let context = makeContext { spec in
            spec.mounts = [Spec.Mount(destination: "/data", type: "bind", source: "data", options: ["rbind", "ro", "nosuid"])]
        }
        let steps = try plan(context)
        #expect(steps.contains(#"bind("/b/data","/b/rootfs/data",MS_BIND|MS_REC) remount MS_RDONLY|MS_NOSUID"#))
        let bind = try #require(try InitPlanBuilder(context: context).createPlan().steps.first { $0.code == .bind })
        #expect(bind.items.first == .string("mount /data"))
    }

    @Test func sharedPropagationMakesTheRootfsParentMountPrivateAndIsReappliedAfterPivot() throws {
        let steps = try plan(makeContext { $0.linux?.rootfsPropagation = "shared" }) { $0.mountPoint = { _ in "/b" } }
        #expect(Array(steps.prefix(3)) == [
            #"mount("","/","",MS_REC|MS_SHARED,"")"#, #"mount("","/b","",MS_PRIVATE,"")"#,
            #"mount("/b/rootfs","/b/rootfs","bind",MS_BIND|MS_REC,"")"#,
        ])
        let pivot = try #require(steps.firstIndex(of: #"pivot_root(".",".")"#))
        let after = try #require(steps.lastIndex(of: #"mount("","/","",MS_REC|MS_SHARED,"")"#))
        let masked = try #require(steps.lastIndex { $0.hasPrefix("mask(") })
        #expect(pivot < masked && masked < after)
    }

    @Test func unbindablePropagationWaitsUntilAfterPivot() throws {
        let steps = try plan(makeContext { $0.linux?.rootfsPropagation = "unbindable" })
        // A bind of an unbindable mount fails with EINVAL, so / stays private until the rootfs is bound.
        #expect(Array(steps.prefix(2)) == [
            #"mount("","/","",MS_REC|MS_PRIVATE,"")"#, #"mount("/b/rootfs","/b/rootfs","bind",MS_BIND|MS_REC,"")"#,
        ])
        let unbindable = steps.indices.filter { steps[$0].contains("MS_UNBINDABLE") }
        #expect(unbindable.count == 1)
        #expect(unbindable.first.map { $0 > steps.lastIndex { $0.hasPrefix("mask(") } ?? 0 } == true)
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

    @Test func withoutAMountNamespaceNothingIsMountedAndChrootIsUsed() throws {
        var context = makeContext { spec in
            spec.linux?.maskedPaths = ["/proc/kcore"]
            spec.root?.readonly = true
        }
        context.mountNamespace = false
        let steps = try plan(context)
        #expect(!steps.contains { $0.hasPrefix("mount(") || $0.hasPrefix("mask(") || $0.hasPrefix("pivot") })
        let chdir = try #require(steps.firstIndex(of: #"chdir("/b/rootfs")"#))
        #expect(Array(steps[chdir...].prefix(3)) == [#"chdir("/b/rootfs")"#, #"chroot(".")"#, #"chdir("/")"#])
    }

    @Test func noPivotRootMovesTheRootfsAndChroots() throws {
        let steps = try plan(makeContext()) { $0.noPivotRoot = true }
        let chdir = try #require(steps.firstIndex(of: #"chdir("/b/rootfs")"#))
        #expect(Array(steps[chdir...].prefix(4)) == [
            #"chdir("/b/rootfs")"#, #"mount("/b/rootfs","/","",MS_MOVE,"")"#, #"chroot(".")"#, #"chdir("/")"#,
        ])
    }

    @Test func aReadonlyRootIsRemountedAfterTheProtectedPaths() throws {
        let steps = try plan(makeContext { spec in
            spec.linux?.readonlyPaths = ["/proc/sys"]
            spec.linux?.maskedPaths = ["/proc/kcore", "/sys/firmware"]
            spec.root?.readonly = true
        })
        let first = try #require(steps.firstIndex(of: #"readonly("/proc/sys")"#))
        #expect(Array(steps[first...].prefix(4)) == [
            #"readonly("/proc/sys")"#, #"mask("/proc/kcore")"#, #"mask("/sys/firmware")"#,
            #"mount("","/","",MS_RDONLY|MS_REMOUNT|MS_BIND,"")"#,
        ])
    }

    @Test func finalizeKeepsCapsAcrossSetuidAndLoadsSeccompLast() throws {
        var context = makeContext()
        context.spec.process?.user = Spec.User(uid: 1000, gid: 1000, umask: 0o027, additionalGids: [10, 20])
        context.spec.process?.cwd = "/work"
        let steps = try plan(context) { $0.seccomp = BPFProgram(bytes: [UInt8](repeating: 0, count: 8)) }
        let start = try #require(steps.firstIndex(of: "waitStart"))
        #expect(Array(steps[(start + 1)...].dropLast()) == [
            "boundingSet a=0x20000420 b=0x28", "prctl(PR_SET_KEEPCAPS,1)", "setgroups([10, 20])", "setresgid(1000)",
            "setresuid(1000)", "prctl(PR_SET_KEEPCAPS,0)", "capset a=0x20000420 b=0x20000420", "prctl(PR_SET_NO_NEW_PRIVS,1)",
            "umask(027)", #"chdir("/work")"#, "seccomp(8)",
        ])
    }

    @Test func withoutNoNewPrivilegesSeccompComesFirst() throws {
        var context = makeContext()
        context.spec.process?.noNewPrivileges = false
        let steps = try plan(context) { $0.seccomp = BPFProgram(bytes: [UInt8](repeating: 0, count: 8)) }
        let start = try #require(steps.firstIndex(of: "waitStart"))
        #expect(steps[start + 1] == "seccomp(8)")
        #expect(!steps.contains("prctl(PR_SET_NO_NEW_PRIVS,1)"))
    }

    @Test func aBadFilterOrRlimitIsRefusedBeforeTheClone() {
        #expect(throws: StackError.self) {
            _ = try plan(makeContext()) { $0.seccomp = BPFProgram(bytes: [1, 2, 3]) }
        }
        var context = makeContext()
        context.spec.process?.rlimits = [Spec.Rlimit(type: "RLIMIT_BOGUS", hard: 1, soft: 1)]
        #expect(throws: StackError.self) { _ = try plan(context) }
    }

    @Test func hooksAndTheStateTheyRead() throws {
        var context = makeContext()
        var specHooks = Spec.Hooks()
        specHooks.prestart = [Spec.Hook(path: "/bin/pre")]
        specHooks.createContainer = [Spec.Hook(path: "/bin/cc", args: ["cc", "-x"], env: ["A=1"], timeout: 3)]
        specHooks.startContainer = [Spec.Hook(path: "/bin/sc")]
        context.spec.hooks = specHooks
        let plan = try InitPlanBuilder(context: context).createPlan()
        let codes = plan.steps.map(\.code)
        #expect(codes.first == .readState)
        let sync = try #require(codes.firstIndex(of: .hooksSync))
        let hooks = codes.indices.filter { codes[$0] == .hook }
        #expect(hooks.count == 2 && sync < hooks[0] && hooks[0] < codes.firstIndex(of: .pivotRoot) ?? 0)
        #expect(hooks[1] > codes.firstIndex(of: .waitStart) ?? .max)
        #expect(plan.steps[hooks[0]].description == "hook createContainer /bin/cc cc -x A=1 a=0x2 b=0x1 c=0x3")
        #expect(plan.steps[hooks[1]].description == "hook startContainer /bin/sc /bin/sc a=0x1")
    }

    @Test func anExecPlanJoinsNothingItselfAndSkipsTheConsoleBind() throws {
        var process = try #require(makeContext().spec.process)
        process.terminal = true
        process.consoleSize = Spec.ConsoleSize(height: 24, width: 80)
        let steps = try InitPlanBuilder(context: makeContext()).execPlan(process).rendered
        #expect(Array(steps.prefix(4)) == ["setrlimit(7,1024,1024)", "terminal a=0x18 b=0x50", "close a=0x5", "lookup sh /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"])
        #expect(steps[4] == "created")
    }

    @Test func theEncodingIsWhatTheCInterpreterWalks() throws {
        let plan = try InitPlanBuilder(context: makeContext()).createPlan()
        let bytes = plan.encoded()
        #expect(bytes.count % 8 == 0)
        #expect(bytes.withUnsafeBytes { cr_init_check($0.baseAddress, $0.count) } == 0)
        // A truncated plan, and a wrong magic, are refused.
        let cut = Array(bytes.dropLast(8))
        #expect(cut.withUnsafeBytes { cr_init_check($0.baseAddress, $0.count) } < 0)
        var bad = bytes
        bad[0] ^= 0xff
        #expect(bad.withUnsafeBytes { cr_init_check($0.baseAddress, $0.count) } < 0)
        // The codes agree with the C header.
        #expect(InitStep.Code.mount.rawValue == UInt32(CR_INIT_MOUNT.rawValue))
        #expect(InitStep.Code.exec.rawValue == UInt32(CR_INIT_EXEC.rawValue))
        #expect(InitStep.Code.waitStart.rawValue == UInt32(CR_INIT_WAIT_START.rawValue))
        #expect(InitPlan.magic == CR_INIT_MAGIC)
    }

    @Test func syncMessagesRoundTrip() throws {
        let message = SyncMessage(.error, message: "a \"quoted\"\nline")
        let line = message.line()
        #expect(line.hasSuffix("\n") && line.filter { $0 == "\n" }.count == 1)
        #expect(try SyncMessage.parse(Array(line.utf8.dropLast())) == message)
        #expect(try SyncMessage.parse(Array(#"{"type":"created","message":null,"extra":[1]}"#.utf8)) == SyncMessage(.created))
        for bad in [#"[]"#, #"{"type":"nope"}"#, #"{"type":"error","message":3}"#] {
            #expect(throws: StackError.self) { try SyncMessage.parse(Array(bad.utf8)) }
        }
    }
}
