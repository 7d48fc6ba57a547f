import IPAM
import StackCore

/// How stackd names and numbers what it creates in the kernel, and where its DNS forwards: from
/// `STACK_NETWORK_PREFIX`, `STACK_ADDRESS_POOLS` and `STACK_DNS_UPSTREAM` (tests set their own).
public struct NetworkConfig: Sendable, Hashable {
    /// The first characters of every bridge and host-side veth name, and the nftables table's name.
    public var prefix: String
    /// Where subnets of networks created without `--subnet` (and the default bridge's) come from.
    public var pools: [AddressPool]
    /// Upstream resolvers given explicitly (`IP` or `IP:PORT`); empty means the host's.
    public var upstreams: [(address: IPAddress, port: UInt16)]

    public init(prefix: String = "stack", pools: [AddressPool] = AddressPool.defaults,
                upstreams: [(address: IPAddress, port: UInt16)] = []) {
        self.prefix = prefix
        self.pools = pools
        self.upstreams = upstreams
    }

    public static func == (a: NetworkConfig, b: NetworkConfig) -> Bool {
        a.prefix == b.prefix && a.pools == b.pools
            && a.upstreams.map { "\($0.address):\($0.port)" } == b.upstreams.map { "\($0.address):\($0.port)" }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(prefix)
        hasher.combine(pools)
    }

    /// The settings in `environment`; bad values are errors naming the variable.
    public static func from(environment: [String: String]) throws(StackError) -> NetworkConfig {
        var config = NetworkConfig()
        if let prefix = environment["STACK_NETWORK_PREFIX"], !prefix.isEmpty {
            guard (1...6).contains(prefix.count),
                prefix.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) })
            else {
                throw StackError(.invalidArgument, "STACK_NETWORK_PREFIX=\(prefix): use 1 to 6 characters a-z, 0-9")
            }
            config.prefix = prefix
        }
        if let pools = environment["STACK_ADDRESS_POOLS"], !pools.isEmpty {
            do {
                config.pools = try AddressPool.parseList(pools)
            } catch {
                throw StackError(.invalidArgument, "STACK_ADDRESS_POOLS=\(pools): \(error.message)")
            }
        }
        if let upstreams = environment["STACK_DNS_UPSTREAM"], !upstreams.isEmpty {
            for item in upstreams.split(separator: ",") {
                guard let parsed = parseHostPort(String(item)) else {
                    throw StackError(.invalidArgument, "STACK_DNS_UPSTREAM: \"\(item)\" is not IP or IP:PORT")
                }
                config.upstreams.append(parsed)
            }
        }
        return config
    }

    /// `1.2.3.4`, `1.2.3.4:5353`, `[::1]:53` or `::1`.
    static func parseHostPort(_ text: String) -> (address: IPAddress, port: UInt16)? {
        if let address = IPAddress(text) { return (address, 53) }
        var host = Substring(text)
        var port: UInt16 = 53
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let value = UInt16(rest.dropFirst()) else { return nil }
                port = value
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            guard let value = UInt16(text[text.index(after: colon)...]) else { return nil }
            port = value
        }
        guard let address = IPAddress(String(host)) else { return nil }
        return (address, port)
    }

    /// The default bridge's device (`stack0`, as docker0).
    public var defaultBridge: String { prefix + "0" }

    /// A user network's bridge device: the prefix, a dash, the start of its id (15 characters).
    public func bridgeName(networkID: String) -> String {
        prefix + "-" + String(networkID.prefix(14 - prefix.count))
    }

    /// The host end of an endpoint's veth pair: the prefix, `v`, the start of the endpoint id.
    public func hostInterface(endpointID: String) -> String {
        prefix + "v" + String(endpointID.prefix(14 - prefix.count))
    }

    /// The nftables table (family ip).
    public var table: String { prefix }
}
