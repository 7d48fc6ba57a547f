import StackCore

/// Conversions between OCI (cgroup v1) values and cgroup v2 values, matching runc and crun.
public enum CgroupConversions {
    /// cpu shares (2…262144) → `cpu.weight` (1…10000): `1 + ((shares - 2) * 9999) / 262142`.
    /// 0 means unset and gives 0.
    public static func cpuWeight(shares: UInt64) -> UInt64 {
        if shares == 0 { return 0 }
        let clamped = min(max(shares, 2), 262_144)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }

    /// blkio weight (10…1000) → `io.weight` (1…10000): `1 + (weight - 10) * 9999 / 990`.
    /// 0 means unset and gives 0.
    public static func ioWeight(blkioWeight weight: UInt16) -> UInt64 {
        if weight == 0 { return 0 }
        let clamped = UInt64(min(max(weight, 10), 1000))
        return 1 + (clamped - 10) * 9999 / 990
    }

    /// OCI memory+swap → `memory.swap.max`: nil to leave alone, -1 for `max`, else swap only.
    ///
    /// As runc: unlimited memory with no swap given means unlimited swap too; a swap limit needs
    /// a memory limit, and must not be below it.
    public static func swapMax(memorySwap: Int64?, memory: Int64?) throws(StackError) -> Int64? {
        guard let memorySwap, memorySwap != 0 else { return memory == -1 ? -1 : nil }
        if memorySwap < 0 { return -1 }
        guard let memory, memory > 0 else {
            throw StackError(.invalidArgument, "a memory+swap limit (\(memorySwap)) needs a memory limit")
        }
        if memorySwap < memory {
            throw StackError(.invalidArgument, "the memory+swap limit (\(memorySwap)) is below the memory limit (\(memory))")
        }
        return memorySwap - memory
    }

    /// `max` for -1 (or any negative), else the number.
    static func limitText(_ value: Int64) -> String { value < 0 ? "max" : String(value) }
}
