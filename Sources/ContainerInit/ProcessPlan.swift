import LinuxOS
import RuntimeSpec
import Seccomp
import StackCore

/// The process part of the init plan: hostname, sysctl and rlimits before `created`; the program
/// lookup; user, groups, capabilities, no_new_privs and seccomp (last) after `start`; the execve.
struct ProcessPlan {
    let process: Spec.Process
    /// The highest capability number the kernel knows (`/proc/sys/kernel/cap_last_cap`).
    let lastCapability: UInt32

    /// hostname, domainname (with a new uts namespace), then sysctls written under /proc/sys.
    static func configureSystem(_ spec: Spec, _ plan: inout InitPlan) {
        if let hostname = spec.hostname, !hostname.isEmpty { plan.append(InitStep(.sethostname, strings: [hostname])) }
        if let domainname = spec.domainname, !domainname.isEmpty {
            plan.append(InitStep(.setdomainname, strings: [domainname]))
        }
        for (key, value) in (spec.linux?.sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
            plan.append(InitStep(.writeFile, strings: ["/proc/sys/" + key.replacing(".", with: "/"), value]))
        }
    }

    /// The rlimits, in order.
    func appendRlimits(_ plan: inout InitPlan) throws(StackError) {
        for limit in process.rlimits ?? [] {
            guard let resource = Rlimit(name: limit.type) else {
                throw StackError(.invalidArgument, "unknown rlimit type \"\(limit.type)\"", path: "process.rlimits")
            }
            plan.append(
                InitStep(
                    .rlimit, a: UInt64(resource.number), b: limit.soft, c: limit.hard,
                    strings: ["setrlimit " + resource.name]))
        }
    }

    /// The pty (when `terminal`), then the console socket closed. `console`: also bind the pty
    /// onto /dev/console (the container's init; not an `exec`).
    func appendTerminal(_ plan: inout InitPlan, console: Bool) {
        if process.terminal == true {
            let size = process.consoleSize
            plan.append(
                InitStep(
                    .terminal, a: UInt64(size?.height ?? 0), b: UInt64(size?.width ?? 0), c: console ? 1 : 0))
        }
        plan.append(InitStep(.close, a: UInt64(InitStep.consoleFD)))
    }

    /// Find the program: `args[0]` as a path, or searched in the environment's last PATH.
    func appendLookup(_ plan: inout InitPlan) {
        let name = process.args?.first ?? ""
        let path = (process.env ?? []).last(where: { $0.hasPrefix("PATH=") }).map { String($0.dropFirst(5)) }
        plan.append(InitStep(.lookup, strings: [name, path ?? Self.defaultPath]))
    }

    /// PATH when the environment has none.
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Identity, capabilities, no_new_privs and seccomp, in runc's order: bounding set; keep caps;
    /// groups, gid, uid; drop keep caps; the process sets; no_new_privs; umask; the working
    /// directory; then execve. Without no_new_privs the filter needs CAP_SYS_ADMIN, so it is loaded
    /// first (as runc does); with it, last.
    func appendFinalize(_ plan: inout InitPlan, seccomp: BPFProgram?) throws(StackError) {
        let seccompStep = try seccomp.map(Self.seccompStep)
        let noNewPrivileges = process.noNewPrivileges == true
        if let seccompStep, !noNewPrivileges { plan.append(seccompStep) }
        let caps = process.capabilities
        func mask(_ names: [String]?) -> UInt64 {
            CapabilityName.numbers(for: names ?? []).known.reduce(UInt64(0)) { bits, cap in
                cap <= lastCapability && cap < 64 ? bits | (UInt64(1) << UInt64(cap)) : bits
            }
        }
        if caps != nil { plan.append(InitStep(.boundingSet, a: mask(caps?.bounding), b: UInt64(lastCapability))) }
        plan.append(InitStep(.keepCapabilities, a: 1))
        let user = process.user
        let gids = (user.additionalGids ?? []).flatMap { gid in withUnsafeBytes(of: gid.littleEndian) { Array($0) } }
        plan.append(InitStep(.setgroups, a: UInt64(user.additionalGids?.count ?? 0), [.bytes(gids)]))
        plan.append(InitStep(.setresgid, a: UInt64(user.gid)))
        plan.append(InitStep(.setresuid, a: UInt64(user.uid)))
        plan.append(InitStep(.keepCapabilities, a: 0))
        if caps != nil {
            plan.append(
                InitStep(
                    .capset, a: mask(caps?.effective), b: mask(caps?.permitted), c: mask(caps?.inheritable),
                    d: mask(caps?.ambient)))
        }
        if noNewPrivileges { plan.append(InitStep(.noNewPrivileges)) }
        if let umask = user.umask { plan.append(InitStep(.umask, a: UInt64(umask))) }
        plan.append(InitStep(.chdir, strings: [process.cwd]))
        if let seccompStep, noNewPrivileges { plan.append(seccompStep) }
        var environment = process.env ?? []
        if !environment.contains(where: { $0.hasPrefix("HOME=") }) { environment.append("HOME=/") }
        let arguments = process.args ?? []
        plan.append(
            InitStep(.exec, a: UInt64(arguments.count), b: UInt64(environment.count), strings: arguments + environment))
    }

    /// The filter as a step (checked before the clone).
    static func seccompStep(_ program: BPFProgram) throws(StackError) -> InitStep {
        InitStep(.seccomp, a: UInt64(try program.flagsForLoading().rawValue), [.bytes(program.bytes)])
    }
}

extension InitStep {
    /// The init's fixed fds (`CR_INIT_*_FD`).
    public static let syncFD: Int32 = 3
    public static let fifoFD: Int32 = 4
    public static let consoleFD: Int32 = 5
}
