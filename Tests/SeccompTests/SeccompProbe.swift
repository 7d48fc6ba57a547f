import CSeccomp
import CSeccompHelpers
import Seccomp

/// Runs one syscall in a forked child that has loaded a filter (`stk_seccomp_probe`), so the
/// test process itself never gets a seccomp filter.
enum SeccompProbe {
    enum Outcome: Equatable, CustomStringConvertible {
        case succeeded
        case failed(errno: Int32)
        case killed(signal: Int32)
        case setupFailed(exitCode: Int32)

        var description: String {
            switch self {
            case .succeeded: return "succeeded"
            case .failed(let code): return "failed with errno \(code)"
            case .killed(let signal): return "killed by signal \(signal)"
            case .setupFailed(let code): return "child setup failed (\(code))"
            }
        }
    }

    struct ProbeError: Error, CustomStringConvertible {
        var description: String
    }

    static let sigsys: Int32 = 31
    static let eperm: Int32 = 1
    static let enoent: Int32 = 2
    static let ebadf: Int32 = 9
    static let enosys: Int32 = 38

    /// The native syscall number of `name`.
    static func number(_ name: String) throws -> Int {
        let number = seccomp_syscall_resolve_name(name)
        guard number >= 0 else { throw ProbeError(description: "unknown syscall \(name)") }
        return Int(number)
    }

    /// Loads `program` in a child, calls `syscall(args…)` there and reports how it went.
    static func run(
        _ program: BPFProgram, _ syscall: String, _ args: [Int] = [], flags: SeccompFilterFlags? = nil
    ) throws -> Outcome {
        let nr = try number(syscall)
        var argv = args + Array(repeating: 0, count: max(0, 6 - args.count))
        var result = stk_seccomp_probe_result()
        let rc = program.bytes.withUnsafeBytes { bpf in
            argv.withUnsafeMutableBufferPointer { argBuffer in
                stk_seccomp_probe(
                    bpf.baseAddress, bpf.count, (flags ?? program.flags).rawValue, nr, argBuffer.baseAddress, &result)
            }
        }
        guard rc == 0, result.error == 0 else { throw ProbeError(description: "probe failed: errno \(result.error)") }
        if result.signaled == 1 { return .killed(signal: result.signal) }
        guard result.exited == 1 else { throw ProbeError(description: "probe child neither exited nor was killed") }
        switch result.exit_code {
        case 0: return .succeeded
        case STK_PROBE_EXIT_NNP_FAILED, STK_PROBE_EXIT_FILTER_FAILED: return .setupFailed(exitCode: result.exit_code)
        default: return .failed(errno: result.exit_code)
        }
    }

    /// Like `run`, with a C string argument first (its address is valid in the forked child).
    static func run(_ program: BPFProgram, _ syscall: String, path: String, _ rest: [Int] = []) throws -> Outcome {
        try path.withCString { pointer in
            try run(program, syscall, [Int(bitPattern: pointer)] + rest)
        }
    }
}
