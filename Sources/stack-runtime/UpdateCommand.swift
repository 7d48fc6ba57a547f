import ArgumentParser
import ContainerInit
import Runtime
import StackCore

/// `update`: runc's flags, or an OCI LinuxResources JSON with `-r FILE` (`-` reads stdin; the
/// flags are then ignored, as runc does). Values may be negative (`--memory -1`), so each option takes
/// the next word whatever it looks like.
struct UpdateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change the resource limits of a live container.")

    @OptionGroup var globals: GlobalOptions
    @Option(name: [.short, .long], help: "An OCI LinuxResources JSON file, or - for stdin.") var resources: String?
    @Option(name: .long, parsing: .unconditional, help: "Memory limit (e.g. 512m; -1 is unlimited).") var memory: String?
    @Option(name: .customLong("memory-reservation"), parsing: .unconditional, help: "Memory soft limit.") var memoryReservation: String?
    @Option(name: .customLong("memory-swap"), parsing: .unconditional, help: "Memory plus swap limit (-1 is unlimited).") var memorySwap: String?
    @Option(name: .customLong("kernel-memory"), parsing: .unconditional, help: "Accepted and ignored: kernel memory limits are unsupported.")
    var kernelMemory: String?
    @Option(name: .customLong("kernel-memory-tcp"), parsing: .unconditional, help: "Kernel TCP buffer limit (cgroup v1).")
    var kernelMemoryTCP: String?
    @Option(name: [.customLong("cpu-share"), .customLong("cpu-shares")], parsing: .unconditional, help: "CPU shares (relative weight).")
    var cpuShares: String?
    @Option(name: .customLong("cpu-quota"), parsing: .unconditional, help: "CFS quota in microseconds per period.") var cpuQuota: String?
    @Option(name: .customLong("cpu-period"), parsing: .unconditional, help: "CFS period in microseconds.") var cpuPeriod: String?
    @Option(name: .customLong("cpu-rt-runtime"), parsing: .unconditional, help: "Real-time runtime in microseconds.") var cpuRealtimeRuntime: String?
    @Option(name: .customLong("cpu-rt-period"), parsing: .unconditional, help: "Real-time period in microseconds.") var cpuRealtimePeriod: String?
    @Option(name: .customLong("cpuset-cpus"), parsing: .unconditional, help: "CPUs to run on (e.g. 0-3,6).") var cpusetCPUs: String?
    @Option(name: .customLong("cpuset-mems"), parsing: .unconditional, help: "Memory nodes to use.") var cpusetMems: String?
    @Option(name: .customLong("pids-limit"), parsing: .unconditional, help: "Maximum number of tasks.") var pidsLimit: String?
    @Option(name: .customLong("blkio-weight"), parsing: .unconditional, help: "Block IO weight (10…1000).") var blkioWeight: String?
    @Argument(help: "The container id.") var id: String

    var flags: ResourceUpdate.Flags {
        var flags = ResourceUpdate.Flags()
        flags.memory = memory
        flags.memoryReservation = memoryReservation
        flags.memorySwap = memorySwap
        flags.kernelMemory = kernelMemory
        flags.kernelMemoryTCP = kernelMemoryTCP
        flags.cpuShares = cpuShares
        flags.cpuQuota = cpuQuota
        flags.cpuPeriod = cpuPeriod
        flags.cpuRealtimeRuntime = cpuRealtimeRuntime
        flags.cpuRealtimePeriod = cpuRealtimePeriod
        flags.cpusetCPUs = cpusetCPUs
        flags.cpusetMems = cpusetMems
        flags.pidsLimit = pidsLimit
        flags.blkioWeight = blkioWeight
        return flags
    }

    /// The update asked for: the `--resources` document, else the flags.
    func request() throws(StackError) -> ResourceUpdate {
        guard let file = resources else { return try ResourceUpdate.parse(flags) }
        let data = try FileIO.read(file == "-" ? "/dev/stdin" : file)
        return try ResourceUpdate.decode(data: data, file: file == "-" ? "stdin" : file)
    }

    func run() throws {
        _ = try globals.perform { () throws(StackError) in
            try globals.operations.update(id, try request())
        }
    }
}
