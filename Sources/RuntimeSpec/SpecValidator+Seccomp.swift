extension SpecChecker {
    mutating func checkSeccomp(_ seccomp: Spec.Linux.Seccomp) {
        let base = "linux.seccomp"
        var usesNotify = false
        if let action = SeccompAction(rawValue: seccomp.defaultAction) {
            if action == .notify { error(base + ".defaultAction", "SCMP_ACT_NOTIFY cannot be the default action") }
        } else {
            error(base + ".defaultAction", "unknown action \"\(seccomp.defaultAction)\"")
        }
        for (position, arch) in (seccomp.architectures ?? []).enumerated() where SeccompArch(rawValue: arch) == nil {
            error(SpecPath.item(base + ".architectures", position), "unknown architecture \"\(arch)\"")
        }
        for (position, flag) in (seccomp.flags ?? []).enumerated() where SeccompFlag(rawValue: flag) == nil {
            error(SpecPath.item(base + ".flags", position), "unknown flag \"\(flag)\"")
        }
        for (position, rule) in (seccomp.syscalls ?? []).enumerated() {
            let item = SpecPath.item(base + ".syscalls", position)
            if rule.names.isEmpty { error(item + ".names", "must name at least one syscall") }
            for (index, name) in rule.names.enumerated() where name.isEmpty {
                error(SpecPath.item(item + ".names", index), "must not be empty")
            }
            if let action = SeccompAction(rawValue: rule.action) {
                usesNotify = usesNotify || action == .notify
                if rule.errnoRet != nil && !action.takesErrno {
                    error(item + ".errnoRet", "is only meaningful with SCMP_ACT_ERRNO or SCMP_ACT_TRACE, not \(rule.action)")
                }
            } else {
                error(item + ".action", "unknown action \"\(rule.action)\"")
            }
            for (argPosition, argument) in (rule.args ?? []).enumerated() {
                let argPath = SpecPath.item(item + ".args", argPosition)
                if argument.index > 5 { error(argPath + ".index", "must be between 0 and 5, got \(argument.index)") }
                if SeccompOperator(rawValue: argument.op) == nil {
                    error(argPath + ".op", "unknown operator \"\(argument.op)\"")
                }
            }
        }
        if usesNotify && (seccomp.listenerPath ?? "").isEmpty {
            error(base + ".listenerPath", "is required when a rule uses SCMP_ACT_NOTIFY")
        }
        if let listener = seccomp.listenerPath, !listener.isEmpty, !listener.hasPrefix("/") {
            error(base + ".listenerPath", "must be an absolute path, got \"\(listener)\"")
        }
    }
}
