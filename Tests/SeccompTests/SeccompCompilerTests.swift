import CSeccomp
import Seccomp
import StackCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Compiling profiles needs no privileges: the BPF is only exported, never loaded here.
@Suite struct SeccompCompilerTests {
    typealias Rule = SeccompProfile.Rule
    typealias Arg = SeccompProfile.Argument

    static let allowDefault = SeccompProfile(
        defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [
            Rule(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"),
            Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 38),
        ])

    static let killDefault = SeccompProfile(
        defaultAction: "SCMP_ACT_KILL_PROCESS",
        syscalls: [Rule(names: ["exit_group", "exit", "getpid", "read", "write"], action: "SCMP_ACT_ALLOW")])

    @Test func allowDefaultProfileCompilesToWholeInstructions() throws {
        let program = try SeccompCompiler.compile(Self.allowDefault)
        #expect(program.instructionCount > 4)
        #expect(program.bytes.count == program.instructionCount * BPFProgram.instructionSize)
        #expect(program.unknownSyscalls.isEmpty)
        #expect(program.flags.isEmpty)
    }

    @Test func killDefaultAllowListCompiles() throws {
        let program = try SeccompCompiler.compile(Self.killDefault)
        #expect(program.instructionCount > 5)
    }

    @Test func largeAllowListWithThreeArchitecturesExportsCompletely() throws {
        // Every syscall name the native table knows, like a Docker-sized profile but bigger.
        var names: [String] = []
        for number in Int32(0)..<Int32(500) {
            if let name = seccomp_syscall_resolve_num_arch(SeccompArchitecture.native, number) {
                names.append(String(cString: name))
                free(name)
            }
        }
        #expect(names.count > 300)
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                syscalls: [Rule(names: names, action: "SCMP_ACT_ALLOW")]))
        #expect(program.instructionCount > names.count)
        #expect(program.unknownSyscalls.isEmpty)
    }

    @Test func programChangesWhenRulesChange() throws {
        let base = try SeccompCompiler.compile(Self.allowDefault)
        var otherErrno = Self.allowDefault
        otherErrno.syscalls[1].errnoRet = 1
        var moreRules = Self.allowDefault
        moreRules.syscalls.append(Rule(names: ["uname"], action: "SCMP_ACT_KILL"))
        var otherDefault = Self.allowDefault
        otherDefault.defaultAction = "SCMP_ACT_LOG"
        let variants = try [otherErrno, moreRules, otherDefault].map { try SeccompCompiler.compile($0).bytes }
        for bytes in variants { #expect(bytes != base.bytes) }
        #expect(try SeccompCompiler.compile(Self.allowDefault).bytes == base.bytes)
    }

    @Test func rulesWithTheDefaultActionAreSkipped() throws {
        let empty = try SeccompCompiler.compile(SeccompProfile(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38))
        let redundant = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38,
                syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 38)]))
        #expect(redundant.bytes == empty.bytes)
        // The same action with another errno is a different action: the rule stays.
        let different = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38,
                syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO")]))
        #expect(different.bytes != empty.bytes)
    }

    @Test func errnoWithoutErrnoRetIsEPERM() throws {
        let implicit = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW", syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO")]))
        let explicit = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 1)]))
        #expect(implicit.bytes == explicit.bytes)
    }

    @Test(arguments: SeccompArgumentOperator.allCases)
    func everyArgumentOperatorCompiles(op: SeccompArgumentOperator) throws {
        let profile = SeccompProfile(
            defaultAction: "SCMP_ACT_ALLOW",
            syscalls: [
                Rule(
                    names: ["close"], action: "SCMP_ACT_ERRNO",
                    args: [Arg(index: 0, value: 0xF0, valueTwo: 0x30, op: op.rawValue)])
            ])
        let withArgs = try SeccompCompiler.compile(profile)
        var plain = profile
        plain.syscalls[0].args = []
        #expect(withArgs.bytes != (try SeccompCompiler.compile(plain)).bytes)
    }

    @Test func operatorsCompileToDifferentPrograms() throws {
        let programs = try SeccompArgumentOperator.allCases.map { op in
            try SeccompCompiler.compile(
                SeccompProfile(
                    defaultAction: "SCMP_ACT_ALLOW",
                    syscalls: [
                        Rule(
                            names: ["close"], action: "SCMP_ACT_ERRNO",
                            args: [Arg(index: 0, value: 0xF0, valueTwo: 0x30, op: op.rawValue)])
                    ])
            ).bytes
        }
        #expect(Set(programs).count == programs.count)
    }

    @Test func repeatedArgumentIndexesCompile() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(
                        names: ["close"], action: "SCMP_ACT_ERRNO",
                        args: [
                            Arg(index: 0, value: 1, op: "SCMP_CMP_EQ"), Arg(index: 0, value: 2, op: "SCMP_CMP_EQ"),
                            Arg(index: 1, value: 3, op: "SCMP_CMP_GT"),
                        ])
                ]))
        #expect(program.instructionCount > 0)
    }

    @Test func extraArchitecturesGrowTheProgram() throws {
        let native = try SeccompCompiler.compile(Self.killDefault)
        var multi = Self.killDefault
        multi.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]
        let program = try SeccompCompiler.compile(multi)
        #expect(program.instructionCount > native.instructionCount)
        // Names without the prefix are accepted, as crun does.
        multi.architectures = ["x86_64", "x86", "x32"]
        #expect(try SeccompCompiler.compile(multi).bytes == program.bytes)
        var arm = Self.killDefault
        arm.architectures = ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"]
        #expect(try SeccompCompiler.compile(arm).instructionCount > native.instructionCount)
    }

    @Test func flagsAreCarriedToTheLoaderNotIntoTheBPF() throws {
        var flagged = Self.allowDefault
        flagged.flags = [
            "SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
        ]
        let program = try SeccompCompiler.compile(flagged)
        #expect(program.flags == [.tsync, .log, .specAllow, .waitKillableRecv])
        #expect(program.flags.rawValue == 0b10_0111)
        #expect(program.bytes == (try SeccompCompiler.compile(Self.allowDefault)).bytes)
    }

    @Test func unknownSyscallsAreSkippedWithWarnings() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO",
                syscalls: [
                    Rule(
                        names: ["getpid", "no_such_syscall", "exit_group", "no_such_syscall"], action: "SCMP_ACT_ALLOW")
                ]))
        #expect(program.unknownSyscalls == ["no_such_syscall"])
        #expect(
            program.warnings.map(\.description) == [
                "linux.seccomp.syscalls: seccomp: unknown syscall \"no_such_syscall\" ignored"
            ])
    }

    @Test func syscallsOfOtherArchitecturesCompile() throws {
        // socketcall and ipc only exist on 32-bit x86 here; libseccomp resolves them to pseudo numbers.
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                syscalls: [Rule(names: ["socketcall", "ipc", "getpid", "exit_group"], action: "SCMP_ACT_ALLOW")]))
        #expect(program.unknownSyscalls.isEmpty)
    }

    @Test func everyActionCompiles() throws {
        for action in [
            "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP", "SCMP_ACT_ERRNO",
            "SCMP_ACT_TRACE", "SCMP_ACT_LOG",
        ] {
            let program = try SeccompCompiler.compile(
                SeccompProfile(defaultAction: "SCMP_ACT_ALLOW", syscalls: [Rule(names: ["getpid"], action: action)]))
            #expect(program.instructionCount > 0, "\(action)")
        }
    }

    // MARK: errors

    private func compileError(_ profile: SeccompProfile) -> StackError? {
        do {
            _ = try SeccompCompiler.compile(profile)
            return nil
        } catch {
            return error
        }
    }

    @Test func badDefaultActionIsNamed() throws {
        let error = try #require(compileError(SeccompProfile(defaultAction: "SCMP_ACT_NOPE")))
        #expect(error.code == .invalidArgument)
        #expect(error.description == "linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_NOPE\"")
    }

    @Test func badRuleActionIsNamedWithItsRule() throws {
        var profile = Self.allowDefault
        profile.syscalls.append(Rule(names: ["getpid"], action: "ALLOW"))
        let error = try #require(compileError(profile))
        #expect(error.path == "linux.seccomp.syscalls[2].action")
        #expect(error.message == "unknown seccomp action \"ALLOW\"")
    }

    @Test func badOperatorIsNamed() throws {
        let error = try #require(
            compileError(
                SeccompProfile(
                    defaultAction: "SCMP_ACT_ALLOW",
                    syscalls: [
                        Rule(
                            names: ["close"], action: "SCMP_ACT_ERRNO",
                            args: [Arg(index: 0, value: 1, op: "SCMP_CMP_XX")])
                    ]
                )))
        #expect(
            error.description
                == "linux.seccomp.syscalls[0].args[0].op: unknown seccomp argument operator \"SCMP_CMP_XX\"")
    }

    @Test func argumentIndexOutOfRange() throws {
        let error = try #require(
            compileError(
                SeccompProfile(
                    defaultAction: "SCMP_ACT_ALLOW",
                    syscalls: [
                        Rule(
                            names: ["close"], action: "SCMP_ACT_ERRNO",
                            args: [Arg(index: 6, value: 1, op: "SCMP_CMP_EQ")])
                    ]
                )))
        #expect(error.message == "seccomp argument index 6 is out of range (0…5)")
    }

    @Test func badArchitectureIsNamed() throws {
        var profile = Self.killDefault
        profile.architectures = ["SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"]
        let error = try #require(compileError(profile))
        #expect(error.description == "linux.seccomp.architectures[1]: unknown seccomp architecture \"SCMP_ARCH_VAX\"")
    }

    @Test func badFlagIsNamed() throws {
        var profile = Self.killDefault
        profile.flags = ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS"]
        let error = try #require(compileError(profile))
        #expect(error.description == "linux.seccomp.flags: unknown seccomp flag \"SECCOMP_FILTER_FLAG_BOGUS\"")
    }

    @Test func errnoRetOnlyWithErrnoAndTrace() throws {
        let error = try #require(
            compileError(
                SeccompProfile(
                    defaultAction: "SCMP_ACT_ERRNO",
                    syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_ALLOW", errnoRet: 5)])))
        #expect(error.message.contains("errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE"))
        #expect(compileError(SeccompProfile(defaultAction: "SCMP_ACT_KILL", defaultErrnoRet: 1)) != nil)
        #expect(compileError(SeccompProfile(defaultAction: "SCMP_ACT_TRACE", defaultErrnoRet: 1)) == nil)
        #expect(compileError(SeccompProfile(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 70_000)) != nil)
    }

    @Test func notifyIsRefusedClearly() throws {
        let error = try #require(
            compileError(
                SeccompProfile(
                    defaultAction: "SCMP_ACT_ALLOW", syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_NOTIFY")])))
        #expect(error.code == .unsupported)
        #expect(error.message.contains("SCMP_ACT_NOTIFY is not supported"))
    }

    @Test func libseccompFailuresNameTheSyscallAndErrno() throws {
        // libseccomp accepts errno values up to 4095 only.
        let error = try #require(
            compileError(
                SeccompProfile(
                    defaultAction: "SCMP_ACT_ALLOW",
                    syscalls: [
                        Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO"),
                        Rule(names: ["mount"], action: "SCMP_ACT_ERRNO", errnoRet: 5000),
                    ])))
        #expect(error.code == .system)
        #expect(error.description == "linux.seccomp.syscalls[1]: seccomp rule for \"mount\": EINVAL (Invalid argument)")
        let initError = try #require(
            compileError(SeccompProfile(defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 5000)))
        #expect(initError.message.contains("SCMP_ACT_ERRNO (errnoRet 5000)"))
    }

    @Test func architecturesOfTheOtherEndiannessAreRefusedByLibseccomp() throws {
        var profile = Self.killDefault
        profile.architectures = ["SCMP_ARCH_S390X"]
        let error = try #require(compileError(profile))
        #expect(
            error.description.hasPrefix(
                "linux.seccomp.architectures[0]: seccomp architecture \"SCMP_ARCH_S390X\": EDOM"))
    }
}
