import StackAPI
import StackCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What this host's cgroups can enforce. As Docker does, a limit the kernel cannot apply is
/// dropped with a warning rather than failing the container.
enum HostSupport {
    /// Files that mean "block I/O weight works" (v1 CFQ or BFQ, v2 io or BFQ).
    static let blkioWeightFiles = [
        "/sys/fs/cgroup/blkio/blkio.weight", "/sys/fs/cgroup/blkio/blkio.bfq.weight",
        "/sys/fs/cgroup/io.weight", "/sys/fs/cgroup/io.bfq.weight",
    ]

    static var blkioWeight: Bool { blkioWeightFiles.contains { access($0, F_OK) == 0 } }

    /// The capabilities in stackd's own bounding set (`CapBnd` of /proc/self/status): the most
    /// a container can get. nil when unreadable (then every known capability is assumed).
    static let boundingCapabilities: [String]? = {
        guard let status = FileSystem.readText("/proc/self/status"),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapBnd:") }),
            let mask = UInt64(line.dropFirst(7).filter { !$0.isWhitespace }, radix: 16)
        else { return nil }
        return (0..<64).filter { mask & (1 << UInt64($0)) != 0 }.map { CapabilityName.name(of: UInt32($0)) }
    }()

    /// Clear what cannot be applied here; the warnings say what was dropped.
    static func discardUnsupported(_ host: inout HostConfig) -> [String] {
        var warnings: [String] = []
        if host.blkioWeight > 0 && !blkioWeight {
            host.blkioWeight = 0
            warnings.append("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.")
        }
        return warnings
    }

    /// Refuse what this host cannot give at all, with Docker's messages: `--cpus` above the
    /// number of CPUs.
    static func check(_ host: HostConfig) throws(StackError) {
        let cpus = Int64(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if host.nanoCpus > 0 && cpus > 0 && (host.nanoCpus < 10_000_000 || host.nanoCpus > cpus * 1_000_000_000) {
            throw StackError(
                .invalidArgument,
                "Range of CPUs is from 0.01 to \(cpus).00, as there are only \(cpus) CPUs available")
        }
    }
}
