import RuntimeSpec
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

    /// The capability numbers in this process's bounding set (`CapBnd` of /proc/self/status);
    /// nil when it cannot be read.
    static func boundingCapabilities() -> Set<UInt32>? {
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard text.hasPrefix("CapBnd:") else { continue }
            let hex = text.dropFirst("CapBnd:".count).filter { $0.isHexDigit }
            guard let mask = UInt64(hex, radix: 16) else { return nil }
            return Set((0..<64).filter { mask & (UInt64(1) << UInt64($0)) != 0 }.map { UInt32($0) })
        }
        return nil
    }

    /// `--privileged` grants every capability the engine holds: one missing from its own bounding
    /// set (stackd in a restricted environment) could not be given and would fail the start.
    static func limitToHeld(_ capabilities: Spec.Capabilities?) -> Spec.Capabilities? {
        guard var capabilities, let held = boundingCapabilities() else { return capabilities }
        func keep(_ names: [String]?) -> [String]? {
            names?.filter { name in CapabilityName.number(of: name).map { held.contains($0) } ?? false }
        }
        capabilities.bounding = keep(capabilities.bounding)
        capabilities.effective = keep(capabilities.effective)
        capabilities.permitted = keep(capabilities.permitted)
        capabilities.inheritable = keep(capabilities.inheritable)
        capabilities.ambient = keep(capabilities.ambient)
        return capabilities
    }
}
