import CSeccompHelpers

/// The kernel calls `Capabilities` makes, behind a protocol so tests can record them.
///
/// Every method returns 0 on success or a positive errno; none throws, so the caller names the capability.
public protocol CapabilityKernel {
    /// `PR_CAPBSET_READ`: 1 when `capability` is in the bounding set, 0 when not, or -errno
    /// (EINVAL for a number the kernel does not know).
    func boundingSetRead(_ capability: UInt32) -> Int32
    /// `PR_CAPBSET_DROP`.
    func boundingSetDrop(_ capability: UInt32) -> Int32
    /// `capget(2)` of the calling thread: 64-bit masks, bit n = capability n.
    func capget() -> (effective: UInt64, permitted: UInt64, inheritable: UInt64, errno: Int32)
    /// `capset(2)` version 3 for the calling thread.
    func capset(effective: UInt64, permitted: UInt64, inheritable: UInt64) -> Int32
    /// `PR_CAP_AMBIENT_CLEAR_ALL`.
    func ambientClearAll() -> Int32
    /// `PR_CAP_AMBIENT_RAISE`.
    func ambientRaise(_ capability: UInt32) -> Int32
    /// `PR_SET_KEEPCAPS`.
    func setKeepCapabilities(_ keep: Bool) -> Int32
}

/// The real kernel, through `CSeccompHelpers`.
public struct LinuxCapabilityKernel: CapabilityKernel, Sendable {
    public init() {}

    public func boundingSetRead(_ capability: UInt32) -> Int32 {
        Int32(truncatingIfNeeded: stk_prctl(STK_PR_CAPBSET_READ, UInt(capability), 0, 0, 0))
    }

    public func boundingSetDrop(_ capability: UInt32) -> Int32 {
        Self.errno(of: stk_prctl(STK_PR_CAPBSET_DROP, UInt(capability), 0, 0, 0))
    }

    public func capget() -> (effective: UInt64, permitted: UInt64, inheritable: UInt64, errno: Int32) {
        var effective: [UInt32] = [0, 0]
        var permitted: [UInt32] = [0, 0]
        var inheritable: [UInt32] = [0, 0]
        let rc = stk_capget(&effective, &permitted, &inheritable)
        return (Self.mask(effective), Self.mask(permitted), Self.mask(inheritable), rc < 0 ? -rc : 0)
    }

    public func capset(effective: UInt64, permitted: UInt64, inheritable: UInt64) -> Int32 {
        let rc = stk_capset(Self.words(effective), Self.words(permitted), Self.words(inheritable))
        return rc < 0 ? -rc : 0
    }

    public func ambientClearAll() -> Int32 {
        Self.errno(of: stk_prctl(STK_PR_CAP_AMBIENT, UInt(STK_PR_CAP_AMBIENT_CLEAR_ALL), 0, 0, 0))
    }

    public func ambientRaise(_ capability: UInt32) -> Int32 {
        Self.errno(of: stk_prctl(STK_PR_CAP_AMBIENT, UInt(STK_PR_CAP_AMBIENT_RAISE), UInt(capability), 0, 0))
    }

    public func setKeepCapabilities(_ keep: Bool) -> Int32 {
        Self.errno(of: stk_prctl(STK_PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0))
    }

    private static func errno(of rc: Int) -> Int32 { rc < 0 ? Int32(truncatingIfNeeded: -rc) : 0 }
    private static func mask(_ words: [UInt32]) -> UInt64 { UInt64(words[0]) | UInt64(words[1]) << 32 }
    private static func words(_ mask: UInt64) -> [UInt32] {
        [UInt32(truncatingIfNeeded: mask), UInt32(truncatingIfNeeded: mask >> 32)]
    }
}
