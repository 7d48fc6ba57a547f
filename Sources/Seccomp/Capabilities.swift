import LinuxOS
import StackCore

/// What the runtime asks the kernel about capabilities before planning a container's init (the
/// init itself drops and sets them in C: `cruntime_init.h`, CR_INIT_BOUNDING and CR_INIT_CAPSET).
public struct Capabilities<Kernel: CapabilityKernel> {
    public var kernel: Kernel

    public init(kernel: Kernel) { self.kernel = kernel }

    /// The highest capability number the kernel knows (probed with PR_CAPBSET_READ).
    public func lastCapability() throws(StackError) -> UInt32 {
        var candidate: UInt32 = 63
        while true {
            if kernel.boundingSetRead(candidate) >= 0 { return candidate }
            if candidate == 0 { break }
            candidate -= 1
        }
        throw StackError(.system, "prctl(PR_CAPBSET_READ): the kernel reports no capabilities")
    }
}

extension Capabilities where Kernel == LinuxCapabilityKernel {
    /// Capabilities of the calling process through the real kernel.
    public init() { self.init(kernel: LinuxCapabilityKernel()) }
}
