import CRuntime
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The Swift face of `cr_spawn`: clone a child into its namespaces and hold it until
/// `SpawnedProcess.release()`. No Swift runs in the child; everything it needs is converted to C
/// here and lives until `cr_spawn` returns (the child has its own copy of memory by then).
public struct Spawner: Sendable {
    public init() {}

    /// Clone the child. It waits for `release()`; do the parent's part (uid/gid maps, cgroups)
    /// in between. Errors name the step, e.g. `setns(net): EINVAL (Invalid argument)`.
    public func spawn(_ request: SpawnRequest) throws(StackError) -> SpawnedProcess {
        guard !request.path.isEmpty || request.initPlan != nil else { throw StackError(.invalidArgument, "spawn: empty program path") }
        if request.joins.count > Int(CR_MAX_JOINS) {
            throw StackError(.invalidArgument, "spawn: more than \(CR_MAX_JOINS) namespaces to join")
        }
        if let twice = request.joins.compactMap(\.namespace).first(where: request.namespaces.contains) {
            throw StackError(.invalidArgument, "spawn: the \(twice.ociType) namespace is both joined and new")
        }
        _ = try FDRemapPlan(request.fds)
        if request.cgroupTaskFDs.count > Int(CR_MAX_TASK_FDS) {
            throw StackError(.invalidArgument, "spawn: more than \(CR_MAX_TASK_FDS) cgroup tasks files")
        }

        var opened: [Int32] = []
        defer { for fd in opened { Glibc.close(fd) } }
        var joins: [cr_ns_join] = []
        for join in request.joins {
            switch join.target {
            case .fd(let fd):
                joins.append(cr_ns_join(fd: fd, nstype: join.namespace?.cloneFlag ?? 0))
            case .path(let path):
                let fd = try syscall("open \(path)") { Glibc.open(path, O_RDONLY | O_CLOEXEC) }
                opened.append(fd)
                joins.append(cr_ns_join(fd: fd, nstype: join.namespace?.cloneFlag ?? 0))
            }
        }
        let fds = request.fds.map { cr_fd_map(from: $0.from, to: $0.to) }
        let argv = CStringArray(request.arguments)
        let envp = CStringArray(request.environment)
        defer {
            argv.deallocate()
            envp.deallocate()
        }

        var result = cr_spawn_result()
        let plan = request.initPlan ?? []
        let status = plan.withUnsafeBytes { plan in request.path.withCString { path in
            withOptionalCString(request.workingDirectory) { cwd in
                joins.withUnsafeBufferPointer { joins in
                    fds.withUnsafeBufferPointer { fds in
                        request.cgroupTaskFDs.withUnsafeBufferPointer { taskFDs in
                            var args = cr_spawn_args(
                                path: path, argv: argv.pointer, envp: envp.pointer,
                                clone_flags: UInt64(UInt32(bitPattern: Namespace.cloneFlags(request.namespaces))),
                                joins: joins.baseAddress, join_count: joins.count,
                                fds: fds.baseAddress, fd_count: fds.count,
                                setsid: request.newSession ? 1 : 0,
                                cgroup_fd: request.cgroupFD ?? -1,
                                cwd: cwd,
                                parent_death_signal: request.parentDeathSignal ?? 0,
                                want_pidfd: request.wantsPidfd ? 1 : 0,
                                no_clone3: request.usesClone3 ? 0 : 1,
                                become_root: request.becomesRoot ? 1 : 0,
                                cgroup_task_fds: taskFDs.baseAddress, cgroup_task_fd_count: taskFDs.count,
                                init_plan: request.initPlan == nil ? nil : plan.baseAddress,
                                init_plan_size: plan.count)
                            return cr_spawn(&args, &result)
                        }
                    }
                }
            }
        } }
        if status != 0 {
            throw StackError.system(String(cString: cr_step_name(result.error.step)), Errno(result.error.err))
        }
        return SpawnedProcess(result)
    }
}

/// A NULL-terminated `char *[]` owned by the caller (`deallocate()` frees it).
struct CStringArray {
    let pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    init(_ strings: [String]) {
        count = strings.count
        pointer = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() { pointer[index] = strdup(string) }
        pointer[strings.count] = nil
    }

    func deallocate() {
        for index in 0..<count { free(pointer[index]) }
        pointer.deallocate()
    }
}
