import StackCore

/// A block of address space that networks created without `--subnet` are carved from: `base` split into
/// subnets of prefix length `size` (`172.18.0.0/14` with size 16 gives `172.18.0.0/16` … `172.21.0.0/16`).
///
/// The block starts at the base's address as written and spans 2^(32 − length) addresses: the base need
/// not be a network address of its own length, only aligned to `size` (`172.18.0.0/14` is the four /16s from
/// 172.18, not `172.16.0.0/14`). This is how `STACK_ADDRESS_POOLS`' default keeps clear of `172.17.0.0/16`.
public struct AddressPool: Sendable, Hashable, CustomStringConvertible {
    /// The block: its first address and its length, IPv4.
    public var base: CIDR
    /// The prefix length of each subnet handed out; at least `base.prefixLength`, at most 30.
    public var size: Int

    /// A pool, checked as ``parseList(_:)`` checks its items.
    public init(base: CIDR, size: Int) throws(StackError) {
        let text = "\(base)/\(size)"
        guard base.isIPv4 else { throw Self.invalid(text, "only IPv4 pools are supported") }
        guard size >= base.prefixLength, size <= Self.longestSize else {
            throw Self.invalid(text, "the size must be between the base's prefix length (\(base.prefixLength)) and \(Self.longestSize)")
        }
        let first = CIDR(address: base.address, prefixLength: size)
        guard let first, first.isCanonical else {
            throw Self.invalid(text, "the base address is not the start of a /\(size) subnet")
        }
        guard base.address.integerValue + (UInt128(1) << base.hostBits) - 1 <= UInt128(UInt32.max) else {
            throw Self.invalid(text, "the block runs past 255.255.255.255")
        }
        self.base = base
        self.size = size
    }

    /// Subnets longer than /30 have no room for a gateway and a container.
    public static let longestSize = 30

    /// Docker's default pools, as `STACK_ADDRESS_POOLS` spells them when unset.
    public static let defaultsText = "172.17.0.0/16/16,172.18.0.0/14/16,172.22.0.0/15/16,192.168.0.0/16/20"

    /// `172.17.0.0/16` (the default bridge's), `172.18.0.0/14`, `172.22.0.0/15` in /16s, `192.168.0.0/16` in /20s.
    public static let defaults: [AddressPool] = [
        AddressPool(checked: CIDR(ipv4: 0xac11_0000, prefixLength: 16), size: 16),
        AddressPool(checked: CIDR(ipv4: 0xac12_0000, prefixLength: 14), size: 16),
        AddressPool(checked: CIDR(ipv4: 0xac16_0000, prefixLength: 15), size: 16),
        AddressPool(checked: CIDR(ipv4: 0xc0a8_0000, prefixLength: 16), size: 20),
    ]

    /// For constants known to be valid.
    private init(checked base: CIDR, size: Int) {
        self.base = base
        self.size = size
    }

    /// Parses `BASE/SIZE[,BASE/SIZE…]` (`172.17.0.0/16/16,192.168.0.0/16/20`); spaces around items are ignored.
    ///
    /// Fails (`.invalidArgument`) naming the bad item: not `a.b.c.d/len/size`, IPv6, a base address not aligned
    /// to `size`, a size shorter than the base or longer than /30, a block past 255.255.255.255, or an empty list.
    public static func parseList(_ text: String) throws(StackError) -> [AddressPool] {
        var pools: [AddressPool] = []
        for rawItem in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = rawItem.trimmingCharacters(in: " \t")
            guard !item.isEmpty else { continue }
            guard let slash = item.lastIndex(of: "/"), let size = Int(item[item.index(after: slash)...]),
                let base = CIDR(String(item[..<slash]))
            else { throw invalid(item, "expected BASE/SIZE, e.g. 172.18.0.0/14/16") }
            pools.append(try AddressPool(base: base, size: size))
        }
        guard !pools.isEmpty else { throw invalid(text, "no pools given") }
        return pools
    }

    /// How many subnets the pool holds (2^(size − base length)).
    public var subnetCount: UInt128 { UInt128(1) << (size - base.prefixLength) }

    /// The first address of the block (the base's address as written).
    public var start: IPAddress { base.address }

    /// The pool's `index`-th subnet, or nil past the end.
    public func subnet(_ index: UInt128) -> CIDR? {
        guard index < subnetCount,
            let address = IPAddress(integerValue: start.integerValue + (index << (32 - size)), ipv4: true)
        else { return nil }
        return CIDR(address: address, prefixLength: size)
    }

    /// `BASE/SIZE`, as parsed.
    public var description: String { "\(base)/\(size)" }

    static func invalid(_ item: String, _ reason: String) -> StackError {
        StackError(.invalidArgument, "invalid address pool \"\(item)\": \(reason)")
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = self
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
