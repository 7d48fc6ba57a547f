/// The namespace types of runtime-spec 1.1 (`linux.namespaces[].type`).
public enum NamespaceType: String, Codable, Sendable, Hashable, CaseIterable {
    case mount, pid, network, uts, ipc, user, cgroup, time

    /// The `CLONE_NEW*` flag for clone(2), unshare(2) and setns(2) (linux/sched.h).
    public var cloneFlag: Int32 {
        switch self {
        case .mount: return 0x0002_0000  // CLONE_NEWNS
        case .cgroup: return 0x0200_0000  // CLONE_NEWCGROUP
        case .uts: return 0x0400_0000  // CLONE_NEWUTS
        case .ipc: return 0x0800_0000  // CLONE_NEWIPC
        case .user: return 0x1000_0000  // CLONE_NEWUSER
        case .pid: return 0x2000_0000  // CLONE_NEWPID
        case .network: return 0x4000_0000  // CLONE_NEWNET
        case .time: return 0x0000_0080  // CLONE_NEWTIME
        }
    }

    /// The file name under /proc/PID/ns/.
    public var procName: String {
        switch self {
        case .mount: return "mnt"
        case .network: return "net"
        case .pid, .uts, .ipc, .user, .cgroup, .time: return rawValue
        }
    }
}
