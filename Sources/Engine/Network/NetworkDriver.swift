import DNS
import Networking
import StackCore

/// The kernel and process side of networking, in the terms the engine thinks in — network
/// namespaces, bridges, veth pairs, the nftables table, port proxies and the DNS listeners —
/// behind a protocol so the engine's network logic runs against a fake in unprivileged tests.
public protocol NetworkDriver: Sendable {
    /// Make a new network namespace bound on `path` (loopback up).
    func createNamespace(at path: String) throws(StackError)
    /// Remove the namespace bound on `path` (quiet when absent).
    func removeNamespace(at path: String)
    /// The bridge `name` exists, carries `gateway` (with the subnet's prefix length) and is up.
    func ensureBridge(_ name: String, gateway: CIDR) throws(StackError)
    /// Delete the bridge (quiet when absent).
    func removeBridge(_ name: String) throws(StackError)
    /// Names of the links of stackd's namespace starting with `prefix`.
    func links(prefix: String) throws(StackError) -> [String]
    /// Routes of stackd's namespace (so new subnets do not collide with them).
    func routedSubnets() -> [CIDR]
    /// Connect the namespace at `namespacePath` to `bridge` with a veth pair.
    func attach(_ attachment: VethAttachment) throws(StackError)
    /// Delete a host-side veth (quiet when gone).
    func detach(hostInterface: String)
    /// Replace our nftables table with `ruleset` (an empty one deletes it).
    func apply(_ ruleset: NFTRuleset) throws(StackError)
    /// Turn on IPv4 forwarding.
    func enableForwarding() throws(StackError)
    /// Bind the host side of `mappings` (a port in use is an error and nothing stays bound) and
    /// start a detached proxy for them; returns the mappings with the host ports actually bound.
    func publish(_ mappings: [ProxyMapping], pidFile: String) throws(StackError) -> [ProxyMapping]
    /// Stop the proxy whose pid is in `pidFile` (quiet when gone).
    func unpublish(pidFile: String)
    /// Whether the proxy of `pidFile` runs.
    func isPublishing(pidFile: String) -> Bool
    /// Answer DNS on `address`:53 (UDP and TCP).
    func dnsListen(on address: IPAddress) throws(StackError)
    /// Stop answering on `address`.
    func dnsStop(on address: IPAddress)
    /// The names the DNS server answers from now on.
    func dnsUpdate(_ table: RecordTable)
}

/// One veth pair: the host end on a bridge, the other end inside a container's namespace.
public struct VethAttachment: Sendable, Hashable {
    public var bridge: String
    public var hostInterface: String
    public var namespacePath: String
    /// The name inside (`eth0`, `eth1` …).
    public var interface: String
    /// The container's address with the subnet's prefix length.
    public var address: CIDR
    public var macAddress: String?
    /// The default route's gateway (nil: no default route through this interface).
    public var defaultGateway: IPAddress?

    public init(bridge: String, hostInterface: String, namespacePath: String, interface: String, address: CIDR,
                macAddress: String?, defaultGateway: IPAddress?) {
        self.bridge = bridge
        self.hostInterface = hostInterface
        self.namespacePath = namespacePath
        self.interface = interface
        self.address = address
        self.macAddress = macAddress
        self.defaultGateway = defaultGateway
    }
}
