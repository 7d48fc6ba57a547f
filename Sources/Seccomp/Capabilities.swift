import LinuxOS
import StackCore

/// The five capability sets of a process, as capability numbers (see `CapabilityName`).
public struct CapabilitySets: Sendable, Hashable {
    public var bounding: [UInt32]
    public var effective: [UInt32]
    public var permitted: [UInt32]
    public var inheritable: [UInt32]
    public var ambient: [UInt32]

    public init(
        bounding: [UInt32] = [], effective: [UInt32] = [], permitted: [UInt32] = [], inheritable: [UInt32] = [],
        ambient: [UInt32] = []
    ) {
        self.bounding = bounding
        self.effective = effective
        self.permitted = permitted
        self.inheritable = inheritable
        self.ambient = ambient
    }
}

/// Sets the capability sets of the calling process (the container init, before execve).
///
/// Order, as runc's `finalizeNamespace`: `limitBoundingSet` first (it needs CAP_SETPCAP, which the
/// later capset may remove), then — when the init changes to a non-root user —
/// `setKeepCapabilities(true)`, setuid/setgid, `setKeepCapabilities(false)`, and finally
/// `setProcessSets` (effective/permitted/inheritable, then ambient). Without PR_SET_KEEPCAPS a
/// setuid from uid 0 to another uid clears the permitted and effective sets, and capset can never
/// add to permitted again. KEEPCAPS itself is reset by execve, so nothing leaks into the payload.
/// Ambient capabilities survive execve of a non-setuid program; each must be in permitted and inheritable.
///
/// Capability numbers the running kernel does not know (above `/proc/sys/kernel/cap_last_cap`) are
/// ignored with a warning, as runc does.
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

    /// Applies all five sets: the bounding set, then effective/permitted/inheritable and ambient.
    /// Returns warnings for capabilities this kernel does not know.
    @discardableResult
    public func apply(_ sets: CapabilitySets) throws(StackError) -> [StackWarning] {
        let last = try lastCapability()
        try limitBoundingSet(to: sets.bounding, lastCapability: last)
        var warnings = try setProcessSets(
            effective: sets.effective, permitted: sets.permitted, inheritable: sets.inheritable,
            ambient: sets.ambient, lastCapability: last)
        let all = sets.bounding + sets.effective + sets.permitted + sets.inheritable + sets.ambient
        var unknown: [UInt32] = []
        for cap in all where cap > last && !unknown.contains(cap) { unknown.append(cap) }
        warnings += unknown.map {
            StackWarning("capability \(CapabilityName.name(of: $0)) is not supported by this kernel; ignored")
        }
        return warnings
    }

    /// Drops from the bounding set every capability not in `keep` (PR_CAPBSET_DROP; needs CAP_SETPCAP).
    public func limitBoundingSet(to keep: [UInt32], lastCapability: UInt32? = nil) throws(StackError) {
        let last = try resolvedLast(lastCapability)
        let keep = Set(keep)
        for cap in 0...last where !keep.contains(cap) {
            let present = kernel.boundingSetRead(cap)
            if present < 0 { throw failure("prctl(PR_CAPBSET_READ, \(CapabilityName.name(of: cap)))", -present) }
            guard present == 1 else { continue }
            let code = kernel.boundingSetDrop(cap)
            if code != 0 {
                throw failure(
                    "prctl(PR_CAPBSET_DROP, \(CapabilityName.name(of: cap)))", code,
                    hint: code == 1 ? "dropping from the bounding set needs CAP_SETPCAP" : nil)
            }
        }
    }

    /// Sets effective, permitted and inheritable with capset(2), then replaces the ambient set.
    /// An ambient capability the kernel refuses to raise (EPERM: not both permitted and
    /// inheritable, as in the config `runc spec` writes; EINVAL: unknown) is skipped with a
    /// warning, as runc and crun do; any other failure is an error.
    @discardableResult
    public func setProcessSets(
        effective: [UInt32], permitted: [UInt32], inheritable: [UInt32], ambient: [UInt32],
        lastCapability: UInt32? = nil
    ) throws(StackError) -> [StackWarning] {
        let last = try resolvedLast(lastCapability)
        let e = Self.mask(effective, last: last)
        let p = Self.mask(permitted, last: last)
        let i = Self.mask(inheritable, last: last)
        let code = kernel.capset(effective: e, permitted: p, inheritable: i)
        if code != 0 { throw failure("capset", code, hint: capsetHint(effective: e, permitted: p)) }

        let ambient = ambient.filter { $0 <= last }
        let cleared = kernel.ambientClearAll()
        // EINVAL: a kernel without ambient capabilities (before 4.3); fine when none are wanted.
        if cleared != 0, !(cleared == 22 && ambient.isEmpty) {
            throw failure("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", cleared)
        }
        var warnings: [StackWarning] = []
        for cap in ambient {
            let raised = kernel.ambientRaise(cap)
            if raised != 0 {
                let bit = UInt64(1) << UInt64(cap)
                let hint =
                    (p & bit == 0 || i & bit == 0) ? "an ambient capability must be permitted and inheritable" : nil
                let error = failure("prctl(PR_CAP_AMBIENT_RAISE, \(CapabilityName.name(of: cap)))", raised, hint: hint)
                guard raised == 1 || raised == 22 else { throw error }
                warnings.append(StackWarning("\(error.message); the ambient capability is not raised"))
            }
        }
        return warnings
    }

    /// PR_SET_KEEPCAPS: keep the permitted set across a setuid away from uid 0 (reset by execve).
    public func setKeepCapabilities(_ keep: Bool) throws(StackError) {
        let code = kernel.setKeepCapabilities(keep)
        if code != 0 { throw failure("prctl(PR_SET_KEEPCAPS, \(keep ? 1 : 0))", code) }
    }

    private func resolvedLast(_ given: UInt32?) throws(StackError) -> UInt32 {
        if let given { return given }
        return try lastCapability()
    }

    /// Bit n set for each capability n ≤ last.
    static func mask(_ caps: [UInt32], last: UInt32) -> UInt64 {
        caps.reduce(0) { $1 <= last && $1 < 64 ? $0 | UInt64(1) << UInt64($1) : $0 }
    }

    /// Names the first capability that explains a refused capset.
    private func capsetHint(effective: UInt64, permitted: UInt64) -> String? {
        if let cap = Self.firstBit(effective & ~permitted) {
            return "\(CapabilityName.name(of: cap)) is effective but not permitted"
        }
        let current = kernel.capget()
        guard current.errno == 0 else { return nil }
        if let cap = Self.firstBit(permitted & ~current.permitted) {
            return "\(CapabilityName.name(of: cap)) is not in the current permitted set"
        }
        return nil
    }

    private static func firstBit(_ mask: UInt64) -> UInt32? {
        mask == 0 ? nil : UInt32(mask.trailingZeroBitCount)
    }

    private func failure(_ step: String, _ code: Int32, hint: String? = nil) -> StackError {
        var message = "\(step): \(Errno(code).description)"
        if let hint { message += ": \(hint)" }
        return StackError(.system, message)
    }
}

extension Capabilities where Kernel == LinuxCapabilityKernel {
    /// Capabilities of the calling process through the real kernel.
    public init() { self.init(kernel: LinuxCapabilityKernel()) }
}
