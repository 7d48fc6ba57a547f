import ContainerConfig
import RuntimeSpec
import Seccomp
import StackCore
import Testing

/// OCI `linux.seccomp` → the Seccomp module's profile (as the runtime maps it).
func compilerProfile(_ seccomp: Spec.Linux.Seccomp) -> SeccompProfile {
    SeccompProfile(
        defaultAction: seccomp.defaultAction, defaultErrnoRet: seccomp.defaultErrnoRet,
        architectures: seccomp.architectures ?? [], flags: seccomp.flags ?? [],
        syscalls: (seccomp.syscalls ?? []).map { rule in
            SeccompProfile.Rule(
                names: rule.names, action: rule.action, errnoRet: rule.errnoRet,
                args: (rule.args ?? []).map {
                    SeccompProfile.Argument(index: $0.index, value: $0.value, valueTwo: $0.valueTwo ?? 0, op: $0.op)
                })
        })
}

/// Every (name → rules) of a filter.
func rules(for name: String, in seccomp: Spec.Linux.Seccomp) -> [Spec.Linux.Syscall] {
    (seccomp.syscalls ?? []).filter { $0.names.contains(name) }
}

@Suite struct SeccompProfileTests {
    let defaults = DockerDefaults.capabilities

    @Test func defaultProfileAllowsCommonSyscalls() throws {
        let seccomp = try DefaultSeccompProfile.profile.ociSeccomp(capabilities: defaults, architecture: "amd64")
        for name in ["read", "write", "openat", "execve", "mmap", "futex", "clock_gettime", "rt_sigaction", "wait4",
            "exit_group", "arch_prctl", "set_tid_address", "getdents64", "newfstatat", "statx", "rseq", "chroot"]
        {
            #expect(rules(for: name, in: seccomp).contains { $0.action == "SCMP_ACT_ALLOW" && $0.args == nil }, "\(name)")
        }
        // Not allowed without capabilities: they fall to the default EPERM.
        for name in ["mount", "umount2", "unshare", "setns", "reboot", "init_module", "settimeofday", "bpf", "kexec_load",
            "open_by_handle_at", "acct", "swapon", "keyctl", "add_key", "userfaultfd"]
        {
            #expect(rules(for: name, in: seccomp).isEmpty, "\(name)")
        }
        // clone only without namespace flags; clone3 fails with ENOSYS so libc falls back to clone.
        let clone = rules(for: "clone", in: seccomp)
        #expect(clone == [Spec.Linux.Syscall(
            names: ["clone"], action: "SCMP_ACT_ALLOW",
            args: [Spec.Linux.SyscallArg(index: 0, value: 0x7E02_0000, valueTwo: 0, op: "SCMP_CMP_MASKED_EQ")])])
        #expect(rules(for: "clone3", in: seccomp) == [Spec.Linux.Syscall(names: ["clone3"], action: "SCMP_ACT_ERRNO", errnoRet: 38)])
        #expect(rules(for: "personality", in: seccomp).compactMap { $0.args?.first?.value }
            == [0, 8, 0x20000, 0x20008, 0xffff_ffff])
        #expect(rules(for: "socket", in: seccomp).first?.args == [Spec.Linux.SyscallArg(index: 0, value: 40, valueTwo: 0, op: "SCMP_CMP_NE")])
        // Arm-only syscalls stay out on amd64.
        #expect(rules(for: "cacheflush", in: seccomp).isEmpty)
    }

    @Test func capabilitiesUnlockSyscalls() throws {
        let admin = try DefaultSeccompProfile.profile.ociSeccomp(capabilities: defaults + ["CAP_SYS_ADMIN"], architecture: "amd64")
        for name in ["mount", "unshare", "setns", "sethostname", "clone3"] {
            #expect(rules(for: name, in: admin).contains { $0.action == "SCMP_ACT_ALLOW" }, "\(name)")
        }
        // With CAP_SYS_ADMIN clone is allowed whatever its flags: no masked rule.
        #expect(rules(for: "clone", in: admin).count == 1)
        #expect(rules(for: "clone", in: admin).first?.args == nil)
        #expect(rules(for: "clone3", in: admin).allSatisfy { $0.action == "SCMP_ACT_ALLOW" })
        let time = try DefaultSeccompProfile.profile.ociSeccomp(capabilities: defaults + ["CAP_SYS_TIME"], architecture: "amd64")
        #expect(!rules(for: "settimeofday", in: time).isEmpty)
        let module = try DefaultSeccompProfile.profile.ociSeccomp(capabilities: defaults + ["CAP_SYS_MODULE"], architecture: "amd64")
        #expect(!rules(for: "finit_module", in: module).isEmpty)
        let noChroot = try DefaultSeccompProfile.profile.ociSeccomp(
            capabilities: defaults.filter { $0 != "CAP_SYS_CHROOT" }, architecture: "amd64")
        #expect(rules(for: "chroot", in: noChroot).isEmpty)
        let arm = try DefaultSeccompProfile.profile.ociSeccomp(capabilities: defaults, architecture: "arm64")
        #expect(arm.architectures == ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"])
        #expect(!rules(for: "cacheflush", in: arm).isEmpty)
        #expect(rules(for: "arch_prctl", in: arm).isEmpty)
    }

    @Test func defaultProfileCompilesForX86_64() throws {
        for caps in [defaults, CapabilityName.all, []] {
            let seccomp = try DefaultSeccompProfile.profile.ociSeccomp(capabilities: caps, architecture: "amd64")
            let program = try SeccompCompiler.compile(compilerProfile(seccomp))
            #expect(program.bytes.count > 100)
        }
    }

    @Test func customDockerProfile() throws {
        let json = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "defaultErrnoRet": 38,
              "archMap": [
                {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]},
                {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]}
              ],
              "syscalls": [
                {"names": ["read", "write", "exit_group"], "action": "SCMP_ACT_ALLOW", "comment": "basics"},
                {"name": "kill", "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["arch_prctl"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64"]}},
                {"names": ["set_tls"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
                {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
                {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_KILL"]},
                 "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}
              ]
            }
            """
        let profile = try DockerSeccompProfile.decode(json: json)
        let seccomp = try profile.ociSeccomp(capabilities: ["CAP_CHOWN"], architecture: "amd64", kernel: (4, 4))
        #expect(seccomp.defaultAction == "SCMP_ACT_ERRNO")
        #expect(seccomp.defaultErrnoRet == 38)
        #expect(seccomp.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"])
        #expect(seccomp.syscalls == [
            Spec.Linux.Syscall(names: ["read", "write", "exit_group"], action: "SCMP_ACT_ALLOW"),
            Spec.Linux.Syscall(names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 1),
            Spec.Linux.Syscall(names: ["arch_prctl"], action: "SCMP_ACT_ALLOW"),
            Spec.Linux.Syscall(
                names: ["personality"], action: "SCMP_ACT_ALLOW",
                args: [Spec.Linux.SyscallArg(index: 0, value: 8, valueTwo: 0, op: "SCMP_CMP_EQ")]),
        ])
        let newer = try profile.ociSeccomp(capabilities: ["CAP_SYS_ADMIN", "CAP_KILL"], architecture: "amd64", kernel: (6, 1))
        #expect(newer.syscalls?.map(\.names) == [["read", "write", "exit_group"], ["kill"], ["mount"], ["arch_prctl"], ["ptrace"]])
        _ = try SeccompCompiler.compile(compilerProfile(newer))

        let plain = try DockerSeccompProfile.decode(
            json: #"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":null}"#)
        let plainOCI = try plain.ociSeccomp(capabilities: [], architecture: "amd64")
        #expect(plainOCI.architectures == ["SCMP_ARCH_X86_64"])
        #expect(plainOCI.syscalls == [])
    }

    @Test func badProfiles() {
        let notJSON = thrownError { () throws(StackError) in try DockerSeccompProfile.decode(json: "{", path: "p") }
        #expect(notJSON?.path == "p")
        #expect(notJSON?.message.hasPrefix("invalid seccomp profile") == true)
        let both = thrownError { () throws(StackError) in
            try DockerSeccompProfile.decode(
                json: #"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"name":"read","names":["write"],"action":"SCMP_ACT_ERRNO"}]}"#
            ).ociSeccomp(capabilities: [])
        }
        #expect(both?.message.contains("use either 'name' or 'names'") == true)
        #expect(both?.path == "seccomp profile.syscalls[0]")
        let arches = thrownError { () throws(StackError) in
            try DockerSeccompProfile.decode(
                json: #"{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}"#
            ).ociSeccomp(capabilities: [])
        }
        #expect(arches?.message.contains("both 'architectures' and 'archMap'") == true)
    }
}
