import StackCore

/// Picks the subnet of a network created without `--subnet`, Docker's way: the first pool subnet in order
/// that overlaps nothing in use.
public enum SubnetChooser {
    /// First /size subnet of the pools overlapping none of `taken` (existing networks' subnets and routes).
    ///
    /// Entries of length 0 (a default route's `0.0.0.0/0`) are ignored: they would block everything, and
    /// Docker does not count them either.
    ///
    /// Fails with `.conflict` ("all predefined address pools have been fully subnetted", Docker's words)
    /// when every subnet of every pool overlaps something.
    public static func next(pools: [AddressPool], taken: [CIDR]) throws(StackError) -> CIDR {
        let taken = taken.filter { $0.prefixLength > 0 }
        for pool in pools {
            var index: UInt128 = 0
            while let candidate = pool.subnet(index) {
                guard let blocker = taken.first(where: { $0.overlaps(candidate) }) else { return candidate }
                // Skip every subnet the blocker covers: resume at the first one after its last address.
                let step = UInt128(1) << (32 - pool.size)
                let blockerEnd = blocker.broadcast.integerValue
                let baseStart = pool.start.integerValue
                guard blockerEnd >= baseStart else { index += 1; continue }
                index = max(index + 1, (blockerEnd - baseStart) / step + 1)
            }
        }
        throw StackError(.conflict, "all predefined address pools have been fully subnetted")
    }
}
