import Seccomp
import Testing

/// Loads compiled filters in forked children (never in the test process) and checks what the
/// kernel then does with a syscall. Needs only PR_SET_NO_NEW_PRIVS, so it runs unprivileged too.
@Suite struct SeccompFilterBehaviourTests {
    typealias Rule = SeccompProfile.Rule
    typealias Arg = SeccompProfile.Argument
    typealias Outcome = SeccompProbe.Outcome

    /// fds this high are never open in the child: close()/dup2() on them fail with EBADF when allowed.
    static let fd = 70_000
    /// The errno our argument rules return when they match.
    static let matched: Int32 = 42

    @Test func deniedSyscallsReturnTheConfiguredErrno() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 38),
                    Rule(names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"),
                ]))
        #expect(try SeccompProbe.run(program, "getpid") == .failed(errno: SeccompProbe.enosys))
        #expect(
            try SeccompProbe.run(program, "mkdir", path: "/nonexistent/dir", [0o755])
                == .failed(errno: SeccompProbe.eperm))
        #expect(try SeccompProbe.run(program, "getppid") == .succeeded)
        // Without the filter, the same mkdir fails for its own reason.
        let allowAll = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO")
                ]))
        #expect(
            try SeccompProbe.run(allowAll, "mkdir", path: "/nonexistent/dir", [0o755])
                == .failed(errno: SeccompProbe.enoent))
    }

    @Test(arguments: ["SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP"])
    func killingDefaultEndsTheChildWithSIGSYS(defaultAction: String) throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: defaultAction,
                syscalls: [Rule(names: ["exit_group", "exit", "getpid"], action: "SCMP_ACT_ALLOW")]))
        #expect(try SeccompProbe.run(program, "getpid") == .succeeded)
        #expect(try SeccompProbe.run(program, "getppid") == .killed(signal: SeccompProbe.sigsys))
    }

    @Test func defaultErrnoRetAppliesToEverythingElse() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO", defaultErrnoRet: 38,
                syscalls: [Rule(names: ["exit_group", "exit", "getppid"], action: "SCMP_ACT_ALLOW")]))
        #expect(try SeccompProbe.run(program, "getpid") == .failed(errno: 38))
        #expect(try SeccompProbe.run(program, "getppid") == .succeeded)
    }

    @Test func traceWithoutATracerIsENOSYSAndLogAllows() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(names: ["getpid"], action: "SCMP_ACT_TRACE"),
                    Rule(names: ["getppid"], action: "SCMP_ACT_LOG"),
                ]))
        #expect(try SeccompProbe.run(program, "getpid") == .failed(errno: SeccompProbe.enosys))
        #expect(try SeccompProbe.run(program, "getppid") == .succeeded)
    }

    @Test func flagsAreAcceptedByTheKernel() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW", "SECCOMP_FILTER_FLAG_TSYNC"],
                syscalls: [Rule(names: ["getpid"], action: "SCMP_ACT_ERRNO", errnoRet: 7)]))
        #expect(try SeccompProbe.run(program, "getpid") == .failed(errno: 7))
    }

    @Test func multiArchitectureFilterStillMatchesNativeSyscalls() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                syscalls: [Rule(names: ["exit_group", "exit", "getpid"], action: "SCMP_ACT_ALLOW")]))
        #expect(try SeccompProbe.run(program, "getpid") == .succeeded)
        #expect(try SeccompProbe.run(program, "getppid") == .failed(errno: SeccompProbe.eperm))
    }

    /// One rule `close(fd op value)` → errno 42, checked on a value that matches and one that doesn't.
    @Test(arguments: [
        ("SCMP_CMP_EQ", UInt64(fd), UInt64(0), fd, fd + 1),
        ("SCMP_CMP_NE", UInt64(fd), 0, fd + 1, fd),
        ("SCMP_CMP_LT", UInt64(fd), 0, fd - 1, fd),
        ("SCMP_CMP_LE", UInt64(fd), 0, fd, fd + 1),
        ("SCMP_CMP_GT", UInt64(fd), 0, fd + 1, fd),
        ("SCMP_CMP_GE", UInt64(fd), 0, fd, fd - 1),
        ("SCMP_CMP_MASKED_EQ", 0xFF, 0x70, 0x11170, 0x11171),
    ])
    func argumentConditionsMatchOnlyTheIntendedValues(
        op: String, value: UInt64, valueTwo: UInt64, matching: Int, other: Int
    ) throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(
                        names: ["close"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(Self.matched),
                        args: [Arg(index: 0, value: value, valueTwo: valueTwo, op: op)])
                ]))
        #expect(try SeccompProbe.run(program, "close", [matching]) == .failed(errno: Self.matched))
        #expect(try SeccompProbe.run(program, "close", [other]) == .failed(errno: SeccompProbe.ebadf))
    }

    @Test func conditionsOnDifferentArgumentsMustAllHold() throws {
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(
                        names: ["dup2"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(Self.matched),
                        args: [
                            Arg(index: 0, value: UInt64(Self.fd), op: "SCMP_CMP_EQ"),
                            Arg(index: 1, value: UInt64(Self.fd + 1), op: "SCMP_CMP_EQ"),
                        ])
                ]))
        #expect(try SeccompProbe.run(program, "dup2", [Self.fd, Self.fd + 1]) == .failed(errno: Self.matched))
        #expect(try SeccompProbe.run(program, "dup2", [Self.fd, Self.fd + 2]) == .failed(errno: SeccompProbe.ebadf))
        #expect(
            try SeccompProbe.run(program, "dup2", [Self.fd + 3, Self.fd + 1]) == .failed(errno: SeccompProbe.ebadf))
    }

    @Test func repeatedIndexConditionsAreAlternatives() throws {
        // As runc and crun: one rule per condition, so either value matches.
        let program = try SeccompCompiler.compile(
            SeccompProfile(
                defaultAction: "SCMP_ACT_ALLOW",
                syscalls: [
                    Rule(
                        names: ["close"], action: "SCMP_ACT_ERRNO", errnoRet: UInt32(Self.matched),
                        args: [
                            Arg(index: 0, value: UInt64(Self.fd), op: "SCMP_CMP_EQ"),
                            Arg(index: 0, value: UInt64(Self.fd + 5), op: "SCMP_CMP_EQ"),
                        ])
                ]))
        #expect(try SeccompProbe.run(program, "close", [Self.fd]) == .failed(errno: Self.matched))
        #expect(try SeccompProbe.run(program, "close", [Self.fd + 5]) == .failed(errno: Self.matched))
        #expect(try SeccompProbe.run(program, "close", [Self.fd + 1]) == .failed(errno: SeccompProbe.ebadf))
    }
}
