import StackCore

/// Our whole nftables state as ONE table of family `ip` (named after the network prefix), made
/// from the networks and published ports. Pure: `script()` is the text `nft -f -` applies.
///
/// - nat `prerouting`: published ports to local addresses (`fib daddr type local`, or the port's
///   host IP) are DNATed to the container, unless the packet comes from the container's own bridge:
///   a neighbour on that bridge would get the reply straight from the container, bypassing the
///   reverse NAT (without br_netfilter), so those connections go to the userland proxy, as
///   docker-proxy serves them.
/// - nat `output`: the same for connections from the host itself, except to 127.0.0.0/8 (the
///   userland proxy serves loopback, as docker-proxy does).
/// - nat `postrouting`: each non-internal subnet is masqueraded when it leaves through another
///   interface than its bridge; a container reaching its own published port through a DNAT
///   (hairpin) is masqueraded too, or its reply would bypass the reverse NAT (Docker's rule; with
///   the bridge excluded from prerouting it matters only where bridged traffic is DNATed, e.g.
///   under br_netfilter).
/// - filter `forward`: established/related traffic passes; nothing enters or leaves an internal
///   network's bridge; DNATed (published) traffic passes; traffic between two of our bridges is
///   dropped (isolation between networks).
///
/// Mappings whose addresses are not IPv4, whose host IP is a loopback one, or whose protocol is
/// not tcp, udp or sctp are left out (the proxy alone serves loopback), as are IPv6 subnets from
/// masquerading (the table is of family ip).
public struct NFTRuleset: Sendable, Hashable {
    public var table: String
    public var networks: [NFTNetwork]
    public var ports: [NFTPortMapping]

    public init(table: String, networks: [NFTNetwork], ports: [NFTPortMapping]) {
        self.table = table
        self.networks = networks
        self.ports = ports
    }

    /// Nothing to set up: applying it deletes the table.
    public var isEmpty: Bool { networks.isEmpty && ports.isEmpty }

    /// One atomic transaction: `add table` (so the `delete` never fails), `delete table`, then
    /// the table's definition unless the ruleset is empty.
    public func script() -> String {
        var text = "add table ip \(table)\ndelete table ip \(table)\n"
        if !isEmpty { text += definition() }
        return text
    }

    /// The table's definition, laid out as `nft list table ip T` prints it.
    public func definition() -> String {
        let chains = [
            chain("prerouting", "type nat hook prerouting priority dstnat; policy accept;", preroutingRules()),
            chain("output", "type nat hook output priority -100; policy accept;", outputRules()),
            chain("postrouting", "type nat hook postrouting priority srcnat; policy accept;", postroutingRules()),
            chain("forward", "type filter hook forward priority filter; policy accept;", forwardRules()),
        ]
        return "table ip \(table) {\n" + chains.joined(separator: "\n") + "}\n"
    }

    private func chain(_ name: String, _ hook: String, _ rules: [String]) -> String {
        "\tchain \(name) {\n\t\t\(hook)\n" + rules.map { "\t\t\($0)\n" }.joined() + "\t}\n"
    }

    /// The mappings the kernel rules serve, each once, in the given order.
    private var servedPorts: [NFTPortMapping] {
        var seen = Set<NFTPortMapping>()
        return ports.filter { port in
            guard ["tcp", "udp", "sctp"].contains(port.proto), port.containerIP.isIPv4 else { return false }
            if let host = port.hostIP, !host.isIPv4 || host.bytes[0] == 127 { return false }
            return seen.insert(port).inserted
        }
    }

    /// The host address to match, nil for "any local address" (none given, or 0.0.0.0).
    private func specificHostIP(_ port: NFTPortMapping) -> IPAddress? {
        guard let host = port.hostIP, host.bytes != [0, 0, 0, 0] else { return nil }
        return host
    }

    private func dnat(_ port: NFTPortMapping) -> String {
        "fib daddr type local \(port.proto) dport \(port.hostPort) dnat to \(port.containerIP):\(port.containerPort)"
    }

    private func preroutingRules() -> [String] {
        servedPorts.map { port in
            "iifname != \(quoted(port.bridge)) " + (specificHostIP(port).map { "ip daddr \($0) " } ?? "") + dnat(port)
        }
    }

    private func outputRules() -> [String] {
        servedPorts.map { port in
            (specificHostIP(port).map { "ip daddr \($0) " } ?? "ip daddr != 127.0.0.0/8 ") + dnat(port)
        }
    }

    private func postroutingRules() -> [String] {
        var rules: [String] = []
        var seen = Set<String>()
        for network in uniqueNetworks where !network.internal && network.subnet.address.isIPv4 {
            rules.append("ip saddr \(Self.networkText(network.subnet)) oifname != \(quoted(network.bridge)) masquerade")
        }
        for port in servedPorts {
            let rule = "ip saddr \(port.containerIP) ip daddr \(port.containerIP) \(port.proto) dport \(port.containerPort) masquerade"
            if seen.insert(rule).inserted { rules.append(rule) }
        }
        return rules
    }

    private func forwardRules() -> [String] {
        var rules = ["ct state established,related accept"]
        let networks = uniqueNetworks
        for network in networks where network.internal {
            let bridge = quoted(network.bridge)
            rules.append("iifname \(bridge) oifname != \(bridge) drop")
            rules.append("oifname \(bridge) iifname != \(bridge) drop")
        }
        if !servedPorts.isEmpty { rules.append("ct status dnat accept") }
        let open = networks.filter { !$0.internal }.map(\.bridge)
        for bridge in open {
            let others = open.filter { $0 != bridge }
            guard !others.isEmpty else { continue }
            let targets = others.count == 1
                ? quoted(others[0]) : "{ " + others.map(quoted).joined(separator: ", ") + " }"
            rules.append("iifname \(quoted(bridge)) oifname \(targets) drop")
        }
        return rules
    }

    /// Networks by bridge, the first of each kept (a bridge carries one network).
    private var uniqueNetworks: [NFTNetwork] {
        var seen = Set<String>()
        return networks.filter { seen.insert($0.bridge).inserted }
    }

    private func quoted(_ name: String) -> String { "\"\(name)\"" }

    /// `10.213.1.0/24` for 10.213.1.7/24: nft refuses host bits in a prefix. IPv4 only.
    static func networkText(_ cidr: CIDR) -> String {
        var remaining = cidr.prefixLength
        var bytes: [UInt8] = []
        for byte in cidr.address.bytes {
            let bits = min(8, max(0, remaining))
            bytes.append(bits == 0 ? 0 : byte & UInt8(truncatingIfNeeded: 0xff << (8 - bits)))
            remaining -= bits
        }
        return bytes.map(String.init).joined(separator: ".") + "/\(cidr.prefixLength)"
    }
}
