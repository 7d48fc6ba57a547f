import StackCore
import Testing

@testable import RuntimeSpec

/// Each rule with a spec that passes it and one that fails it; failures must name the field.
@Suite struct SpecValidatorTests {
    /// The minimal valid spec, changed by `change`.
    func spec(_ change: (inout Spec) -> Void = { _ in }) throws -> Spec {
        var spec = try SpecLoader.decode(text: Fixtures.minimal)
        change(&spec)
        return spec
    }

    /// Error findings as `path: message`.
    func errors(_ change: (inout Spec) -> Void, forCreate: Bool = true, systemd: Bool = false) throws -> [String] {
        SpecValidator.problems(try spec(change), forCreate: forCreate, systemdCgroup: systemd)
            .filter { $0.severity == .error }.map(\.description)
    }

    func warnings(_ change: (inout Spec) -> Void) throws -> [String] {
        SpecValidator.problems(try spec(change)).filter { $0.severity == .warning }.map(\.description)
    }

    func addNamespace(_ spec: inout Spec, _ type: NamespaceType, path: String? = nil) {
        spec.linux?.namespaces?.append(Spec.Namespace(type, path: path))
    }

    func removeNamespace(_ spec: inout Spec, _ type: NamespaceType) {
        spec.linux?.namespaces?.removeAll { $0.type == type.rawValue }
    }

    @Test func minimalSpecPasses() throws {
        #expect(SpecValidator.problems(try spec()) == [])
        #expect(try SpecValidator.validate(try spec()) == [])
    }

    @Test func validateThrowsTheFirstErrorNamingFileAndField() throws {
        let bad = try spec { $0.process?.cwd = "tmp" }
        #expect {
            try SpecValidator.validate(bad, file: "/b/config.json")
        } throws: { error in
            let error = error as? StackError
            return error?.code == .invalidArgument
                && error?.description == #"/b/config.json: process.cwd: must be an absolute path, got "tmp""#
        }
    }

    @Test func ociVersion() throws {
        #expect(try errors { $0.ociVersion = "1.0.2-dev" } == [])
        #expect(try errors { $0.ociVersion = "2.0.0" } == ["ociVersion: version 2.0.0 is not supported: this runtime implements runtime-spec 1.x"])
        #expect(try errors { $0.ociVersion = "" } == [#"ociVersion: "" is not a version (expected 1.x.y)"#])
        #expect(try errors { $0.ociVersion = "v1" } == [#"ociVersion: "v1" is not a version (expected 1.x.y)"#])
        #expect(try errors { $0.ociVersion = "1.0" } == [])
        #expect(try warnings { $0.ociVersion = "1.0" } == [#"ociVersion: "1.0" is not a semantic version"#])
    }

    @Test func rootAndProcessAreRequiredForCreateOnly() throws {
        #expect(try errors { $0.root = nil } == ["root: is required on Linux"])
        #expect(try errors({ $0.root = nil }, forCreate: false) == [])
        #expect(try errors { $0.root?.path = "" } == ["root.path: must not be empty"])
        #expect(try errors { $0.process = nil } == ["process: is required to create a container"])
        #expect(try errors({ $0.process = nil }, forCreate: false) == [])
    }

    @Test func processArgs() throws {
        #expect(try errors { $0.process?.args = [] } == ["process.args: must name the program to run"])
        #expect(try errors { $0.process?.args = nil } == ["process.args: must name the program to run"])
        #expect(try errors({ $0.process?.args = nil }, forCreate: false) == [])
        #expect(try errors { $0.process?.args = ["", "x"] } == ["process.args[0]: must not be empty"])
    }

    @Test func processCwdAndEnv() throws {
        #expect(try errors { $0.process?.cwd = "/srv" } == [])
        #expect(try errors { $0.process?.cwd = "" } == [#"process.cwd: must be an absolute path, got """#])
        #expect(try errors { $0.process?.env = ["A=1", "B=", "C==d"] } == [])
        #expect(try errors { $0.process?.env = ["A=1", "NOVALUE", "=x"] } == [
            #"process.env[1]: "NOVALUE" is not of the form NAME=value"#, #"process.env[2]: "=x" has an empty variable name"#,
        ])
        #expect(try errors { $0.process?.env = ["A=\u{0}"] } == ["process.env[0]: must not contain a NUL byte"])
    }

    @Test func capabilities() throws {
        let all = Capability.allCases.map(\.name)
        #expect(try errors { $0.process?.capabilities = Spec.Capabilities(bounding: all, effective: all, inheritable: all, permitted: all, ambient: all) } == [])
        #expect(try errors { $0.process?.capabilities = Spec.Capabilities(bounding: ["CAP_KILL", "CAP_FLY"], ambient: ["cap_kill"]) } == [
            #"process.capabilities.bounding[1]: unknown capability "CAP_FLY""#,
            #"process.capabilities.ambient[0]: unknown capability "cap_kill""#,
        ])
    }

    @Test func rlimits() throws {
        let all = RlimitType.allCases.map { Spec.Rlimit(type: $0.name, hard: RlimitType.infinity, soft: 1) }
        #expect(try errors { $0.process?.rlimits = all } == [])
        #expect(try errors {
            $0.process?.rlimits = [
                Spec.Rlimit(type: "RLIMIT_NOFILE", hard: 10, soft: 10), Spec.Rlimit(type: "RLIMIT_NOFILE", hard: 5, soft: 5),
                Spec.Rlimit(type: "RLIMIT_FOO", hard: 1, soft: 1), Spec.Rlimit(type: "RLIMIT_CORE", hard: 1, soft: 2),
            ]
        } == [
            "process.rlimits[1].type: RLIMIT_NOFILE is listed twice", #"process.rlimits[2].type: unknown resource limit "RLIMIT_FOO""#,
            "process.rlimits[3]: soft limit 2 is above the hard limit 1",
        ])
    }

    @Test func processExtras() throws {
        #expect(try errors { $0.process?.oomScoreAdj = 1000 } == [])
        #expect(try errors { $0.process?.oomScoreAdj = -1001 } == ["process.oomScoreAdj: must be between -1000 and 1000, got -1001"])
        #expect(try errors { $0.process?.ioPriority = Spec.IOPriority(class: "IOPRIO_CLASS_RT", priority: 7) } == [])
        #expect(try errors { $0.process?.ioPriority = Spec.IOPriority(class: "RT", priority: 8) } == [
            #"process.ioPriority.class: unknown class "RT""#, "process.ioPriority.priority: must be between 0 and 7, got 8",
        ])
        var scheduler = Spec.Scheduler(policy: "SCHED_BATCH")
        scheduler.flags = ["SCHED_FLAG_RECLAIM"]
        #expect(try errors { $0.process?.scheduler = scheduler } == [])
        scheduler.policy = "SCHED_FAST"
        scheduler.flags = ["SCHED_FLAG_NOPE"]
        scheduler.nice = 20
        #expect(try errors { $0.process?.scheduler = scheduler } == [
            #"process.scheduler.policy: unknown policy "SCHED_FAST""#, #"process.scheduler.flags[0]: unknown flag "SCHED_FLAG_NOPE""#,
            "process.scheduler.nice: must be between -20 and 19, got 20",
        ])
        #expect(try errors { $0.process?.execCPUAffinity = Spec.CPUAffinity(initial: "0-3, 7", final: "1") } == [])
        #expect(try errors { $0.process?.execCPUAffinity = Spec.CPUAffinity(initial: "3-1", final: "a") } == [
            #"process.execCPUAffinity.initial: "3-1" is not a cpu list like 0-3,7"#,
            #"process.execCPUAffinity.final: "a" is not a cpu list like 0-3,7"#,
        ])
    }

    @Test func hostnameAndDomainnameNeedAUTSNamespace() throws {
        #expect(try errors { $0.domainname = "example.org" } == [])
        #expect(try errors { removeNamespace(&$0, .uts) } == ["hostname: cannot be set without a uts namespace in linux.namespaces"])
        #expect(try errors {
            removeNamespace(&$0, .uts)
            $0.hostname = nil
            $0.domainname = "example.org"
        } == ["domainname: cannot be set without a uts namespace in linux.namespaces"])
        // Joining an existing uts namespace counts, as in runc.
        #expect(try errors {
            removeNamespace(&$0, .uts)
            addNamespace(&$0, .uts, path: "/proc/1/ns/uts")
        } == [])
    }

    @Test func namespaces() throws {
        #expect(try errors { addNamespace(&$0, .cgroup); addNamespace(&$0, .time, path: "/proc/1/ns/time") } == [])
        #expect(try errors { $0.linux?.namespaces?.append(Spec.Namespace(type: "net")) } == [
            #"linux.namespaces[5].type: unknown namespace type "net" (expected one of mount, pid, network, uts, ipc, user, cgroup, time)"#,
        ])
        #expect(try errors { addNamespace(&$0, .pid, path: "/proc/1/ns/pid") } == ["linux.namespaces[5].type: the pid namespace is listed twice"])
        #expect(try errors { addNamespace(&$0, .cgroup, path: "proc/1/ns/cgroup") } == [
            #"linux.namespaces[5].path: must be an absolute path, got "proc/1/ns/cgroup""#,
        ])
    }

    @Test func userMappingsRequiredExactlyForANewUserNamespace() throws {
        let map = [Spec.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
        #expect(try errors {
            addNamespace(&$0, .user)
            $0.linux?.uidMappings = map
            $0.linux?.gidMappings = map
        } == [])
        #expect(try errors { addNamespace(&$0, .user) } == [
            "linux.uidMappings: is required when a new user namespace is created",
            "linux.gidMappings: is required when a new user namespace is created",
        ])
        #expect(try errors {
            $0.linux?.uidMappings = map
            $0.linux?.gidMappings = map
        } == [
            "linux.uidMappings: is set, but linux.namespaces has no user namespace",
            "linux.gidMappings: is set, but linux.namespaces has no user namespace",
        ])
        #expect(try errors { addNamespace(&$0, .user, path: "/proc/9/ns/user") } == [])
        #expect(try errors {
            addNamespace(&$0, .user, path: "/proc/9/ns/user")
            $0.linux?.uidMappings = map
        } == ["linux.uidMappings: must not be set when joining an existing user namespace (linux.namespaces[5].path)"])
        #expect(try errors {
            addNamespace(&$0, .user)
            $0.linux?.uidMappings = [Spec.IDMapping(containerID: 0, hostID: 1, size: 0)]
            $0.linux?.gidMappings = [Spec.IDMapping(containerID: 0, hostID: UInt32.max, size: 2)]
        } == ["linux.uidMappings[0].size: must be at least 1", "linux.gidMappings[0]: the range of 2 ids overflows 32 bits"])
    }

    @Test func timeOffsetsNeedANewTimeNamespace() throws {
        let offsets = ["monotonic": Spec.TimeOffset(secs: 10)]
        #expect(try errors { addNamespace(&$0, .time); $0.linux?.timeOffsets = offsets } == [])
        #expect(try errors { $0.linux?.timeOffsets = offsets } == [
            "linux.timeOffsets: need a new time namespace (a time entry without path in linux.namespaces)",
        ])
        #expect(try errors { addNamespace(&$0, .time); $0.linux?.timeOffsets = ["realtime": Spec.TimeOffset(secs: 1)] } == [
            "linux.timeOffsets.realtime: unknown clock (expected boottime or monotonic)",
        ])
    }

    @Test func sysctlOnlyForNamespacedKeys() throws {
        let allowed = [
            "net.ipv4.ip_forward": "1", "net/ipv4/tcp_syncookies": "1", "kernel.shmmax": "1", "kernel.msgmax": "1",
            "kernel.sem": "1 2 3 4", "fs.mqueue.queues_max": "1", "kernel.domainname": "x",
        ]
        #expect(try errors { $0.linux?.sysctl = allowed } == [])
        #expect(try errors { $0.linux?.sysctl = ["vm.swappiness": "1", "kernel.pid_max": "9"] } == [
            #"linux.sysctl["kernel.pid_max"]: is not namespaced, so a container cannot set it"#,
            #"linux.sysctl["vm.swappiness"]: is not namespaced, so a container cannot set it"#,
        ])
        #expect(try errors { removeNamespace(&$0, .network); $0.linux?.sysctl = ["net.core.somaxconn": "1"] } == [
            #"linux.sysctl["net.core.somaxconn"]: needs a network namespace in linux.namespaces"#,
        ])
        #expect(try errors { removeNamespace(&$0, .ipc); $0.linux?.sysctl = ["kernel.shmall": "1", "fs.mqueue.msg_max": "1"] } == [
            #"linux.sysctl["fs.mqueue.msg_max"]: needs an ipc namespace in linux.namespaces"#,
            #"linux.sysctl["kernel.shmall"]: needs an ipc namespace in linux.namespaces"#,
        ])
        #expect(try errors {
            removeNamespace(&$0, .uts)
            $0.hostname = nil
            $0.linux?.sysctl = ["kernel.domainname": "x"]
        } == [#"linux.sysctl["kernel.domainname"]: needs a uts namespace in linux.namespaces"#])
        #expect(try errors { $0.linux?.sysctl = ["kernel.hostname": "x"] } == [
            #"linux.sysctl["kernel.hostname"]: conflicts with the hostname field"#,
        ])
        #expect(try errors { $0.hostname = nil; $0.linux?.sysctl = ["kernel.hostname": "x"] } == [])
    }

    @Test func cgroupsPathSyntax() throws {
        for path in ["/stack/c1", "stack/c1", "c1", "/"] {
            #expect(try errors { $0.linux?.cgroupsPath = path } == [], "\(path)")
        }
        #expect(try errors { $0.linux?.cgroupsPath = "/a/../../b" } == [#"linux.cgroupsPath: "/a/../../b" must not contain .. components"#])
        #expect(try errors { $0.linux?.cgroupsPath = "a\nb" } == ["linux.cgroupsPath: must not contain NUL or newline characters"])
        #expect(try errors { $0.linux?.cgroupsPath = "system.slice:stack:c1" } == [
            #"linux.cgroupsPath: "system.slice:stack:c1" is a systemd slice:prefix:name path, but the cgroupfs driver is in use"#,
        ])
        #expect(try errors({ $0.linux?.cgroupsPath = "system.slice:stack:c1" }, systemd: true) == [])
        #expect(try errors({ $0.linux?.cgroupsPath = ":stack:c1" }, systemd: true) == [])
        #expect(try errors({ $0.linux?.cgroupsPath = "/stack/c1" }, systemd: true) == [
            #"linux.cgroupsPath: "/stack/c1" is not of the form slice:prefix:name required by the systemd cgroup driver"#,
        ])
        #expect(try errors({ $0.linux?.cgroupsPath = "user:stack:" }, systemd: true).count == 1)
    }

    @Test func mounts() throws {
        let map = [Spec.IDMapping(containerID: 0, hostID: 1000, size: 1)]
        #expect(try errors {
            $0.mounts = [Spec.Mount(destination: "/data", type: "bind", source: "/srv", options: ["rbind"], uidMappings: map, gidMappings: map)]
        } == [])
        #expect(try errors { $0.mounts = [Spec.Mount(destination: "", type: "tmpfs")] } == ["mounts[0].destination: must not be empty"])
        #expect(try errors { $0.mounts = [Spec.Mount(destination: "data", type: "tmpfs")] } == [])
        #expect(try warnings { $0.mounts = [Spec.Mount(destination: "data", type: "tmpfs")] } == [
            #"mounts[0].destination: "data" should be an absolute path; it is taken relative to /"#,
        ])
        #expect(try errors { $0.mounts = [Spec.Mount(destination: "/d", type: "bind", uidMappings: map)] } == [
            "mounts[0].gidMappings: is required with uidMappings for an idmapped mount",
        ])
    }

    @Test func hooks() throws {
        var hooks = Spec.Hooks()
        hooks.prestart = [Spec.Hook(path: "/bin/hook", timeout: 1)]
        hooks.poststop = [Spec.Hook(path: "/bin/stop")]
        #expect(try errors { $0.hooks = hooks } == [])
        hooks.createRuntime = [Spec.Hook(path: "hook")]
        hooks.poststart = [Spec.Hook(path: "/bin/x", timeout: 0)]
        #expect(try errors { $0.hooks = hooks } == [
            #"hooks.createRuntime[0].path: must be an absolute path, got "hook""#, "hooks.poststart[0].timeout: must be at least 1 second, got 0",
        ])
    }

    @Test func devices() throws {
        #expect(try errors {
            $0.linux?.devices = [
                Spec.Device(type: "c", path: "/dev/fuse", major: 10, minor: 229, fileMode: 0o666), Spec.Device(type: "p", path: "/dev/fifo"),
            ]
        } == [])
        #expect(try errors {
            $0.linux?.devices = [
                Spec.Device(type: "x", path: "/dev/a"), Spec.Device(type: "b", path: "dev/b", major: 8),
                Spec.Device(type: "c", path: "/dev/a", major: 1, minor: 3, fileMode: 0o17777),
            ]
        } == [
            #"linux.devices[0].type: unknown device type "x" (expected c, b, u or p)"#,
            "linux.devices[1]: a block device needs major and minor",
            #"linux.devices[1].path: must be an absolute path, got "dev/b""#,
            "linux.devices[2].path: /dev/a is listed twice",
            "linux.devices[2].fileMode: 8191 is not a permission mode (at most 4095, i.e. 07777)",
        ])
    }

    @Test func resources() throws {
        var good = Spec.Linux.Resources()
        good.devices = [Spec.Linux.DeviceRule(allow: false, access: "rwm"), Spec.Linux.DeviceRule(allow: true, type: "c", major: 1, minor: 3, access: "rw")]
        good.memory = Spec.Linux.Memory(limit: 1 << 30, swap: 2 << 30)
        good.memory?.swappiness = 100
        good.cpu = Spec.Linux.CPU(cpus: "0-1,3")
        var blockIO = Spec.Linux.BlockIO()
        blockIO.weight = 10
        blockIO.weightDevice = [Spec.Linux.WeightDevice(major: 8, minor: 0, weight: 1000)]
        good.blockIO = blockIO
        good.hugepageLimits = [Spec.Linux.HugepageLimit(pageSize: "2MB", limit: 1), Spec.Linux.HugepageLimit(pageSize: "64KB", limit: 1)]
        good.unified = ["memory.high": "max"]
        #expect(try errors { $0.linux?.resources = good } == [])
        // -1 means unlimited and is not compared.
        #expect(try errors { $0.linux?.resources = good; $0.linux?.resources?.memory?.swap = -1 } == [])

        var bad = Spec.Linux.Resources()
        bad.devices = [Spec.Linux.DeviceRule(allow: true, type: "x", access: "rwx")]
        bad.memory = Spec.Linux.Memory(limit: 2 << 30, swap: 1 << 30)
        bad.memory?.swappiness = 101
        bad.cpu = Spec.Linux.CPU(cpus: "0-")
        bad.cpu?.mems = "a"
        blockIO.weight = 5
        blockIO.weightDevice = [Spec.Linux.WeightDevice(major: 8, minor: 0, leafWeight: 1001)]
        bad.blockIO = blockIO
        bad.hugepageLimits = [Spec.Linux.HugepageLimit(pageSize: "2M", limit: 1)]
        bad.unified = ["../x": "1"]
        #expect(try errors { $0.linux?.resources = bad } == [
            #"linux.resources.devices[0].type: unknown device type "x" (expected a, b or c)"#,
            #"linux.resources.devices[0].access: "rwx" may only contain r, w and m"#,
            "linux.resources.memory.swappiness: must be between 0 and 100, got 101",
            "linux.resources.memory.swap: memory+swap 1073741824 must not be below the memory limit 2147483648",
            #"linux.resources.cpu.cpus: "0-" is not a list like 0-3,7"#,
            #"linux.resources.cpu.mems: "a" is not a list like 0-3,7"#,
            "linux.resources.blockIO.weight: must be between 10 and 1000, got 5",
            "linux.resources.blockIO.weightDevice[0].leafWeight: must be between 10 and 1000, got 1001",
            #"linux.resources.hugepageLimits[0].pageSize: "2M" is not a size like 2MB or 1GB"#,
            #"linux.resources.unified["../x"]: must be a cgroup file name like memory.high"#,
        ])
    }

    @Test func seccomp() throws {
        var good = Spec.Linux.Seccomp(defaultAction: "SCMP_ACT_ALLOW")
        good.architectures = SeccompArch.allCases.map(\.rawValue)
        good.flags = SeccompFlag.allCases.map(\.rawValue)
        good.syscalls = SeccompAction.allCases.filter { $0 != .notify }.map { Spec.Linux.Syscall(names: ["getcwd"], action: $0.rawValue) }
        good.syscalls?.append(Spec.Linux.Syscall(
            names: ["personality"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
            args: SeccompOperator.allCases.map { Spec.Linux.SyscallArg(index: 5, value: 1, op: $0.rawValue) }))
        #expect(try errors { $0.linux?.seccomp = good } == [])

        var bad = Spec.Linux.Seccomp(defaultAction: "SCMP_ACT_NOTIFY")
        bad.architectures = ["SCMP_ARCH_Z80"]
        bad.flags = ["SECCOMP_FILTER_FLAG_FAST"]
        bad.listenerPath = "agent.sock"
        bad.syscalls = [
            Spec.Linux.Syscall(names: [], action: "SCMP_ACT_ALLOW"),
            Spec.Linux.Syscall(names: ["x", ""], action: "SCMP_ACT_ALLOW", errnoRet: 1),
            Spec.Linux.Syscall(names: ["y"], action: "SCMP_ACT_MAYBE", args: [Spec.Linux.SyscallArg(index: 6, value: 0, op: "SCMP_CMP_LIKE")]),
        ]
        #expect(try errors { $0.linux?.seccomp = bad } == [
            "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
            #"linux.seccomp.architectures[0]: unknown architecture "SCMP_ARCH_Z80""#,
            #"linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_FAST""#,
            "linux.seccomp.syscalls[0].names: must name at least one syscall",
            "linux.seccomp.syscalls[1].names[1]: must not be empty",
            "linux.seccomp.syscalls[1].errnoRet: is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not SCMP_ACT_ALLOW",
            #"linux.seccomp.syscalls[2].action: unknown action "SCMP_ACT_MAYBE""#,
            "linux.seccomp.syscalls[2].args[0].index: must be between 0 and 5, got 6",
            #"linux.seccomp.syscalls[2].args[0].op: unknown operator "SCMP_CMP_LIKE""#,
            #"linux.seccomp.listenerPath: must be an absolute path, got "agent.sock""#,
        ])
        #expect(try errors {
            $0.linux?.seccomp = Spec.Linux.Seccomp(defaultAction: "SCMP_ACT_ALLOW", syscalls: [Spec.Linux.Syscall(names: ["mkdir"], action: "SCMP_ACT_NOTIFY")])
        } == ["linux.seccomp.listenerPath: is required when a rule uses SCMP_ACT_NOTIFY"])
    }

    @Test func otherLinuxMembers() throws {
        for propagation in ["private", "rshared", "slave", "unbindable", ""] {
            #expect(try errors { $0.linux?.rootfsPropagation = propagation } == [])
        }
        #expect(try errors { $0.linux?.rootfsPropagation = "public" } == [
            #"linux.rootfsPropagation: unknown propagation "public" (expected private, shared, slave or unbindable)"#,
        ])
        #expect(try errors { $0.linux?.maskedPaths = ["/proc/kcore"]; $0.linux?.readonlyPaths = ["/proc/sys"] } == [])
        #expect(try errors { $0.linux?.maskedPaths = ["proc/kcore"]; $0.linux?.readonlyPaths = ["/ok", "sys"] } == [
            #"linux.maskedPaths[0]: must be an absolute path, got "proc/kcore""#, #"linux.readonlyPaths[1]: must be an absolute path, got "sys""#,
        ])
        #expect(try errors { $0.linux?.personality = Spec.Personality(domain: "LINUX") } == [])
        #expect(try errors { $0.linux?.personality = Spec.Personality(domain: "BSD") } == [
            #"linux.personality.domain: unknown domain "BSD" (expected LINUX or LINUX32)"#,
        ])
        var policy = Spec.MemoryPolicy()
        policy.mode = "MPOL_BIND"
        policy.flags = ["MPOL_F_STATIC_NODES"]
        #expect(try errors { $0.linux?.memoryPolicy = policy } == [])
        policy.mode = "MPOL_ANY"
        policy.flags = ["MPOL_F_X"]
        #expect(try errors { $0.linux?.memoryPolicy = policy } == [
            #"linux.memoryPolicy.mode: unknown mode "MPOL_ANY""#, #"linux.memoryPolicy.flags[0]: unknown flag "MPOL_F_X""#,
        ])
    }

    @Test func execProcessFiles() throws {
        let process = try SpecLoader.decodeProcess(data: Array(#"{"args":["ps"],"cwd":"/"}"#.utf8))
        #expect(try SpecValidator.validate(process: process) == [])
        var bad = process
        bad.args = []
        bad.capabilities = Spec.Capabilities(bounding: ["CAP_NOPE"])
        #expect {
            try SpecValidator.validate(process: bad)
        } throws: { error in
            (error as? StackError)?.description == "process.json: args: must name the program to run"
        }
    }
}
