extension SpecChecker {
    /// `process`; `path` is its prefix (`process`, or empty for a process file).
    mutating func checkProcess(_ process: Spec.Process, path: String, forCreate: Bool) {
        func at(_ member: String) -> String { path.isEmpty ? member : "\(path).\(member)" }

        let args = process.args ?? []
        if forCreate && args.isEmpty {
            error(at("args"), "must name the program to run")
        } else if let first = args.first, first.isEmpty {
            error(SpecPath.item(at("args"), 0), "must not be empty")
        }
        if !process.cwd.hasPrefix("/") {
            error(at("cwd"), "must be an absolute path, got \"\(process.cwd)\"")
        }
        for (position, entry) in (process.env ?? []).enumerated() {
            let item = SpecPath.item(at("env"), position)
            if entry.utf8.contains(0) {
                error(item, "must not contain a NUL byte")
            } else if let equals = entry.firstIndex(of: "=") {
                if equals == entry.startIndex { error(item, "\"\(entry)\" has an empty variable name") }
            } else {
                error(item, "\"\(entry)\" is not of the form NAME=value")
            }
        }
        if let capabilities = process.capabilities {
            for (set, names) in capabilities.all {
                for (position, name) in names.enumerated() where Capability(name: name) == nil {
                    error(SpecPath.item(at("capabilities.\(set)"), position), "unknown capability \"\(name)\"")
                }
            }
        }
        checkRlimits(process.rlimits ?? [], path: at("rlimits"))
        if let adjust = process.oomScoreAdj, !(-1000...1000).contains(adjust) {
            error(at("oomScoreAdj"), "must be between -1000 and 1000, got \(adjust)")
        }
        if let priority = process.ioPriority {
            if !["IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE"].contains(priority.class) {
                error(at("ioPriority.class"), "unknown class \"\(priority.class)\"")
            }
            if let level = priority.priority, !(0...7).contains(level) {
                error(at("ioPriority.priority"), "must be between 0 and 7, got \(level)")
            }
        }
        if let scheduler = process.scheduler { checkScheduler(scheduler, path: at("scheduler")) }
        if let affinity = process.execCPUAffinity {
            for (name, list) in [("initial", affinity.initial), ("final", affinity.final)] {
                if let list, !Self.isCPUList(list) {
                    error(at("execCPUAffinity.\(name)"), "\"\(list)\" is not a cpu list like 0-3,7")
                }
            }
        }
    }

    mutating func checkRlimits(_ rlimits: [Spec.Rlimit], path: String) {
        var seen: Set<String> = []
        for (position, rlimit) in rlimits.enumerated() {
            let item = SpecPath.item(path, position)
            if RlimitType(name: rlimit.type) == nil {
                error(item + ".type", "unknown resource limit \"\(rlimit.type)\"")
            } else if !seen.insert(rlimit.type).inserted {
                error(item + ".type", "\(rlimit.type) is listed twice")
            }
            if rlimit.soft > rlimit.hard {
                error(item, "soft limit \(rlimit.soft) is above the hard limit \(rlimit.hard)")
            }
        }
    }

    static let schedulerPolicies: Set<String> = [
        "SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH", "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE",
    ]
    static let schedulerFlags: Set<String> = [
        "SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN", "SCHED_FLAG_KEEP_POLICY",
        "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN", "SCHED_FLAG_UTIL_CLAMP_MAX",
    ]

    mutating func checkScheduler(_ scheduler: Spec.Scheduler, path: String) {
        if !Self.schedulerPolicies.contains(scheduler.policy) {
            error(path + ".policy", "unknown policy \"\(scheduler.policy)\"")
        }
        for (position, flag) in (scheduler.flags ?? []).enumerated() where !Self.schedulerFlags.contains(flag) {
            error(SpecPath.item(path + ".flags", position), "unknown flag \"\(flag)\"")
        }
        if let nice = scheduler.nice, !(-20...19).contains(nice) {
            error(path + ".nice", "must be between -20 and 19, got \(nice)")
        }
    }

    /// A cpu or memory-node list: `0`, `0-3`, `0-3,7,9-11` (spaces allowed around items).
    static func isCPUList(_ text: String) -> Bool {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        return items.allSatisfy { item in
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces }
            guard (1...2).contains(bounds.count) else { return false }
            let numbers = bounds.compactMap { UInt($0) }
            guard numbers.count == bounds.count else { return false }
            return numbers.count == 1 || numbers[0] <= numbers[1]
        }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
