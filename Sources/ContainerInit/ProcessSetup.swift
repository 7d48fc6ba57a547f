import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore

/// Kernel operations of the last init steps that are not plain system calls: capability sets and
/// loading the seccomp filter. `LinuxPrivileges` does them for real.
public protocol PrivilegeOperations: Sendable {
    /// Drop every capability not in `keep` from the bounding set.
    func limitBoundingSet(to keep: [UInt32]) throws(StackError)
    /// Set effective, permitted, inheritable and ambient.
    func setProcessSets(_ sets: CapabilitySets) throws(StackError)
    /// Install the seccomp filter.
    func loadSeccomp(_ program: BPFProgram) throws(StackError)
}

/// The real capability and seccomp calls (the `Seccomp` target).
public struct LinuxPrivileges: PrivilegeOperations {
    public init() {}

    public func limitBoundingSet(to keep: [UInt32]) throws(StackError) {
        try Capabilities().limitBoundingSet(to: keep)
    }

    public func setProcessSets(_ sets: CapabilitySets) throws(StackError) {
        try Capabilities().setProcessSets(
            effective: sets.effective, permitted: sets.permitted, inheritable: sets.inheritable, ambient: sets.ambient)
    }

    public func loadSeccomp(_ program: BPFProgram) throws(StackError) {
        try SeccompLoader.load(program)
    }
}

/// The process part of container init: hostname, sysctl and rlimits before `created`; user, groups,
/// capabilities, no_new_privs and seccomp (last) after `start`.
public struct ProcessSetup: Sendable {
    public let syscalls: any Syscalls
    public let privileges: any PrivilegeOperations
    public let spec: Spec

    public init(syscalls: any Syscalls, privileges: any PrivilegeOperations, spec: Spec) {
        self.syscalls = syscalls
        self.privileges = privileges
        self.spec = spec
    }

    /// hostname, domainname (with a new uts namespace), then sysctls written under /proc/sys.
    public func configureSystem() throws(StackError) {
        if let hostname = spec.hostname, !hostname.isEmpty { try syscalls.sethostname(hostname) }
        if let domainname = spec.domainname, !domainname.isEmpty { try syscalls.setdomainname(domainname) }
        for (key, value) in (spec.linux?.sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
            let path = "/proc/sys/" + key.replacing(".", with: "/")
            try syscalls.writeFile(path, contents: value)
        }
    }

    /// The spec's rlimits, in order.
    public func applyRlimits(_ process: Spec.Process) throws(StackError) {
        for limit in process.rlimits ?? [] {
            guard let resource = Rlimit(name: limit.type) else {
                throw StackError(.invalidArgument, "unknown rlimit type \"\(limit.type)\"", path: "process.rlimits")
            }
            try syscalls.setrlimit(resource, soft: limit.soft, hard: limit.hard)
        }
    }

    /// The capability sets of `process`, as numbers (unknown names are dropped; the validator warned).
    public static func capabilitySets(_ process: Spec.Process) -> CapabilitySets {
        let caps = process.capabilities
        func numbers(_ names: [String]?) -> [UInt32] { CapabilityName.numbers(for: names ?? []).known }
        return CapabilitySets(
            bounding: numbers(caps?.bounding), effective: numbers(caps?.effective),
            permitted: numbers(caps?.permitted), inheritable: numbers(caps?.inheritable),
            ambient: numbers(caps?.ambient))
    }

    /// Identity, capabilities, no_new_privs and seccomp, in runc's order:
    /// bounding set; keep caps; groups, gid, uid; drop keep caps; the process sets; no_new_privs;
    /// seccomp last. Without no_new_privs the filter needs CAP_SYS_ADMIN, so it is loaded before the
    /// capabilities change (as runc does). Then umask and the working directory.
    public func finalize(_ process: Spec.Process, seccomp: BPFProgram?) throws(StackError) {
        let sets = Self.capabilitySets(process)
        let noNewPrivileges = process.noNewPrivileges == true
        if let seccomp, !noNewPrivileges { try privileges.loadSeccomp(seccomp) }
        if process.capabilities != nil { try privileges.limitBoundingSet(to: sets.bounding) }
        try syscalls.prctl(.setKeepCapabilities(true))
        let user = process.user
        try syscalls.setgroups(user.additionalGids ?? [])
        try syscalls.setresgid(user.gid, user.gid, user.gid)
        try syscalls.setresuid(user.uid, user.uid, user.uid)
        try syscalls.prctl(.setKeepCapabilities(false))
        if process.capabilities != nil { try privileges.setProcessSets(sets) }
        if noNewPrivileges { try syscalls.prctl(.setNoNewPrivileges) }
        if let umask = user.umask { _ = syscalls.umask(umask) }
        try syscalls.chdir(process.cwd)
        if let seccomp, noNewPrivileges { try privileges.loadSeccomp(seccomp) }
    }
}

/// Finding the program to run: `args[0]` as a path, or searched in the container's PATH.
public enum ExecutableLookup {
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// The path of `name` for `execve`, or an error naming it (`exec: "nope": executable file not found in $PATH`).
    public static func resolve(_ name: String, environment: [String], probe: any PathProbe) throws(StackError) -> String {
        if name.contains("/") {
            guard probe.kind(name) != nil else {
                throw StackError(.notFound, "exec: \"\(name)\": stat \(name): no such file or directory")
            }
            return name
        }
        let pathValue = environment.last(where: { $0.hasPrefix("PATH=") }).map { String($0.dropFirst(5)) }
        for directory in (pathValue ?? defaultPath).split(separator: ":") {
            let candidate = (directory.hasSuffix("/") ? String(directory) : directory + "/") + name
            if probe.kind(candidate) == .file { return candidate }
        }
        throw StackError(.notFound, "exec: \"\(name)\": executable file not found in $PATH")
    }
}
