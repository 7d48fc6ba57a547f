extension SpecChecker {
    mutating func checkLinux(_ linux: Spec.Linux) {
        checkNamespaces(linux.namespaces ?? [])
        checkUserMappings(linux)
        if let offsets = linux.timeOffsets, !offsets.isEmpty {
            if let time = namespace(.time), time.namespace.path == nil {
                for clock in offsets.keys.sorted() where clock != "boottime" && clock != "monotonic" {
                    error(SpecPath.member("linux.timeOffsets", clock), "unknown clock (expected boottime or monotonic)")
                }
            } else {
                error("linux.timeOffsets", "need a new time namespace (a time entry without path in linux.namespaces)")
            }
        }
        checkSysctl(linux.sysctl ?? [:])
        if let cgroupsPath = linux.cgroupsPath { checkCgroupsPath(cgroupsPath) }
        checkDevices(linux.devices ?? [])
        if let resources = linux.resources { checkResources(resources) }
        if let seccomp = linux.seccomp { checkSeccomp(seccomp) }
        if let propagation = linux.rootfsPropagation, !propagation.isEmpty,
            !["private", "shared", "slave", "unbindable", "rprivate", "rshared", "rslave", "runbindable"]
                .contains(propagation)
        {
            error("linux.rootfsPropagation", "unknown propagation \"\(propagation)\" (expected private, shared, slave or unbindable)")
        }
        for (name, paths) in [("maskedPaths", linux.maskedPaths), ("readonlyPaths", linux.readonlyPaths)] {
            for (position, path) in (paths ?? []).enumerated() where !path.hasPrefix("/") {
                error(SpecPath.item("linux.\(name)", position), "must be an absolute path, got \"\(path)\"")
            }
        }
        if let personality = linux.personality, personality.domain != "LINUX", personality.domain != "LINUX32" {
            error("linux.personality.domain", "unknown domain \"\(personality.domain)\" (expected LINUX or LINUX32)")
        }
        if let policy = linux.memoryPolicy { checkMemoryPolicy(policy) }
    }

    mutating func checkNamespaces(_ namespaces: [Spec.Namespace]) {
        var seen: Set<String> = []
        for (position, namespace) in namespaces.enumerated() {
            let item = SpecPath.item("linux.namespaces", position)
            if namespace.kind == nil {
                let known = NamespaceType.allCases.map(\.rawValue).joined(separator: ", ")
                error(item + ".type", "unknown namespace type \"\(namespace.type)\" (expected one of \(known))")
            } else if !seen.insert(namespace.type).inserted {
                error(item + ".type", "the \(namespace.type) namespace is listed twice")
            }
            if let path = namespace.path, !path.hasPrefix("/") {
                error(item + ".path", "must be an absolute path, got \"\(path)\"")
            }
        }
    }

    /// Mappings are required exactly when a new user namespace is created.
    mutating func checkUserMappings(_ linux: Spec.Linux) {
        let user = namespace(.user)
        for (name, mappings) in [("uidMappings", linux.uidMappings), ("gidMappings", linux.gidMappings)] {
            let path = "linux.\(name)"
            let present = !(mappings ?? []).isEmpty
            switch (user, present) {
            case (nil, true):
                error(path, "is set, but linux.namespaces has no user namespace")
            case (let user?, true) where user.namespace.path != nil:
                error(path, "must not be set when joining an existing user namespace (linux.namespaces[\(user.index)].path)")
            case (let user?, false) where user.namespace.path == nil:
                error(path, "is required when a new user namespace is created")
            case (_, true):
                checkMappings(mappings ?? [], path: path)
            default:
                break
            }
        }
    }

    static let ipcSysctls: Set<String> = [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax",
        "kernel.shmmni", "kernel.shm_rmid_forced",
    ]

    /// Only sysctls of namespaces the container has of its own may be set.
    mutating func checkSysctl(_ sysctl: [String: String]) {
        for key in sysctl.keys.sorted() {
            let path = SpecPath.member("linux.sysctl", key)
            // sysctl(8) accepts both separators: net/ipv4/ip_forward is net.ipv4.ip_forward.
            let name = String(key.map { $0 == "/" ? "." : $0 })
            if Self.ipcSysctls.contains(name) || name.hasPrefix("fs.mqueue.") {
                if !hasNamespace(.ipc) { error(path, "needs an ipc namespace in linux.namespaces") }
            } else if name.hasPrefix("net.") {
                if !hasNamespace(.network) { error(path, "needs a network namespace in linux.namespaces") }
            } else if name == "kernel.hostname" || name == "kernel.domainname" {
                if !hasNamespace(.uts) {
                    error(path, "needs a uts namespace in linux.namespaces")
                } else if name == "kernel.hostname", let hostname = spec.hostname, !hostname.isEmpty {
                    error(path, "conflicts with the hostname field")
                } else if name == "kernel.domainname", let domainname = spec.domainname, !domainname.isEmpty {
                    error(path, "conflicts with the domainname field")
                }
            } else {
                error(path, "is not namespaced, so a container cannot set it")
            }
        }
    }

    /// cgroupfs: a path without `..` components; systemd: `slice:prefix:name`.
    mutating func checkCgroupsPath(_ cgroupsPath: String) {
        let path = "linux.cgroupsPath"
        if cgroupsPath.utf8.contains(where: { $0 == 0 || $0 == 0x0A }) {
            error(path, "must not contain NUL or newline characters")
            return
        }
        let parts = cgroupsPath.split(separator: ":", omittingEmptySubsequences: false)
        if systemdCgroup {
            guard parts.count == 3, !parts[2].isEmpty, parts[0].isEmpty || parts[0].hasSuffix(".slice"),
                !cgroupsPath.contains("/")
            else {
                error(path, "\"\(cgroupsPath)\" is not of the form slice:prefix:name required by the systemd cgroup driver")
                return
            }
        } else {
            if parts.count == 3, parts[0].hasSuffix(".slice") {
                error(path, "\"\(cgroupsPath)\" is a systemd slice:prefix:name path, but the cgroupfs driver is in use")
                return
            }
            if cgroupsPath.split(separator: "/").contains("..") {
                error(path, "\"\(cgroupsPath)\" must not contain .. components")
            }
        }
    }

    mutating func checkDevices(_ devices: [Spec.Device]) {
        var seen: Set<String> = []
        for (position, device) in devices.enumerated() {
            let item = SpecPath.item("linux.devices", position)
            if !["c", "b", "u", "p"].contains(device.type) {
                error(item + ".type", "unknown device type \"\(device.type)\" (expected c, b, u or p)")
            } else if device.type != "p" && (device.major == nil || device.minor == nil) {
                error(item, "a \(device.type == "b" ? "block" : "character") device needs major and minor")
            }
            if !device.path.hasPrefix("/") {
                error(item + ".path", "must be an absolute path, got \"\(device.path)\"")
            } else if !seen.insert(device.path).inserted {
                error(item + ".path", "\(device.path) is listed twice")
            }
            if let mode = device.fileMode, mode > 0o7777 {
                error(item + ".fileMode", "\(mode) is not a permission mode (at most 4095, i.e. 07777)")
            }
        }
    }

    static let memoryPolicyModes: Set<String> = [
        "MPOL_DEFAULT", "MPOL_BIND", "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE", "MPOL_PREFERRED",
        "MPOL_PREFERRED_MANY", "MPOL_LOCAL",
    ]

    mutating func checkMemoryPolicy(_ policy: Spec.MemoryPolicy) {
        if let mode = policy.mode, !Self.memoryPolicyModes.contains(mode) {
            error("linux.memoryPolicy.mode", "unknown mode \"\(mode)\"")
        }
        let flags: Set<String> = ["MPOL_F_NUMA_BALANCING", "MPOL_F_RELATIVE_NODES", "MPOL_F_STATIC_NODES"]
        for (position, flag) in (policy.flags ?? []).enumerated() where !flags.contains(flag) {
            error(SpecPath.item("linux.memoryPolicy.flags", position), "unknown flag \"\(flag)\"")
        }
    }
}
