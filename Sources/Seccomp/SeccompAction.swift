import StackCore

/// What a seccomp filter does with a syscall: the OCI `SCMP_ACT_*` names as libseccomp action values.
public enum SeccompAction: Sendable, Hashable {
    /// `SCMP_ACT_KILL` and `SCMP_ACT_KILL_THREAD`: the thread dies with SIGSYS.
    case killThread
    /// `SCMP_ACT_KILL_PROCESS`: the whole process dies with SIGSYS.
    case killProcess
    /// `SCMP_ACT_TRAP`: SIGSYS is delivered to the thread.
    case trap
    /// `SCMP_ACT_ERRNO`: the syscall fails with this errno without running.
    case errno(UInt16)
    /// `SCMP_ACT_TRACE`: a ptrace tracer is told; without one the syscall fails with ENOSYS.
    case trace(UInt16)
    /// `SCMP_ACT_ALLOW`.
    case allow
    /// `SCMP_ACT_LOG`: allowed and logged.
    case log
    /// `SCMP_ACT_NOTIFY`: a user-space supervisor decides (the compiler refuses it: no listener support).
    case notify

    /// The errno for `SCMP_ACT_ERRNO`/`SCMP_ACT_TRACE` without an explicit one, as runc and crun use.
    public static let defaultErrno: UInt16 = 1  // EPERM

    /// Parses an OCI action name. `errnoRet` is only valid with `SCMP_ACT_ERRNO` and `SCMP_ACT_TRACE`.
    /// `path` names the field in errors, e.g. `linux.seccomp.syscalls[2].action`.
    public init(name: String, errnoRet: UInt32?, path: String? = nil) throws(StackError) {
        let code: UInt16
        if let errnoRet {
            guard errnoRet <= UInt32(UInt16.max) else {
                throw StackError(
                    .invalidArgument, "seccomp errnoRet \(errnoRet) is out of range (0…65535)", path: path)
            }
            code = UInt16(errnoRet)
        } else {
            code = Self.defaultErrno
        }
        let action: SeccompAction
        switch name {
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": action = .killThread
        case "SCMP_ACT_KILL_PROCESS": action = .killProcess
        case "SCMP_ACT_TRAP": action = .trap
        case "SCMP_ACT_ERRNO": action = .errno(code)
        case "SCMP_ACT_TRACE": action = .trace(code)
        case "SCMP_ACT_ALLOW": action = .allow
        case "SCMP_ACT_LOG": action = .log
        case "SCMP_ACT_NOTIFY": action = .notify
        default:
            throw StackError(.invalidArgument, "unknown seccomp action \"\(name)\"", path: path)
        }
        if errnoRet != nil, !action.takesErrno {
            throw StackError(
                .invalidArgument, "seccomp errnoRet is only valid with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not \(name)",
                path: path)
        }
        self = action
    }

    /// Whether the action carries an errno (`SCMP_ACT_ERRNO`, `SCMP_ACT_TRACE`).
    public var takesErrno: Bool {
        switch self {
        case .errno, .trace: return true
        default: return false
        }
    }

    /// The libseccomp action value (`SCMP_ACT_ERRNO(n)` = 0x0005_0000 | n, …).
    public var libseccompValue: UInt32 {
        switch self {
        case .killThread: return 0x0000_0000
        case .killProcess: return 0x8000_0000
        case .trap: return 0x0003_0000
        case .errno(let code): return 0x0005_0000 | UInt32(code)
        case .trace(let code): return 0x7ff0_0000 | UInt32(code)
        case .allow: return 0x7fff_0000
        case .log: return 0x7ffc_0000
        case .notify: return 0x7fc0_0000
        }
    }
}
