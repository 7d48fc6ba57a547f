import StackCore

/// Hands out container addresses on a network. Stateless: the caller passes what is taken (the Store's
/// endpoints of the network), so nothing is handed out twice, also across daemon restarts.
public enum AddressAllocator {
    /// Lowest free host address in ipRange (or subnet), never network/broadcast/gateway/taken.
    ///
    /// Fails with `.conflict` naming the subnet (and range) when every address is in use.
    public static func next(in plan: SubnetPlan, taken: Set<IPAddress>) throws(StackError) -> IPAddress {
        let range = plan.ipRange ?? plan.subnet
        // Host addresses only: never the subnet's network or broadcast address, even when the range touches them.
        let first = max(range.network.integerValue, plan.subnet.network.integerValue + 1)
        let last = min(range.broadcast.integerValue, plan.subnet.broadcast.integerValue - 1)
        if first <= last {
            var value = first
            while value <= last {
                if let candidate = IPAddress(integerValue: value, ipv4: true), candidate != plan.gateway,
                    !taken.contains(candidate)
                {
                    return candidate
                }
                value += 1
            }
        }
        let scope = plan.ipRange.map { "range \($0) of subnet \(plan.subnet)" } ?? "subnet \(plan.subnet)"
        throw StackError(.conflict, "no available IPv4 addresses in \(scope)")
    }

    /// Checks a static address: inside the subnet, not network/broadcast/gateway/taken.
    ///
    /// Outside the subnet, or its network/broadcast address → `.invalidArgument`; the gateway or an address
    /// in use → `.conflict` ("Address already in use: 172.18.0.5").
    public static func check(_ address: IPAddress, in plan: SubnetPlan, taken: Set<IPAddress>) throws(StackError) {
        guard address.isIPv4, plan.subnet.contains(address) else {
            throw StackError(.invalidArgument, "address \(address) is not inside subnet \(plan.subnet)")
        }
        guard address != plan.subnet.network, address != plan.subnet.broadcast else {
            throw StackError(
                .invalidArgument, "address \(address) is the network or broadcast address of subnet \(plan.subnet)")
        }
        guard address != plan.gateway, !taken.contains(address) else {
            throw StackError(.conflict, "Address already in use: \(address)")
        }
    }
}
