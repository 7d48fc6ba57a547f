import StackCore
import Testing

@testable import RuntimeSpec

@Suite struct SpecDecodingTests {
    func full() throws -> Spec { try SpecLoader.decode(text: Fixtures.full) }

    @Test func decodesProcess() throws {
        let process = try #require(try full().process)
        #expect(process.terminal == true)
        #expect(process.consoleSize == Spec.ConsoleSize(height: 25, width: 80))
        #expect(process.user == Spec.User(uid: 1000, gid: 1000, umask: 18, additionalGids: [5, 6]) .with(username: "app"))
        #expect(process.args == ["/bin/sh", "-c", "echo \"hi\" é😀"])
        #expect(process.commandLine == "sh")
        #expect(process.env == ["PATH=/usr/bin:/bin", "TERM=xterm"])
        #expect(process.cwd == "/work")
        #expect(process.capabilities?.bounding == ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_BPF"])
        #expect(process.capabilities?.inheritable == [])
        #expect(process.capabilities?.ambient == ["CAP_CHECKPOINT_RESTORE"])
        #expect(process.rlimits?.first == Spec.Rlimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 512))
        #expect(process.rlimits?.last?.hard == UInt64.max)
        #expect(process.noNewPrivileges == true)
        #expect(process.oomScoreAdj == -500)
        #expect(process.apparmorProfile == "acme_secure_profile")
        #expect(process.selinuxLabel?.hasPrefix("system_u:") == true)
        #expect(process.ioPriority == Spec.IOPriority(class: "IOPRIO_CLASS_BE", priority: 4))
        #expect(process.scheduler?.policy == "SCHED_DEADLINE")
        #expect(process.scheduler?.period == 30_000_000)
        #expect(process.execCPUAffinity == Spec.CPUAffinity(initial: "0-1", final: "2,3"))
    }

    @Test func decodesTopLevelMountsAndHooks() throws {
        let spec = try full()
        #expect(spec.ociVersion == "1.1.0")
        #expect(spec.root == Spec.Root(path: "rootfs", readonly: true))
        #expect(spec.hostname == "box")
        #expect(spec.domainname == "example.org")
        #expect(spec.mounts?.count == 2)
        #expect(spec.mounts?[0] == Spec.Mount(destination: "/proc", type: "proc", source: "proc"))
        #expect(spec.mounts?[1].options == ["rbind", "ro"])
        #expect(spec.mounts?[1].uidMappings == [Spec.IDMapping(containerID: 0, hostID: 100_000, size: 65536)])
        #expect(spec.hooks?.prestart == [Spec.Hook(path: "/usr/bin/fix-mounts", args: ["fix-mounts", "arg1"], env: ["KEY=value"])])
        #expect(spec.hooks?.createRuntime?.first?.timeout == 5)
        #expect(spec.hooks?.all.map(\.name) == ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"])
        #expect(spec.hooks?.all.allSatisfy { $0.hooks.count == 1 } == true)
        #expect(spec.annotations == ["com.example.key1": "value1", "com.example.key2": "value2"])
    }

    @Test func decodesLinux() throws {
        let linux = try #require(try full().linux)
        #expect(linux.uidMappings == [Spec.IDMapping(containerID: 0, hostID: 1000, size: 32000)])
        #expect(linux.timeOffsets?["monotonic"] == Spec.TimeOffset(secs: -86400, nanosecs: 500))
        #expect(linux.sysctl?["net.ipv4.ip_forward"] == "1")
        #expect(linux.cgroupsPath == "/myRuntime/myContainer")
        #expect(linux.namespaces?.count == 8)
        #expect(linux.namespace(.network)?.path == "/var/run/netns/neta")
        #expect(linux.namespaces?.compactMap(\.kind) == [.pid, .network, .mount, .ipc, .uts, .user, .cgroup, .time])
        #expect(linux.devices?[0] == Spec.Device(type: "c", path: "/dev/fuse", major: 10, minor: 229, fileMode: 438, uid: 0, gid: 0))
        #expect(linux.netDevices?["eth1"]?.name == "ctr1")
        #expect(linux.rootfsPropagation == "slave")
        #expect(linux.maskedPaths == ["/proc/kcore"])
        #expect(linux.readonlyPaths == ["/proc/sys"])
        #expect(linux.mountLabel?.isEmpty == false)
        #expect(linux.intelRdt?.closID == "guaranteed_group")
        #expect(linux.memoryPolicy?.mode == "MPOL_INTERLEAVE")
        #expect(linux.personality == Spec.Personality(domain: "LINUX32", flags: []))
    }

    @Test func decodesResourcesWithWideIntegers() throws {
        let resources = try #require(try full().linux?.resources)
        #expect(resources.devices?[0] == Spec.Linux.DeviceRule(allow: false, access: "rwm"))
        #expect(resources.devices?[1] == Spec.Linux.DeviceRule(allow: true, type: "c", major: 10, minor: 229, access: "rw"))
        let memory = try #require(resources.memory)
        #expect(memory.limit == -1)
        #expect(memory.reservation == 268_435_456)
        #expect(memory.swap == Int64.max)
        #expect(memory.kernel == -1)
        #expect(memory.kernelTCP == 0)
        #expect(memory.swappiness == 60)
        #expect(memory.disableOOMKiller == true && memory.useHierarchy == true && memory.checkBeforeUpdate == true)
        let cpu = try #require(resources.cpu)
        #expect(cpu.shares == 1024 && cpu.quota == -1 && cpu.burst == 1000)
        #expect(cpu.period == UInt64.max)
        #expect(cpu.realtimeRuntime == 950_000 && cpu.realtimePeriod == 1_000_000)
        #expect(cpu.cpus == "0-3,7" && cpu.mems == "0" && cpu.idle == 1)
        #expect(resources.pids?.limit == 32771)
        let blockIO = try #require(resources.blockIO)
        #expect(blockIO.weight == 500 && blockIO.leafWeight == 300)
        #expect(blockIO.weightDevice == [Spec.Linux.WeightDevice(major: 8, minor: 0, weight: 600, leafWeight: 300)])
        #expect(blockIO.throttleReadBpsDevice == [Spec.Linux.ThrottleDevice(major: 8, minor: 0, rate: 104_857_600)])
        #expect(blockIO.throttleWriteBpsDevice?.first?.rate == UInt64.max)
        #expect(blockIO.throttleReadIOPSDevice?.first?.rate == 300)
        #expect(blockIO.throttleWriteIOPSDevice?.first?.rate == 200)
        #expect(resources.hugepageLimits == [
            Spec.Linux.HugepageLimit(pageSize: "2MB", limit: 209_715_200), Spec.Linux.HugepageLimit(pageSize: "1GB", limit: 0),
        ])
        #expect(resources.network == Spec.Linux.Network(classID: 1_048_577, priorities: [.init(name: "eth0", priority: 500)]))
        #expect(resources.rdma?["mlx5_1"] == Spec.Linux.Rdma(hcaHandles: 3, hcaObjects: 10000))
        #expect(resources.unified?["io.weight"] == "default 100")
    }

    @Test func decodesSeccomp() throws {
        let seccomp = try #require(try full().linux?.seccomp)
        #expect(seccomp.defaultAction == "SCMP_ACT_ERRNO")
        #expect(seccomp.defaultErrnoRet == 1)
        #expect(seccomp.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"])
        #expect(seccomp.flags == ["SECCOMP_FILTER_FLAG_LOG"])
        #expect(seccomp.listenerPath == "/run/seccomp-agent.socket")
        #expect(seccomp.listenerMetadata == "metadata")
        #expect(seccomp.syscalls?[0] == Spec.Linux.Syscall(names: ["getcwd", "chmod"], action: "SCMP_ACT_ERRNO", errnoRet: 38))
        #expect(seccomp.syscalls?[1].args == [
            Spec.Linux.SyscallArg(index: 0, value: 4_294_967_295, op: "SCMP_CMP_EQ"),
            Spec.Linux.SyscallArg(index: 1, value: UInt64.max, valueTwo: 8, op: "SCMP_CMP_MASKED_EQ"),
        ])
    }

    @Test func theFullFixtureIsValid() throws {
        let problems = SpecValidator.problems(try full())
        #expect(problems == [])
    }

    @Test func roundTripsThroughTheEncoder() throws {
        let spec = try full()
        let text = try SpecLoader.encode(spec)
        let again = try SpecLoader.decode(text: text)
        #expect(again == spec)
        // Members come out in the spec's order, nil members are left out.
        let keys = try JSONParser.parse(text).objectKeys
        #expect(keys == ["ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks", "annotations", "linux"])
        #expect(!text.contains("null"))
        #expect(text.contains("\"period\": 18446744073709551615"))
        #expect(text.contains("\"limit\": -1"))
        // Unknown members are dropped.
        #expect(!text.contains("futureProcessField") && !text.contains("windows"))
    }

    @Test func missingOptionalMembersDecodeAsNil() throws {
        let spec = try SpecLoader.decode(text: #"{"ociVersion": "1.0.0", "process": {"cwd": "/"}}"#)
        #expect(spec.root == nil && spec.linux == nil && spec.mounts == nil)
        #expect(spec.process?.user == Spec.User(uid: 0, gid: 0))
        #expect(spec.process?.args == nil)
        let nulls = try SpecLoader.decode(text: #"{"ociVersion": "1.0.0", "linux": null, "hostname": null}"#)
        #expect(nulls.linux == nil && nulls.hostname == nil)
    }

    @Test func decodesProcessFiles() throws {
        let process = try SpecLoader.decodeProcess(data: Array(#"{"args": ["ls"], "cwd": "/tmp", "env": ["A=1"]}"#.utf8))
        #expect(process.args == ["ls"] && process.cwd == "/tmp" && process.env == ["A=1"])
    }

    @Test func loadReadsConfigFromTheBundle() throws {
        var asked: [String] = []
        let spec = try SpecLoader.load(bundle: "/run/b/") { path in
            asked.append(path)
            return Array(Fixtures.minimal.utf8)
        }
        #expect(asked == ["/run/b/config.json"])
        #expect(spec.process?.args == ["/bin/true"])
        #expect(SpecLoader.configPath(bundle: "/x") == "/x/config.json")
    }

    @Test func loadWrapsReadFailures() {
        struct Missing: Error {}
        #expect {
            _ = try SpecLoader.load(bundle: "/nope") { _ in throw Missing() }
        } throws: { error in
            let error = error as? StackError
            return error?.code == .system && error?.message == "cannot read /nope/config.json"
        }
        let passed = StackError(.notFound, "no such bundle")
        #expect {
            _ = try SpecLoader.load(bundle: "/nope") { _ in throw passed }
        } throws: { error in
            (error as? StackError)?.code == .notFound
        }
    }

    @Test func decodesAndEncodesState() throws {
        let state = State(id: "c1", status: .running, pid: 4242, bundle: "/run/b", annotations: ["a": "b"])
        let text = try JSONValueEncoder().encodeString(state)
        #expect(text == #"{"ociVersion":"1.1.0","id":"c1","status":"running","pid":4242,"bundle":"/run/b","annotations":{"a":"b"}}"#)
        let decoded = try JSONValueDecoder().decode(State.self, from: Array(text.utf8))
        #expect(decoded == state)
        let stopped = try JSONValueDecoder().decode(
            State.self, from: Array(#"{"ociVersion":"1.0.2","id":"x","status":"stopped","pid":0,"bundle":"/b"}"#.utf8))
        #expect(stopped.status == .stopped && stopped.pid == 0 && stopped.annotations == nil)
        #expect(ContainerStatus.allCases.map(\.rawValue) == ["creating", "created", "running", "stopped", "paused"])
    }
}

extension Spec.User {
    fileprivate func with(username: String) -> Spec.User {
        var user = self
        user.username = username
        return user
    }
}

extension JSONValue {
    /// The member names of an object, in order.
    var objectKeys: [String] {
        guard case .object(let members) = self else { return [] }
        return members.map(\.key)
    }
}
