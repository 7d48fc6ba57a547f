#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LinuxOS
import Networking
import StackAPI
import StackCore
import Store

/// A container's network namespace while it runs: made before its monitor starts, veths on its
/// networks' bridges, published ports (proxy + DNAT), its names in DNS; all undone when it stops.
extension ContainerEngine {
    /// Set up the network of `record` before it starts; on failure nothing of it is left.
    func startNetworking(_ record: Store.ContainerRecord, stored: StoredConfig) throws(StackError) {
        let id = record.id
        switch NetworkAttachment(mode: stored.request.hostConfig.networkMode) {
        case .host, .none:
            return
        case .container(let reference):
            let other = try store.containers.resolve(reference)
            guard other.state == .running || other.state == .paused, let pid = other.pid, pid > 0 else {
                throw StackError(.conflict, "cannot join network of a non running container: \(other.name)")
            }
            let link = paths.container(id) + "/netns"
            unlink(link)
            guard symlink("/proc/\(pid)/ns/net", link) == 0 else {
                throw StackError.system("network namespace of \(other.name): symlink \(link)", Errno.current)
            }
        case .bridged:
            do {
                try attachEndpoints(record, stored: stored)
            } catch {
                stopNetworking(id)
                throw error
            }
        }
    }

    private func attachEndpoints(_ record: Store.ContainerRecord, stored: StoredConfig) throws(StackError) {
        let id = record.id
        try Directories.make(paths.netnsDirectory, mode: 0o711)
        let namespace = paths.netns(id)
        network.removeNamespace(at: namespace)
        try network.createNamespace(at: namespace)
        let endpoints = try store.endpoints.list(container: id).sorted { $0.interfaceName < $1.interfaceName }
        var routed = false
        for endpoint in endpoints {
            guard let net = try store.networks.get(endpoint.networkID) else {
                throw StackError(.notFound, "network \(endpoint.networkID) not found (it was removed)")
            }
            try attach(endpoint, to: net, namespace: namespace, defaultRoute: !routed && !net.internal)
            if !net.internal { routed = true }
        }
        try publishPorts(record, stored: stored, endpoints: endpoints)
    }

    /// One veth of `endpoint` into the namespace at `namespace`.
    func attach(_ endpoint: EndpointRecord, to net: NetworkRecord, namespace: String, defaultRoute: Bool) throws(StackError) {
        guard let gateway = net.gatewayCIDR, let address = CIDR("\(endpoint.address)/\(gateway.prefixLength)") else {
            throw StackError(.internalError, "network \(net.name) has no usable subnet")
        }
        if net.isDefault { try ensureDefaultBridge(net) }
        let attachment = VethAttachment(
            bridge: net.bridge, hostInterface: networkConfig.hostInterface(endpointID: endpoint.id),
            namespacePath: namespace, interface: endpoint.interfaceName, address: address,
            macAddress: endpoint.macAddress, defaultGateway: defaultRoute ? gateway.address : nil)
        do {
            try network.attach(attachment)
        } catch {
            // The kernel removes a stopped container's veth asynchronously (see stopNetworking); a
            // quick restart may find the old one still there under the same name.
            network.detach(hostInterface: attachment.hostInterface)
            try network.attach(attachment)
        }
    }

    /// The default bridge is made on first use (and removed when stackd stops and nothing uses it).
    func ensureDefaultBridge(_ net: NetworkRecord) throws(StackError) {
        guard !defaultBridgeUp, let gateway = net.gatewayCIDR else { return }
        try network.ensureBridge(net.bridge, gateway: gateway)
        try network.enableForwarding()
        defaultBridgeUp = true
        try refreshRules()
    }

    /// Bind the container's published ports and start its proxy; ports.json records them.
    private func publishPorts(
        _ record: Store.ContainerRecord, stored: StoredConfig, endpoints: [EndpointRecord]
    ) throws(StackError) {
        let id = record.id
        guard let first = endpoints.first, let net = try store.networks.get(first.networkID) else { return }
        let wanted = try PortPlanner.mappings(
            bindings: stored.request.hostConfig.portBindings,
            exposed: stored.request.hostConfig.publishAllPorts ? (stored.exposedPorts ?? []) : [],
            containerIP: first.address)
        guard !wanted.isEmpty else { return }
        let bound = try network.publish(wanted, pidFile: paths.proxyPIDFile(id))
        let published = bound.map {
            PublishedPort(
                proto: $0.proto, hostIP: $0.hostIP, hostPort: $0.hostPort, containerIP: $0.containerIP,
                containerPort: $0.containerPort, bridge: net.bridge)
        }
        publishedPorts[id] = published
        do {
            try FileSystem.write(paths.portsFile(id), String(decoding: try JSONEncoder().encode(published), as: UTF8.self))
        } catch let error as StackError {
            throw error
        } catch {
            throw StackError(.internalError, "ports of \(id): \(error)")
        }
        try refreshRules()
    }

    /// Undo `startNetworking` (quiet about what is already gone).
    func stopNetworking(_ id: String) {
        // Its names go first, so that nobody is told an address that is about to vanish.
        if isOnUserNetwork(id) { refreshDNS() }
        let hadPorts = publishedPorts.removeValue(forKey: id) != nil
        if hadPorts || FileSystem.exists(paths.proxyPIDFile(id)) {
            network.unpublish(pidFile: paths.proxyPIDFile(id))
        }
        FileSystem.removeTree(paths.portsFile(id))
        // The veths are not deleted one by one (each deletion waits for an RCU grace period, ~5 ms):
        // once the namespace is unbound and its processes are gone the kernel destroys it, and
        // with it the veth pairs, in the background.
        network.removeNamespace(at: paths.netns(id))
        unlink(paths.container(id) + "/netns")
        // Only what this container was part of changes: its DNAT rules.
        if hadPorts { try? refreshRules() }
    }

    /// Whether the container has an endpoint on a user-defined network (the ones with DNS).
    func isOnUserNetwork(_ id: String) -> Bool {
        ((try? store.endpoints.list(container: id)) ?? []).contains {
            ((try? store.networks.get($0.networkID)) ?? nil).map { !$0.isDefault } ?? false
        }
    }

    /// Rewrite our nftables table when what it should hold changed: masquerading and isolation
    /// for the bridges that exist, DNAT for the published ports of running containers.
    func refreshRules() throws(StackError) {
        var networks: [NFTNetwork] = []
        for record in try store.networks.list() where record.driver == "bridge" && (!record.isDefault || defaultBridgeUp) {
            guard let subnet = CIDR(record.subnet) else { continue }
            networks.append(NFTNetwork(bridge: record.bridge, subnet: subnet, internal: record.internal))
        }
        var ports: [NFTPortMapping] = []
        for (_, published) in publishedPorts.sorted(by: { $0.key < $1.key }) {
            for port in published {
                guard let containerIP = IPAddress(port.containerIP) else { continue }
                ports.append(
                    NFTPortMapping(
                        proto: port.proto, hostIP: port.hostIP.isEmpty ? nil : IPAddress(port.hostIP),
                        hostPort: port.hostPort, containerIP: containerIP, containerPort: port.containerPort,
                        bridge: port.bridge))
            }
        }
        let ruleset = NFTRuleset(table: networkConfig.table, networks: networks.sorted { $0.bridge < $1.bridge }, ports: ports)
        let text = ruleset.isEmpty ? "" : ruleset.script()
        if text == appliedRules { return }
        try network.apply(ruleset)
        appliedRules = text
    }
}

extension EnginePaths {
    /// Where stackd binds containers' network namespaces.
    public var netnsDirectory: String { run + "/netns" }
    public func netns(_ id: String) -> String { netnsDirectory + "/" + id }
    public func portsFile(_ id: String) -> String { container(id) + "/ports.json" }
    public func proxyPIDFile(_ id: String) -> String { container(id) + "/proxy.pid" }
    public var proxyBinary: String { binaries + "/stack-proxy" }
}
