import ContainerConfig
import RuntimeSpec
import StackAPI
import StackCore
import Testing

/// Builds with test defaults; `change` edits the request.
func buildSpec(
    image: ImageDefaults = ImageDefaults(env: ["PATH=/image/bin", "LANG=C"], cmd: ["/bin/sh"]),
    identity: ResolvedUser = .root, initPath: String? = nil, netnsPath: String? = nil,
    devices: [String: DeviceNumber] = [:],
    _ change: (inout ContainerCreateRequest) -> Void = { _ in }
) throws(StackError) -> Spec {
    var request = ContainerCreateRequest(image: "busybox")
    change(&request)
    let lookup: DeviceNumberLookup = { path throws(StackError) in
        guard let number = devices[path] else { throw StackError(.notFound, "no such device") }
        return number
    }
    return try OCISpecBuilder.build(
        request: request, image: image, rootfs: "/var/lib/stack/containers/abc/rootfs", hostname: "abc123def456",
        identity: identity, etcFiles: ["/etc/hosts": "/c/hosts", "/etc/resolv.conf": "/c/resolv.conf", "/etc/hostname": "/c/hostname"],
        initPath: initPath, cgroupsPath: "/stack/abc", netnsPath: netnsPath, deviceNumbers: lookup,
        architecture: "amd64")
}

@Suite struct OCISpecBuilderTests {
    @Test func defaults() throws {
        let spec = try buildSpec()
        #expect(spec.ociVersion == Spec.currentVersion)
        #expect(spec.root == Spec.Root(path: "/var/lib/stack/containers/abc/rootfs", readonly: false))
        #expect(spec.hostname == "abc123def456")
        let process = try #require(spec.process)
        #expect(process.args == ["/bin/sh"])
        #expect(process.cwd == "/")
        #expect(process.terminal == false)
        #expect(process.user == Spec.User(uid: 0, gid: 0))
        #expect(process.env == ["PATH=/image/bin", "HOSTNAME=abc123def456", "LANG=C", "HOME=/root"])
        #expect(process.capabilities?.bounding == DockerDefaults.capabilities)
        #expect(process.capabilities?.effective == DockerDefaults.capabilities)
        #expect(process.capabilities?.permitted == DockerDefaults.capabilities)
        #expect(process.capabilities?.inheritable == [])
        #expect(process.capabilities?.ambient == [])
        #expect(DockerDefaults.capabilities.count == 14)
        #expect(!DockerDefaults.capabilities.contains("CAP_SYS_ADMIN"))
        #expect(process.noNewPrivileges == false)
        #expect(process.rlimits == nil)

        let linux = try #require(spec.linux)
        #expect(linux.cgroupsPath == "/stack/abc")
        #expect(linux.maskedPaths?.contains("/proc/kcore") == true)
        #expect(linux.maskedPaths?.contains("/sys/firmware") == true)
        #expect(linux.readonlyPaths == ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"])
        #expect(linux.namespaces?.map(\.type) == ["pid", "ipc", "uts", "mount", "cgroup", "network"])
        #expect(linux.namespace(.network)?.path == nil)
        #expect(linux.namespace(.user) == nil)
        let seccomp = try #require(linux.seccomp)
        #expect(seccomp.defaultAction == "SCMP_ACT_ERRNO")
        #expect(seccomp.defaultErrnoRet == 1)
        #expect(seccomp.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
        let devices = try #require(linux.resources?.devices)
        #expect(devices.first == Spec.Linux.DeviceRule(allow: false, access: "rwm"))
        #expect(devices.contains(Spec.Linux.DeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rwm")))
        #expect(devices.contains(Spec.Linux.DeviceRule(allow: true, type: "c", major: 136, minor: nil, access: "rwm")))
        #expect(linux.resources?.memory == nil)
        #expect(linux.resources?.cpu == nil)
        #expect(linux.sysctl == nil)

        let mounts = try #require(spec.mounts)
        #expect(mounts.map(\.destination) == [
            "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm",
            "/etc/hostname", "/etc/hosts", "/etc/resolv.conf",
        ])
        #expect(mounts.first { $0.destination == "/dev/shm" }?.options?.contains("size=67108864") == true)
        #expect(mounts.first { $0.destination == "/sys" }?.options?.contains("ro") == true)
        #expect(mounts.first { $0.destination == "/etc/hosts" } == Spec.Mount(
            destination: "/etc/hosts", type: "bind", source: "/c/hosts", options: ["rbind", "rprivate"]))
        // The result is a spec the runtime accepts.
        _ = try SpecLoader.decode(text: try SpecLoader.encode(spec))
    }

    @Test func entrypointAndCmd() throws {
        let image = ImageDefaults(cmd: ["serve", "--port", "80"], entrypoint: ["/app"])
        #expect(try buildSpec(image: image).process?.args == ["/app", "serve", "--port", "80"])
        #expect(try buildSpec(image: image) { $0.cmd = ["version"] }.process?.args == ["/app", "version"])
        // A request entrypoint drops the image's Cmd.
        #expect(try buildSpec(image: image) { $0.entrypoint = ["/bin/sh"] }.process?.args == ["/bin/sh"])
        #expect(try buildSpec(image: image) { $0.entrypoint = ["/bin/sh"]; $0.cmd = ["-c", "true"] }.process?.args
            == ["/bin/sh", "-c", "true"])
        // An empty entrypoint clears the image's but keeps its Cmd.
        #expect(try buildSpec(image: image) { $0.entrypoint = [""] }.process?.args == ["serve", "--port", "80"])
        #expect(try buildSpec(image: image) { $0.entrypoint = []; $0.cmd = ["ls"] }.process?.args == ["ls"])
        let none = thrownError { () throws(StackError) in try buildSpec(image: ImageDefaults()) }
        #expect(none?.path == "Cmd")
        #expect(none?.message == "no command specified")
    }

    @Test func environmentAndWorkdir() throws {
        let image = ImageDefaults(env: ["PATH=/image/bin", "A=image", "B=image", "HOME=/srv"], cmd: ["x"], workingDir: "/srv")
        let spec = try buildSpec(image: image) {
            $0.env = ["A=request", "B", "C=new"]
            $0.tty = true
        }
        #expect(spec.process?.env == ["PATH=/image/bin", "HOSTNAME=abc123def456", "TERM=xterm", "A=request", "HOME=/srv", "C=new"])
        #expect(spec.process?.terminal == true)
        #expect(spec.process?.cwd == "/srv")
        #expect(try buildSpec { $0.workingDir = "/work" }.process?.cwd == "/work")
        let noPath = try buildSpec(image: ImageDefaults(cmd: ["x"]))
        #expect(noPath.process?.env?.first == "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        let relative = thrownError { () throws(StackError) in try buildSpec { $0.workingDir = "work" } }
        #expect(relative?.path == "WorkingDir")
        #expect(relative?.message.contains("needs to be an absolute path") == true)
    }

    @Test func memory() throws {
        let spec = try buildSpec { $0.hostConfig.memory = 512 << 20; $0.hostConfig.memoryReservation = 256 << 20 }
        #expect(spec.linux?.resources?.memory?.limit == 512 << 20)
        #expect(spec.linux?.resources?.memory?.swap == 1024 << 20)  // Docker: swap defaults to 2× memory
        #expect(spec.linux?.resources?.memory?.reservation == 256 << 20)
        let unlimitedSwap = try buildSpec { $0.hostConfig.memory = 512 << 20; $0.hostConfig.memorySwap = -1 }
        #expect(unlimitedSwap.linux?.resources?.memory?.swap == -1)
        let swap = try buildSpec { $0.hostConfig.memory = 512 << 20; $0.hostConfig.memorySwap = 600 << 20 }
        #expect(swap.linux?.resources?.memory?.swap == 600 << 20)
        let oom = try buildSpec { $0.hostConfig.memory = 64 << 20; $0.hostConfig.oomKillDisable = true }
        #expect(oom.linux?.resources?.memory?.disableOOMKiller == true)

        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.memory = 1 << 20 } }?.path == "HostConfig.Memory")
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.memorySwap = 1 << 30 } }?.path
            == "HostConfig.MemorySwap")
        #expect(thrownError { () throws(StackError) in
            try buildSpec { $0.hostConfig.memory = 512 << 20; $0.hostConfig.memorySwap = 256 << 20 }
        }?.path == "HostConfig.MemorySwap")
        #expect(thrownError { () throws(StackError) in
            try buildSpec { $0.hostConfig.memory = 64 << 20; $0.hostConfig.memoryReservation = 128 << 20 }
        }?.path == "HostConfig.MemoryReservation")
    }

    @Test func cpu() throws {
        let nano = try buildSpec { $0.hostConfig.nanoCpus = 1_500_000_000; $0.hostConfig.cpuShares = 512 }
        #expect(nano.linux?.resources?.cpu?.period == 100_000)
        #expect(nano.linux?.resources?.cpu?.quota == 150_000)
        #expect(nano.linux?.resources?.cpu?.shares == 512)
        let explicit = try buildSpec { $0.hostConfig.cpuPeriod = 50_000; $0.hostConfig.cpuQuota = 25_000 }
        #expect(explicit.linux?.resources?.cpu?.period == 50_000)
        #expect(explicit.linux?.resources?.cpu?.quota == 25_000)
        let cpuset = try buildSpec { $0.hostConfig.cpusetCpus = "0-1,3"; $0.hostConfig.cpusetMems = "0" }
        #expect(cpuset.linux?.resources?.cpu?.cpus == "0-1,3")
        #expect(cpuset.linux?.resources?.cpu?.mems == "0")
        let bad = thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.cpusetCpus = "3-1" } }
        #expect(bad?.path == "HostConfig.CpusetCpus")
        #expect(bad.map { "\($0)" }?.hasPrefix("HostConfig.CpusetCpus: ") == true)
        #expect(thrownError { () throws(StackError) in
            try buildSpec { $0.hostConfig.nanoCpus = 1_000_000_000; $0.hostConfig.cpuQuota = 50_000 }
        }?.path == "HostConfig.NanoCpus")
    }

    @Test func pidsAndBlkio() throws {
        #expect(try buildSpec { $0.hostConfig.pidsLimit = 64 }.linux?.resources?.pids?.limit == 64)
        #expect(try buildSpec { $0.hostConfig.pidsLimit = -1 }.linux?.resources?.pids == nil)
        let lookup = ["/dev/sda": DeviceNumber(major: 8, minor: 0)]
        let spec = try buildSpec(devices: lookup) {
            $0.hostConfig.blkioWeight = 300
            $0.hostConfig.blkioDeviceReadBps = [.init(path: "/dev/sda", rate: 1 << 20)]
            $0.hostConfig.blkioDeviceWriteBps = [.init(path: "/dev/sda", rate: 2 << 20)]
            $0.hostConfig.blkioDeviceReadIOps = [.init(path: "/dev/sda", rate: 100)]
            $0.hostConfig.blkioDeviceWriteIOps = [.init(path: "/dev/sda", rate: 200)]
        }
        let blockIO = try #require(spec.linux?.resources?.blockIO)
        #expect(blockIO.weight == 300)
        #expect(blockIO.throttleReadBpsDevice == [Spec.Linux.ThrottleDevice(major: 8, minor: 0, rate: 1 << 20)])
        #expect(blockIO.throttleWriteBpsDevice == [Spec.Linux.ThrottleDevice(major: 8, minor: 0, rate: 2 << 20)])
        #expect(blockIO.throttleReadIOPSDevice == [Spec.Linux.ThrottleDevice(major: 8, minor: 0, rate: 100)])
        #expect(blockIO.throttleWriteIOPSDevice == [Spec.Linux.ThrottleDevice(major: 8, minor: 0, rate: 200)])
        let missing = thrownError { () throws(StackError) in
            try buildSpec(devices: lookup) { $0.hostConfig.blkioDeviceWriteIOps = [.init(path: "/dev/nope", rate: 1)] }
        }
        #expect(missing?.path == "HostConfig.BlkioDeviceWriteIOps[0].Path")
        #expect(missing?.message.contains("/dev/nope: no such device") == true)
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.blkioWeight = 5 } }?.path == "HostConfig.BlkioWeight")
    }

    @Test func ulimitsOomSysctls() throws {
        let spec = try buildSpec {
            $0.hostConfig.ulimits = [.init(name: "nofile", soft: 1024, hard: 2048), .init(name: "core", soft: -1, hard: -1)]
            $0.hostConfig.oomScoreAdj = 500
            $0.hostConfig.sysctls = ["net.ipv4.ip_forward": "1", "kernel.shmmax": "1000"]
        }
        #expect(spec.process?.rlimits == [
            Spec.Rlimit(type: "RLIMIT_NOFILE", hard: 2048, soft: 1024),
            Spec.Rlimit(type: "RLIMIT_CORE", hard: UInt64.max, soft: UInt64.max),
        ])
        #expect(spec.process?.oomScoreAdj == 500)
        #expect(spec.linux?.sysctl == ["net.ipv4.ip_forward": "1", "kernel.shmmax": "1000"])
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.sysctls = ["vm.swappiness": "1"] } }?.path
            == "HostConfig.Sysctls.vm.swappiness")
        #expect(thrownError { () throws(StackError) in
            try buildSpec { $0.hostConfig.networkMode = "host"; $0.hostConfig.sysctls = ["net.core.somaxconn": "1"] }
        }?.message.contains("host network namespace") == true)
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.oomScoreAdj = 2000 } }?.path == "HostConfig.OomScoreAdj")
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.ulimits = [.init(name: "bogus", soft: 1, hard: 1)] } }?
            .path == "HostConfig.Ulimits[0].Name")
    }

    @Test func capabilities() throws {
        let spec = try buildSpec { $0.hostConfig.capAdd = ["NET_ADMIN", "cap_sys_ptrace"]; $0.hostConfig.capDrop = ["MKNOD", "CAP_NET_RAW"] }
        let caps = try #require(spec.process?.capabilities?.bounding)
        #expect(caps.contains("CAP_NET_ADMIN"))
        #expect(caps.contains("CAP_SYS_PTRACE"))
        #expect(!caps.contains("CAP_MKNOD"))
        #expect(!caps.contains("CAP_NET_RAW"))
        #expect(caps.count == 14)
        #expect(try buildSpec { $0.hostConfig.capDrop = ["ALL"]; $0.hostConfig.capAdd = ["CHOWN"] }.process?.capabilities?.bounding
            == ["CAP_CHOWN"])
        #expect(try buildSpec { $0.hostConfig.capAdd = ["ALL"]; $0.hostConfig.capDrop = ["SYS_ADMIN"] }.process?.capabilities?.bounding
            == CapabilityName.all.filter { $0 != "CAP_SYS_ADMIN" })
        let unknown = thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.capAdd = ["FLY"] } }
        #expect(unknown?.path == "HostConfig.CapAdd[0]")
        #expect(unknown?.message == "unknown capability: \"FLY\"")
        // A non-root user keeps only the bounding set, as execve would leave it.
        let user = try buildSpec(identity: ResolvedUser(uid: 1000, gid: 1000, additionalGids: [10], home: "/home/u"))
        #expect(user.process?.capabilities?.effective == [])
        #expect(user.process?.capabilities?.permitted == [])
        #expect(user.process?.capabilities?.bounding == DockerDefaults.capabilities)
        #expect(user.process?.user == Spec.User(uid: 1000, gid: 1000, additionalGids: [10]))
        #expect(user.process?.env?.contains("HOME=/home/u") == true)
    }

    @Test func privileged() throws {
        let spec = try buildSpec { $0.hostConfig.privileged = true; $0.hostConfig.capDrop = ["CHOWN"] }
        #expect(spec.process?.capabilities?.bounding == CapabilityName.all)
        #expect(spec.process?.capabilities?.effective == CapabilityName.all)
        #expect(spec.linux?.seccomp == nil)
        #expect(spec.linux?.maskedPaths == nil)
        #expect(spec.linux?.readonlyPaths == nil)
        #expect(spec.linux?.resources?.devices == [Spec.Linux.DeviceRule(allow: true, access: "rwm")])
        #expect(spec.mounts?.first { $0.destination == "/sys" }?.options?.contains("ro") == false)
    }

    @Test func securityOptions() throws {
        let spec = try buildSpec { $0.hostConfig.securityOpt = ["no-new-privileges", "seccomp=unconfined"] }
        #expect(spec.process?.noNewPrivileges == true)
        #expect(spec.linux?.seccomp == nil)
        #expect(spec.linux?.maskedPaths != nil)
        let unmasked = try buildSpec { $0.hostConfig.securityOpt = ["systempaths=unconfined"] }
        #expect(unmasked.linux?.maskedPaths == nil)
        #expect(unmasked.linux?.seccomp != nil)
        let custom = try buildSpec {
            $0.hostConfig.securityOpt = [#"seccomp={"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]}"#]
        }
        #expect(custom.linux?.seccomp?.defaultAction == "SCMP_ACT_ALLOW")
        #expect(custom.linux?.seccomp?.syscalls == [Spec.Linux.Syscall(names: ["mkdir"], action: "SCMP_ACT_ERRNO")])
        let broken = thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.securityOpt = ["seccomp={\"syscalls\":[]}"] } }
        #expect(broken?.path == "HostConfig.SecurityOpt(seccomp)")
    }

    @Test func initReadOnlyNetworkTmpfs() throws {
        let spec = try buildSpec(initPath: "/usr/libexec/stack-init") {
            $0.hostConfig.initProcess = true
            $0.hostConfig.readonlyRootfs = true
            $0.hostConfig.tmpfs = ["/run": "size=1m,exec", "/dev/shm": "size=8m"]
            $0.hostConfig.shmSize = 1 << 20
            $0.hostConfig.binds = ["/srv/data:/data:ro"]
        }
        #expect(spec.process?.args == ["/sbin/stack-init", "--", "/bin/sh"])
        #expect(spec.root?.readonly == true)
        let mounts = spec.mounts ?? []
        #expect(mounts.last == Spec.Mount(
            destination: "/sbin/stack-init", type: "bind", source: "/usr/libexec/stack-init",
            options: ["bind", "ro", "nosuid", "nodev", "rprivate"]))
        #expect(mounts.first { $0.destination == "/run" }?.options == ["nosuid", "nodev", "size=1m", "exec"])
        // A user tmpfs replaces the default /dev/shm.
        #expect(mounts.filter { $0.destination == "/dev/shm" }.count == 1)
        #expect(mounts.first { $0.destination == "/dev/shm" }?.options?.contains("size=8m") == true)
        #expect(mounts.first { $0.destination == "/data" } == Spec.Mount(
            destination: "/data", type: "bind", source: "/srv/data", options: ["rbind", "ro", "rprivate"]))
        #expect(mounts.first { $0.destination == "/etc/hosts" }?.options == ["rbind", "rprivate", "ro"])
        let shm = try buildSpec { $0.hostConfig.shmSize = 1 << 20 }
        #expect(shm.mounts?.first { $0.destination == "/dev/shm" }?.options?.contains("size=1048576") == true)

        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.initProcess = true } }?.path == "HostConfig.Init")

        let host = try buildSpec(netnsPath: "/run/netns/x") { $0.hostConfig.networkMode = "host" }
        #expect(host.linux?.namespace(.network) == nil)
        let joined = try buildSpec(netnsPath: "/run/netns/x") { $0.hostConfig.networkMode = "bridge" }
        #expect(joined.linux?.namespace(.network)?.path == "/run/netns/x")
        let none = try buildSpec(netnsPath: "/run/netns/x") { $0.hostConfig.networkMode = "none" }
        #expect(none.linux?.namespace(.network) == Spec.Namespace(.network))
        let other = try buildSpec(netnsPath: "/run/netns/other") { $0.hostConfig.networkMode = "container:x" }
        #expect(other.linux?.namespace(.network)?.path == "/run/netns/other")
        let named = try buildSpec(netnsPath: "/run/netns/x") { $0.hostConfig.networkMode = "backend" }
        #expect(named.linux?.namespace(.network)?.path == "/run/netns/x")
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.networkMode = "container:" } }?.path
            == "HostConfig.NetworkMode")
        #expect(thrownError { () throws(StackError) in try buildSpec { $0.hostConfig.networkMode = "two words" } }?.path
            == "HostConfig.NetworkMode")
    }
}
