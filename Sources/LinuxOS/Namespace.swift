import CRuntime

/// A kind of Linux namespace.
public enum Namespace: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case mount = "mnt"
    case uts
    case ipc
    case pid
    case network = "net"
    case user
    case cgroup
    case time

    /// The `CLONE_NEW*` flag.
    public var cloneFlag: Int32 {
        switch self {
        case .mount: return CR_CLONE_NEWNS
        case .uts: return CR_CLONE_NEWUTS
        case .ipc: return CR_CLONE_NEWIPC
        case .pid: return CR_CLONE_NEWPID
        case .network: return CR_CLONE_NEWNET
        case .user: return CR_CLONE_NEWUSER
        case .cgroup: return CR_CLONE_NEWCGROUP
        case .time: return CR_CLONE_NEWTIME
        }
    }

    /// The flag's name, e.g. `CLONE_NEWNS`.
    public var cloneFlagName: String {
        switch self {
        case .mount: return "CLONE_NEWNS"
        case .uts: return "CLONE_NEWUTS"
        case .ipc: return "CLONE_NEWIPC"
        case .pid: return "CLONE_NEWPID"
        case .network: return "CLONE_NEWNET"
        case .user: return "CLONE_NEWUSER"
        case .cgroup: return "CLONE_NEWCGROUP"
        case .time: return "CLONE_NEWTIME"
        }
    }

    /// The name under `/proc/PID/ns/`, e.g. `mnt`, `net`.
    public var procName: String { rawValue }

    /// The OCI runtime-spec type (`mount`, `network`, …).
    public var ociType: String {
        switch self {
        case .mount: return "mount"
        case .network: return "network"
        default: return rawValue
        }
    }

    /// Parse an OCI runtime-spec namespace type.
    public init?(ociType: String) {
        guard let match = Namespace.allCases.first(where: { $0.ociType == ociType }) else { return nil }
        self = match
    }

    public var description: String { rawValue }

    /// The combined clone flags of a set of namespaces.
    public static func cloneFlags(_ namespaces: some Sequence<Namespace>) -> Int32 {
        namespaces.reduce(0) { $0 | $1.cloneFlag }
    }

    /// `CLONE_NEWNS|CLONE_NEWPID` in a fixed order; `0` when empty.
    public static func render(_ namespaces: Set<Namespace>) -> String {
        let names = allCases.filter(namespaces.contains).map(\.cloneFlagName)
        return names.isEmpty ? "0" : names.joined(separator: "|")
    }
}
