import LinuxOS
import CSeccompHelpers
import StackCore

/// Installs a compiled seccomp filter in the calling process with the raw `seccomp(2)` syscall.
///
/// Meant for the single-threaded container init, as its last step before `execve`: the filter then
/// applies to the payload and every process it starts. The kernel requires `no_new_privs`
/// (`setNoNewPrivileges()`) or CAP_SYS_ADMIN in the caller's user namespace. Loading is pure syscalls;
/// libseccomp is not involved.
public enum SeccompLoader {
    /// `seccomp(SECCOMP_SET_MODE_FILTER, flags, &prog)`. `flags` defaults to the program's own.
    /// `SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV` is dropped unless a listener is requested, since the
    /// kernel refuses it alone and it only concerns listeners.
    public static func load(_ program: BPFProgram, flags: SeccompFilterFlags? = nil) throws(StackError) {
        var flags = flags ?? program.flags
        if !flags.contains(.newListener) { flags.remove(.waitKillableRecv) }
        guard !program.bytes.isEmpty, program.bytes.count % BPFProgram.instructionSize == 0 else {
            throw StackError(
                .invalidArgument,
                "seccomp: a BPF program must be a non-empty multiple of \(BPFProgram.instructionSize) bytes, "
                    + "not \(program.bytes.count)")
        }
        guard program.instructionCount <= Int(UInt16.max) else {
            throw StackError(
                .invalidArgument, "seccomp: a BPF program of \(program.instructionCount) instructions is too long")
        }
        let rc = program.bytes.withUnsafeBytes { buffer in
            stk_seccomp_set_filter(buffer.baseAddress, buffer.count, flags.rawValue)
        }
        if rc == 0 { return }
        if rc > 0 {
            throw StackError(
                .system, "seccomp(SECCOMP_SET_MODE_FILTER): thread \(rc) could not be synchronized (TSYNC)")
        }
        var message = "seccomp(SECCOMP_SET_MODE_FILTER): \(Errno(Int32(-rc)).description)"
        if rc == -13 { message += " (set no_new_privileges or hold CAP_SYS_ADMIN)" }  // EACCES
        throw StackError(.system, message)
    }

    /// `prctl(PR_SET_NO_NEW_PRIVS, 1)`: the process and its children can never gain privileges by execve.
    public static func setNoNewPrivileges() throws(StackError) {
        let rc = stk_prctl(STK_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        guard rc >= 0 else {
            throw StackError(.system, "prctl(PR_SET_NO_NEW_PRIVS): \(Errno(Int32(-rc)).description)")
        }
    }

    /// Whether `no_new_privs` is set for the calling thread.
    public static func noNewPrivileges() throws(StackError) -> Bool {
        let rc = stk_prctl(STK_PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0)
        guard rc >= 0 else {
            throw StackError(.system, "prctl(PR_GET_NO_NEW_PRIVS): \(Errno(Int32(-rc)).description)")
        }
        return rc == 1
    }
}
