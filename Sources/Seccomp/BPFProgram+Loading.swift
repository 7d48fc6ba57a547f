import StackCore

extension BPFProgram {
    /// The flags to load this program with, once it is checked as the kernel would check it: a
    /// non-empty multiple of 8 bytes, at most 65535 instructions. The container's init loads it
    /// last, in C (`cruntime_init.h`, CR_INIT_SECCOMP), with `seccomp(SECCOMP_SET_MODE_FILTER)`.
    /// `SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV` is dropped unless a listener is requested, since
    /// the kernel refuses it alone and it only concerns listeners.
    public func flagsForLoading() throws(StackError) -> SeccompFilterFlags {
        var flags = self.flags
        if !flags.contains(.newListener) { flags.remove(.waitKillableRecv) }
        guard !bytes.isEmpty, bytes.count % BPFProgram.instructionSize == 0 else {
            throw StackError(
                .invalidArgument,
                "seccomp: a BPF program must be a non-empty multiple of \(BPFProgram.instructionSize) bytes, "
                    + "not \(bytes.count)")
        }
        guard instructionCount <= Int(UInt16.max) else {
            throw StackError(.invalidArgument, "seccomp: a BPF program of \(instructionCount) instructions is too long")
        }
        return flags
    }
}
