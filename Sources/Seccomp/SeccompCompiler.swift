import CSeccomp
import StackCore

/// Compiles an OCI seccomp profile to a classic BPF program with libseccomp, the way runc and crun do.
///
/// Steps: `seccomp_init(defaultAction)`; `seccomp_arch_add` for each architecture (the native one is
/// always present); filter attributes for the flags (libseccomp refuses those the kernel lacks);
/// `seccomp_syscall_resolve_name` for each name (unknown names are skipped and reported in
/// `BPFProgram.unknownSyscalls`); `seccomp_rule_add_array` per syscall; `seccomp_export_bpf`.
///
/// Rules follow runc/crun:
/// - a rule whose action equals the default action is skipped (libseccomp would refuse it);
/// - `errnoRet` without a value means EPERM; it is an error on actions other than ERRNO/TRACE (as crun);
/// - argument comparisons on distinct indexes form one rule (all must hold); if any index appears
///   more than once, each comparison becomes a rule of its own (any one suffices). runc's
///   `matchCall` and crun's `libcrun_generate_seccomp` both do exactly this, because libseccomp
///   cannot AND two comparisons of the same argument.
/// - `SCMP_ACT_NOTIFY` is refused: this runtime has no seccomp listener support.
public enum SeccompCompiler {
    /// Compiles `profile`. Errors name the field (`path`) and, for libseccomp failures, the syscall and errno.
    public static func compile(_ profile: SeccompProfile) throws(StackError) -> BPFProgram {
        let defaultAction = try SeccompAction(
            name: profile.defaultAction, errnoRet: profile.defaultErrnoRet, path: "linux.seccomp.defaultAction")
        try refuseNotify(defaultAction, path: "linux.seccomp.defaultAction")
        let flags = try SeccompFilterFlags(names: profile.flags, path: "linux.seccomp.flags")
        let rules = try validatedRules(profile.syscalls)

        let filter = try SeccompFilterContext(defaultAction: defaultAction, name: profile.defaultAction)
        for (index, name) in profile.architectures.enumerated() {
            let path = "linux.seccomp.architectures[\(index)]"
            try filter.addArchitecture(SeccompArchitecture.token(for: name, path: path), name: name, path: path)
        }
        try applyAttributes(flags, to: filter)

        var unknown: [String] = []
        for rule in rules where rule.action != defaultAction {
            for name in rule.names {
                let number = seccomp_syscall_resolve_name(name)
                if number == __NR_SCMP_ERROR {
                    if !unknown.contains(name) { unknown.append(name) }
                    continue
                }
                for comparisons in rule.comparisonGroups {
                    try filter.addRule(
                        rule.action, syscall: number, comparisons: comparisons, syscallName: name, path: rule.path)
                }
            }
        }
        return BPFProgram(bytes: try filter.exportBPF(), flags: flags, unknownSyscalls: unknown)
    }

    /// One `syscalls[]` entry after validation.
    private struct ValidatedRule {
        var path: String
        var names: [String]
        var action: SeccompAction
        /// One array of comparisons per libseccomp rule to add (a single empty array when there are no args).
        var comparisonGroups: [[scmp_arg_cmp]]
    }

    /// Checks every action, operator and index up front, so a bad profile fails the same way whether or
    /// not its rule would be skipped.
    private static func validatedRules(_ rules: [SeccompProfile.Rule]) throws(StackError) -> [ValidatedRule] {
        var result: [ValidatedRule] = []
        for (index, rule) in rules.enumerated() {
            let path = "linux.seccomp.syscalls[\(index)]"
            let action = try SeccompAction(name: rule.action, errnoRet: rule.errnoRet, path: path + ".action")
            try refuseNotify(action, path: path + ".action")
            var comparisons: [scmp_arg_cmp] = []
            var seen = Set<UInt32>()
            var repeatsIndex = false
            for (argIndex, argument) in rule.args.enumerated() {
                let argPath = "\(path).args[\(argIndex)]"
                guard argument.index < 6 else {
                    throw StackError(
                        .invalidArgument, "seccomp argument index \(argument.index) is out of range (0…5)",
                        path: argPath + ".index")
                }
                let op = try SeccompArgumentOperator(name: argument.op, path: argPath + ".op")
                if !seen.insert(argument.index).inserted { repeatsIndex = true }
                comparisons.append(
                    scmp_arg_cmp(
                        arg: argument.index, op: op.libseccompValue, datum_a: argument.value,
                        datum_b: argument.valueTwo))
            }
            let groups = repeatsIndex ? comparisons.map { [$0] } : [comparisons]
            result.append(ValidatedRule(path: path, names: rule.names, action: action, comparisonGroups: groups))
        }
        return result
    }

    private static func refuseNotify(_ action: SeccompAction, path: String) throws(StackError) {
        if action == .notify {
            throw StackError(
                .unsupported, "seccomp action SCMP_ACT_NOTIFY is not supported (no seccomp listener support)",
                path: path)
        }
    }

    /// Sets the libseccomp attributes matching the flags. The BPF does not change; this makes libseccomp
    /// check that the kernel supports each flag, as runc does. WAIT_KILLABLE_RECV has no attribute in
    /// libseccomp 2.5 and only matters with a listener, so it is carried to the loader unchecked.
    private static func applyAttributes(_ flags: SeccompFilterFlags, to filter: borrowing SeccompFilterContext)
        throws(StackError)
    {
        let path = "linux.seccomp.flags"
        if flags.contains(.tsync) {
            try filter.setAttribute(
                SCMP_FLTATR_CTL_TSYNC, 1, what: "seccomp flag SECCOMP_FILTER_FLAG_TSYNC", path: path)
        }
        if flags.contains(.log) {
            try filter.setAttribute(SCMP_FLTATR_CTL_LOG, 1, what: "seccomp flag SECCOMP_FILTER_FLAG_LOG", path: path)
        }
        if flags.contains(.specAllow) {
            try filter.setAttribute(
                SCMP_FLTATR_CTL_SSB, 1, what: "seccomp flag SECCOMP_FILTER_FLAG_SPEC_ALLOW", path: path)
        }
    }
}
