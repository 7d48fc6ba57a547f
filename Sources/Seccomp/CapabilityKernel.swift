import CSeccompHelpers

/// The kernel call `Capabilities` makes, behind a protocol so tests can fake it.
public protocol CapabilityKernel {
    /// `PR_CAPBSET_READ`: 1 when `capability` is in the bounding set, 0 when not, or -errno
    /// (EINVAL for a number the kernel does not know).
    func boundingSetRead(_ capability: UInt32) -> Int32
}

/// The real kernel, through `CSeccompHelpers`.
public struct LinuxCapabilityKernel: CapabilityKernel, Sendable {
    public init() {}

    public func boundingSetRead(_ capability: UInt32) -> Int32 {
        Int32(truncatingIfNeeded: stk_prctl(STK_PR_CAPBSET_READ, UInt(capability), 0, 0, 0))
    }
}
