import CRuntime
import LinuxOS
import StackCore
import Testing

@Suite struct RecordingSyscallsTests {
    @Test func recordsCallsAsCLikeStrings() throws {
        let sys = RecordingSyscalls()
        try sys.mount(source: "proc", target: "/proc", fstype: "proc", flags: [.noSuid, .noDev, .noExec], data: nil)
        try sys.mount(
            source: "tmpfs", target: "/dev", fstype: "tmpfs", flags: [.noSuid, .strictAtime], data: "mode=755,size=65536k")
        try sys.mount(source: nil, target: "/", fstype: nil, flags: [.recursive, .private], data: nil)
        try sys.mkdir("/dev/pts", mode: 0o755)
        try sys.mknod("/dev/null", mode: FileType.characterDevice | 0o666, device: Device.number(major: 1, minor: 3))
        try sys.symlink(target: "/proc/self/fd", at: "/dev/fd")
        try sys.pivotRoot(newRoot: ".", putOld: ".")
        try sys.umount2(".", flags: 2)
        try sys.chdir("/")
        try sys.sethostname("web")
        try sys.setrlimit(.nofile, soft: 1024, hard: 4096)
        try sys.prctl(.setNoNewPrivileges)
        try sys.setgroups([1, 2])
        try sys.setresuid(1000, 1000, 1000)
        _ = sys.umask(0o027)
        try sys.writeFile("/proc/sys/net/ipv4/ip_forward", contents: "1\n")
        try sys.setns(fd: 5, namespace: .network)
        try sys.unshare([.pid, .mount])
        let fd = try sys.open("/dev/null", flags: 0o2 | 0o2000000, mode: 0)
        try sys.close(fd)
        #expect(
            sys.calls == [
                #"mount("proc","/proc","proc",MS_NOSUID|MS_NODEV|MS_NOEXEC,"")"#,
                #"mount("tmpfs","/dev","tmpfs",MS_NOSUID|MS_STRICTATIME,"mode=755,size=65536k")"#,
                #"mount("","/","",MS_REC|MS_PRIVATE,"")"#,
                #"mkdir("/dev/pts",0755)"#,
                #"mknod("/dev/null",S_IFCHR|0666,1:3)"#,
                #"symlink("/proc/self/fd","/dev/fd")"#,
                #"pivot_root(".",".")"#,
                #"umount2(".",MNT_DETACH)"#,
                #"chdir("/")"#,
                #"sethostname("web")"#,
                "setrlimit(RLIMIT_NOFILE,1024,4096)",
                "prctl(PR_SET_NO_NEW_PRIVS,1)",
                "setgroups([1,2])",
                "setresuid(1000,1000,1000)",
                "umask(027)",
                #"write("/proc/sys/net/ipv4/ip_forward","1\n")"#,
                "setns(5,CLONE_NEWNET)",
                "unshare(CLONE_NEWNS|CLONE_NEWPID)",
                #"open("/dev/null",O_RDWR|O_CLOEXEC,0)"#,
                "close(3)",
            ])
    }

    @Test func configuredFailuresThrowAndCount() throws {
        let sys = RecordingSyscalls()
        sys.fail("pivot_root", with: .EINVAL)
        sys.fail(#"mount("proc""#, with: .EPERM, times: 1)
        #expect {
            try sys.pivotRoot(newRoot: "/rootfs", putOld: "/rootfs/.old")
        } throws: { error in
            (error as? StackError)?.description == "pivot_root: EINVAL (Invalid argument)"
        }
        #expect(throws: StackError.self) {
            try sys.mount(source: "proc", target: "/proc", fstype: "proc", flags: [], data: nil)
        }
        // Only once: the second attempt succeeds; other mounts never failed.
        try sys.mount(source: "proc", target: "/proc", fstype: "proc", flags: [], data: nil)
        try sys.mount(source: "sysfs", target: "/sys", fstype: "sysfs", flags: .readOnly, data: nil)
        #expect(sys.calls.count == 4)
        #expect(sys.calls.first == #"pivot_root("/rootfs","/rootfs/.old")"#)
    }

    @Test func umaskReturnsThePreviousValue() {
        let sys = RecordingSyscalls()
        #expect(sys.umask(0o077) == 0o022)
        #expect(sys.umask(0o022) == 0o077)
    }

    @Test func waitpidReportsConfiguredStatus() throws {
        let sys = RecordingSyscalls()
        sys.setExitStatus(.signaled(9), for: 42)
        #expect(try sys.waitpid(42, options: 0) == WaitResult(pid: 42, status: .signaled(9)))
        #expect(try sys.waitpid(43, options: 0)?.status == .exited(0))
    }

    @Test func deviceNumbersRoundTrip() {
        for (major, minor) in [(1, 3), (5, 2), (136, 0), (4095, 255), (4096, 256), (0xfffff, 0xfffff)] as [(UInt32, UInt32)] {
            let number = Device.number(major: major, minor: minor)
            #expect(number == UInt64(cr_makedev(major, minor)))
            #expect(Device.split(number) == (major, minor))
        }
    }
}

@Suite struct UserNamespaceTests {
    @Test func writesUidThenSetgroupsThenGid() throws {
        let sys = RecordingSyscalls()
        try UserNamespace.writeMappings(
            pid: 77, uid: [IDMapping(containerID: 0, hostID: 100000, size: 65536)],
            gid: [IDMapping(containerID: 0, hostID: 100000, size: 1), IDMapping(containerID: 1, hostID: 200001, size: 10)],
            denySetgroups: true, syscalls: sys)
        #expect(
            sys.calls == [
                #"write("/proc/77/uid_map","0 100000 65536\n")"#,
                #"write("/proc/77/setgroups","deny")"#,
                #"write("/proc/77/gid_map","0 100000 1\n1 200001 10\n")"#,
            ])
    }

    @Test func stopsAtTheFirstFailure() {
        let sys = RecordingSyscalls()
        sys.fail(#"write("/proc/9/uid_map""#, with: .EPERM)
        #expect(throws: StackError.self) {
            try UserNamespace.writeMappings(
                pid: 9, uid: [IDMapping(containerID: 0, hostID: 1000, size: 1)],
                gid: [IDMapping(containerID: 0, hostID: 1000, size: 1)], syscalls: sys)
        }
        #expect(sys.calls.count == 1)
    }
}
