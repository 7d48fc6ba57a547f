import DNS
import DNSServer
import Netlink
import Networking
import StackCore

/// The real network driver: rtnetlink for links, addresses and routes, `nft -f -` for the rules,
/// `stack-proxy` for published ports on loopback, and the embedded DNS server.
public final class KernelNetworkDriver: NetworkDriver {
    let proxyBinary: String
    let dns: DNSService
    let nft = NFTables()

    /// `proxyBinary` is `stack-proxy`; `upstreams` are where DNS forwards names outside our scope.
    public init(proxyBinary: String, upstreams: [DNSUpstream]) {
        self.proxyBinary = proxyBinary
        dns = DNSService(upstreams: upstreams)
    }

    func bridges() throws(StackError) -> BridgeDriver { BridgeDriver(session: try NetlinkSession()) }

    public func createNamespace(at path: String) throws(StackError) { try NetworkNamespace.create(at: path) }
    public func removeNamespace(at path: String) { NetworkNamespace.remove(at: path) }

    public func ensureBridge(_ name: String, gateway: CIDR) throws(StackError) {
        try bridges().ensureBridge(name: name, gateway: gateway, mtu: nil)
    }

    public func removeBridge(_ name: String) throws(StackError) { try bridges().removeBridge(name: name) }

    public func links(prefix: String) throws(StackError) -> [String] {
        try bridges().links(prefix: prefix).map(\.name)
    }

    public func routedSubnets() -> [CIDR] {
        guard let routes = try? NetlinkSession().routes() else { return [] }
        return routes.compactMap(\.destination)
    }

    public func attach(_ a: VethAttachment) throws(StackError) {
        try bridges().attach(
            bridge: a.bridge, hostName: a.hostInterface, namespacePath: a.namespacePath, interface: a.interface,
            address: a.address, macAddress: a.macAddress, gateway: a.defaultGateway)
    }

    public func detach(hostInterface: String) { try? bridges().detach(hostName: hostInterface) }

    public func apply(_ ruleset: NFTRuleset) throws(StackError) { try nft.apply(ruleset) }

    public func enableForwarding() throws(StackError) { try IPForwarding.enable() }

    public func publish(_ mappings: [ProxyMapping], pidFile: String) throws(StackError) -> [ProxyMapping] {
        let bound = try PortProxy.bind(mappings)
        // The proxy gets its own copies; ours must go, or the ports stay taken after it stops.
        defer { bound.close() }
        _ = try PortProxy.launch(binary: proxyBinary, ports: bound, pidFile: pidFile)
        return bound.mappings
    }

    public func unpublish(pidFile: String) { PortProxy.stop(pidFile: pidFile) }
    public func isPublishing(pidFile: String) -> Bool { PortProxy.isRunning(pidFile: pidFile) }

    public func dnsListen(on address: IPAddress) throws(StackError) { try dns.listen(on: address) }
    public func dnsStop(on address: IPAddress) { dns.stopListening(on: address) }
    public func dnsUpdate(_ table: RecordTable) { dns.update { $0 = table } }
}
