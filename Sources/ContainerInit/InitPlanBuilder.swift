import RuntimeSpec
import Seccomp
import StackCore

/// Builds the init plans of `create` and `exec` from the spec and what the runtime decided.
public struct InitPlanBuilder: Sendable {
    public var context: InitContext
    /// `--no-pivot`: chroot instead of pivot_root.
    public var noPivotRoot = false
    /// The compiled seccomp filter, if the spec has one.
    public var seccomp: BPFProgram?
    /// `/proc/sys/kernel/cap_last_cap`.
    public var lastCapability: UInt32 = 40
    /// The runtime's umask, restored after device nodes were made with umask 0.
    public var umask: UInt32 = 0o022
    /// The mount point `path` lives on in the runtime's mount namespace (for `shared` propagation).
    public var mountPoint: @Sendable (String) -> String? = { _ in nil }

    public init(context: InitContext) { self.context = context }

    /// Whether the init reads the container's state from the sync socket before its first step
    /// (the runtime then writes it, one line of JSON): createContainer and startContainer hooks
    /// get it on stdin.
    public static func needsState(_ spec: Spec) -> Bool {
        !(spec.hooks?.createContainer ?? []).isEmpty || !(spec.hooks?.startContainer ?? []).isEmpty
    }

    /// Whether the init asks the runtime to run prestart and createRuntime hooks.
    public static func needsRuntimeHooks(_ spec: Spec) -> Bool {
        !(spec.hooks?.prestart ?? []).isEmpty || !(spec.hooks?.createRuntime ?? []).isEmpty
    }

    /// The container's init: its mounts and rootfs, the runtime's hooks, `created`, the wait for
    /// `start`, then the process.
    public func createPlan() throws(StackError) -> InitPlan {
        let spec = context.spec
        guard let process = spec.process else { throw StackError(.invalidArgument, "config.json: process is required") }
        var plan = InitPlan()
        if Self.needsState(spec) { plan.append(InitStep(.readState)) }
        // The child starts in the container's cgroup; a cgroup namespace made now has it as root.
        if context.cgroupNamespace { plan.append(InitStep(.unshare, a: 0x0200_0000)) }  // CLONE_NEWCGROUP
        let rootfs = RootfsPlan(context: context, mountPoint: mountPoint)
        rootfs.prepare(&plan, umask: umask)
        if Self.needsRuntimeHooks(spec) { plan.append(InitStep(.hooksSync)) }
        Self.appendHooks(spec.hooks?.createContainer ?? [], kind: "createContainer", to: &plan)
        // The FIFO is reopened through this directory later: without a mount namespace nothing is
        // mounted on the rootfs's /proc, and inside one it may be another pid namespace's proc.
        plan.append(InitStep(.openFDDirectory))
        rootfs.enter(&plan, noPivotRoot: noPivotRoot)
        // A working directory the image lacks is made (as root, inside the new root, before it may
        // turn read-only), as runc does; the final chdir reports it if that failed.
        plan.append(RootfsPlan.makeDirectories(process.cwd, quiet: true))
        ProcessPlan.configureSystem(spec, &plan)
        rootfs.protectPaths(&plan)
        rootfs.applyRootPropagation(&plan)
        let processPlan = ProcessPlan(process: process, lastCapability: lastCapability)
        try processPlan.appendRlimits(&plan)
        processPlan.appendTerminal(&plan, console: true)
        processPlan.appendLookup(&plan)
        plan.append(InitStep(.created))
        plan.append(InitStep(.waitStart))
        Self.appendHooks(spec.hooks?.startContainer ?? [], kind: "startContainer", to: &plan)
        try processPlan.appendFinalize(&plan, seccomp: seccomp)
        return plan
    }

    /// A process started by `exec` in a running container (its namespaces, mount namespace
    /// included, are joined by the spawn): rlimits, terminal, lookup, `created`, then identity,
    /// capabilities, seccomp and the execve.
    public func execPlan(_ process: Spec.Process) throws(StackError) -> InitPlan {
        var plan = InitPlan()
        let processPlan = ProcessPlan(process: process, lastCapability: lastCapability)
        try processPlan.appendRlimits(&plan)
        processPlan.appendTerminal(&plan, console: false)
        processPlan.appendLookup(&plan)
        plan.append(InitStep(.created))
        try processPlan.appendFinalize(&plan, seccomp: seccomp)
        return plan
    }

    /// One step per hook, in order.
    static func appendHooks(_ hooks: [Spec.Hook], kind: String, to plan: inout InitPlan) {
        for (index, hook) in hooks.enumerated() {
            let arguments = hook.args?.isEmpty == false ? hook.args ?? [] : [hook.path]
            let environment = hook.env ?? []
            plan.append(
                InitStep(
                    .hook, a: UInt64(arguments.count), b: UInt64(environment.count),
                    c: UInt64(max(hook.timeout ?? 0, 0)), d: UInt64(index),
                    strings: [kind, hook.path] + arguments + environment))
        }
    }
}
