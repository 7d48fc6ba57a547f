import LinuxOS
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// How the container's init enters its cgroup without the runtime writing its pid to
/// `cgroup.procs`: that write takes the kernel's global threadgroup lock, and its first use
/// waits for an RCU grace period (several milliseconds on every `create`).
///
/// - the cgroup2 directory (v2, or the `unified` mount of the hybrid layout) is an fd for
///   `CLONE_INTO_CGROUP` (where clone3 lacks it, the spawner falls back to `cgroup.procs`);
/// - each cgroup v1 hierarchy's `tasks` file is opened here, and the child writes `0` to it right
///   after release, before it execs the init (a single thread moving itself takes no global lock).
struct CgroupJoin {
    /// The cgroup2 directory fd, if the container has one.
    let unifiedFD: Int32?
    /// Write fds on the v1 `tasks` files, one per distinct directory.
    let taskFDs: [Int32]

    /// The files to open for a manager's `paths` (hierarchy → directory; `""` is cgroup2): the
    /// v1 `tasks` files, each directory once, sorted; and the cgroup2 directory.
    static func plan(paths: [String: String]) -> (taskFiles: [String], unifiedDirectory: String?) {
        let legacy = Set(paths.filter { !$0.key.isEmpty }.values)
        return (legacy.sorted().map { $0 + "/tasks" }, paths[""])
    }

    /// Opens the files of `plan(paths:)`; nothing stays open on failure.
    static func open(paths: [String: String]) throws(StackError) -> CgroupJoin {
        let (taskFiles, unifiedDirectory) = plan(paths: paths)
        var taskFDs: [Int32] = []
        var unifiedFD: Int32? = nil
        do {
            for file in taskFiles {
                taskFDs.append(try syscall("open \(file)") { Glibc.open(file, O_WRONLY | O_CLOEXEC) })
            }
            if let unifiedDirectory {
                unifiedFD = try syscall("open \(unifiedDirectory)") {
                    Glibc.open(unifiedDirectory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                }
            }
        } catch {
            for fd in taskFDs { Glibc.close(fd) }
            throw error
        }
        return CgroupJoin(unifiedFD: unifiedFD, taskFDs: taskFDs)
    }

    /// Closes the runtime's copies (the child has its own).
    func close() {
        for fd in taskFDs { Glibc.close(fd) }
        if let unifiedFD { Glibc.close(unifiedFD) }
    }
}
