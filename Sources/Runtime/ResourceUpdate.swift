import RuntimeSpec
import StackCore

/// What `update` changes: a partial `linux.resources` (only the fields given are set), made from
/// runc's `update` flags or read from an OCI LinuxResources JSON (`--resources`).
public struct ResourceUpdate: Sendable, Equatable {
    /// The fields to change; nil fields keep their current value.
    public var patch: Spec.Linux.Resources
    /// Things asked for that are accepted but have no effect (kernel memory, device rules, …).
    public var warnings: [String]

    public init(patch: Spec.Linux.Resources = Spec.Linux.Resources(), warnings: [String] = []) {
        self.patch = patch
        self.warnings = warnings
    }

    /// runc's `update` flags as text (nil when not given).
    public struct Flags: Sendable, Equatable {
        public var memory: String?
        public var memoryReservation: String?
        public var memorySwap: String?
        public var kernelMemory: String?
        public var kernelMemoryTCP: String?
        public var cpuShares: String?
        public var cpuQuota: String?
        public var cpuPeriod: String?
        public var cpuRealtimeRuntime: String?
        public var cpuRealtimePeriod: String?
        public var cpusetCPUs: String?
        public var cpusetMems: String?
        public var pidsLimit: String?
        public var blkioWeight: String?

        public init() {}
    }

    /// The update the flags ask for. Byte sizes take runc's forms (`512m`, `1g`, a number of
    /// bytes, `-1` for unlimited); a bad value names its flag.
    public static func parse(_ flags: Flags) throws(StackError) -> ResourceUpdate {
        var update = ResourceUpdate()
        var memory = Spec.Linux.Memory()
        memory.limit = try flags.memory.map { text throws(StackError) in try bytes(text, flag: "memory") }
        memory.reservation = try flags.memoryReservation.map { text throws(StackError) in
            try bytes(text, flag: "memory-reservation")
        }
        memory.swap = try flags.memorySwap.map { text throws(StackError) in try bytes(text, flag: "memory-swap") }
        memory.kernelTCP = try flags.kernelMemoryTCP.map { text throws(StackError) in
            try bytes(text, flag: "kernel-memory-tcp")
        }
        if let kernel = flags.kernelMemory {
            _ = try bytes(kernel, flag: "kernel-memory")
            update.warnings.append(Self.kernelMemoryWarning)
        }
        if memory != Spec.Linux.Memory() { update.patch.memory = memory }

        var cpu = Spec.Linux.CPU()
        cpu.shares = try flags.cpuShares.map { text throws(StackError) in try unsigned(text, flag: "cpu-share") }
        cpu.quota = try flags.cpuQuota.map { text throws(StackError) in try signed(text, flag: "cpu-quota") }
        cpu.period = try flags.cpuPeriod.map { text throws(StackError) in try unsigned(text, flag: "cpu-period") }
        cpu.realtimeRuntime = try flags.cpuRealtimeRuntime.map { text throws(StackError) in
            try signed(text, flag: "cpu-rt-runtime")
        }
        cpu.realtimePeriod = try flags.cpuRealtimePeriod.map { text throws(StackError) in
            try unsigned(text, flag: "cpu-rt-period")
        }
        cpu.cpus = flags.cpusetCPUs
        cpu.mems = flags.cpusetMems
        if cpu != Spec.Linux.CPU() { update.patch.cpu = cpu }

        if let text = flags.pidsLimit {
            update.patch.pids = Spec.Linux.Pids(limit: try signed(text, flag: "pids-limit"))
        }
        if let text = flags.blkioWeight {
            let weight = try unsigned(text, flag: "blkio-weight")
            guard weight <= UInt64(UInt16.max) else {
                throw StackError(.invalidArgument, "invalid value for --blkio-weight: \(text)")
            }
            var blockIO = Spec.Linux.BlockIO()
            blockIO.weight = UInt16(weight)
            update.patch.blockIO = blockIO
        }
        return update
    }

    /// The update in an OCI LinuxResources JSON document (`--resources FILE`, `-` for stdin).
    public static func decode(data: [UInt8], file: String) throws(StackError) -> ResourceUpdate {
        let resources = try JSONValueDecoder(file: file).decode(Spec.Linux.Resources.self, from: data)
        var update = ResourceUpdate(patch: resources)
        if resources.memory?.kernel != nil { update.warnings.append(kernelMemoryWarning) }
        if resources.devices != nil {
            update.warnings.append("resources.devices cannot be updated on a live container; ignored")
            update.patch.devices = nil
        }
        if resources.network != nil {
            update.warnings.append("resources.network is not supported; ignored")
            update.patch.network = nil
        }
        if resources.rdma != nil {
            update.warnings.append("resources.rdma is not supported; ignored")
            update.patch.rdma = nil
        }
        return update
    }

    static let kernelMemoryWarning = "kernel memory limits are not supported (deprecated by the kernel); ignored"

    /// A runc byte size: `-1`, a number of bytes or a number with a binary unit.
    static func bytes(_ text: String, flag: String) throws(StackError) -> Int64 {
        if text.trimmingSpaces() == "-1" { return -1 }
        guard let value = ByteSize.parse(text) else {
            throw StackError(.invalidArgument, "invalid value for --\(flag): \(text) (expected a size like 512m, or -1)")
        }
        return value
    }

    static func unsigned(_ text: String, flag: String) throws(StackError) -> UInt64 {
        guard let value = UInt64(text.trimmingSpaces()) else {
            throw StackError(.invalidArgument, "invalid value for --\(flag): \(text) (expected an unsigned integer)")
        }
        return value
    }

    static func signed(_ text: String, flag: String) throws(StackError) -> Int64 {
        guard let value = Int64(text.trimmingSpaces()) else {
            throw StackError(.invalidArgument, "invalid value for --\(flag): \(text) (expected an integer)")
        }
        return value
    }
}
