#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StackAPI
import StackCore
import Store

/// `stack network connect|disconnect`, and a container's networks as inspect shows them.
extension ContainerEngine {
    /// `POST /networks/{id}/connect`: a new endpoint (and, while the container runs, its veth at once).
    public func connect(network reference: String, container containerReference: String, settings: EndpointSettings?)
        throws(StackError)
    {
        let net = try resolveNetwork(reference)
        let container = try record(containerReference)
        let stored = try StoredConfig.decode(container.config, container: container.id)
        guard case .bridged = NetworkAttachment(mode: stored.request.hostConfig.networkMode) else {
            throw StackError(
                .conflict,
                "container sharing network namespace with another container or host cannot be connected to any other network")
        }
        guard net.driver == "bridge" else {
            throw StackError(.conflict, "container cannot be disconnected from host network or connected to host network")
        }
        let existing = try store.endpoints.list(container: container.id)
        if existing.contains(where: { $0.networkID == net.id }) {
            throw StackError(.conflict, "endpoint with name \(container.name) already exists in network \(net.name)")
        }
        let used = Set(existing.map(\.interfaceName))
        let interface = (0...64).lazy.map { "eth\($0)" }.first { !used.contains($0) } ?? "eth\(existing.count)"
        let endpoint = try chooseEndpoint(network: net, containerID: container.id, settings: settings, interface: interface)
        try store.endpoints.insert(endpoint)
        if container.state == .running || container.state == .paused {
            do throws(StackError) {
                var hasRoute = false
                for other in existing where try store.networks.get(other.networkID).map({ !$0.internal }) ?? false {
                    hasRoute = true
                }
                try attach(endpoint, to: net, namespace: paths.netns(container.id), defaultRoute: !hasRoute && !net.internal)
            } catch {
                network.detach(hostInterface: networkConfig.hostInterface(endpointID: endpoint.id))
                try? store.endpoints.delete(network: net.id, container: container.id)
                throw error
            }
            refreshDNS()
        }
        rewriteResolvConf(container.id)
        event(type: "network", action: "connect", actor: net.id, attributes: ["container": container.id, "name": net.name])
    }

    /// `POST /networks/{id}/disconnect`.
    public func disconnect(network reference: String, container containerReference: String, force: Bool) throws(StackError) {
        let net = try resolveNetwork(reference)
        let container: Store.ContainerRecord
        do {
            container = try record(containerReference)
        } catch {
            // Forced: forget the endpoint of a container that is gone.
            if force { return }
            throw error
        }
        guard let endpoint = try? store.endpoints.get(network: net.id, container: container.id) else {
            throw StackError(.conflict, "container \(container.name) is not connected to network \(net.name)")
        }
        network.detach(hostInterface: networkConfig.hostInterface(endpointID: endpoint.id))
        try store.endpoints.delete(network: net.id, container: container.id)
        refreshDNS()
        rewriteResolvConf(container.id)
        event(type: "network", action: "disconnect", actor: net.id, attributes: ["container": container.id, "name": net.name])
    }

    /// A bind-mounted resolv.conf is rewritten in place (not replaced), so a running container sees it.
    func rewriteResolvConf(_ id: String) {
        let endpoints = (try? store.endpoints.list(container: id)) ?? []
        let host = FileSystem.readText("/etc/resolv.conf")
        let text = resolvConf(endpoints: endpoints, hostResolvConf: host)
            ?? EtcFiles(hostname: "", hostResolvConf: host, hostNetwork: false).resolvConf
        try? FileSystem.overwrite(paths.container(id) + "/resolv.conf", text)
    }

    /// The names of the networks a container is on (its mode for host, none and container:).
    func networkNames(_ record: Store.ContainerRecord) -> [String] {
        let names = ((try? store.endpoints.list(container: record.id)) ?? []).compactMap {
            (try? store.networks.get($0.networkID))?.name
        }
        if !names.isEmpty { return names.sorted() }
        let mode = (try? StoredConfig.decode(record.config, container: record.id))?.request.hostConfig.networkMode ?? ""
        return mode.isEmpty || mode == "default" ? [] : [mode]
    }

    /// NetworkSettings of inspect: each network's endpoint, the published ports.
    func networkSettings(_ record: Store.ContainerRecord, stored: StoredConfig) -> NetworkSettings {
        var networks: [String: EndpointSettings] = [:]
        var settings = NetworkSettings()
        let running = record.state == .running || record.state == .paused
        for endpoint in (try? store.endpoints.list(container: record.id)) ?? [] {
            guard let net = try? store.networks.get(endpoint.networkID) else { continue }
            let prefix = CIDR(net.subnet)?.prefixLength ?? 0
            var value = EndpointSettings()
            value.networkID = net.id
            value.endpointID = endpoint.id
            value.gateway = net.gateway
            value.ipAddress = endpoint.address
            value.ipPrefixLen = prefix
            value.macAddress = endpoint.macAddress
            value.aliases = endpoint.aliases.isEmpty ? nil : endpoint.aliases
            if endpoint.staticAddress { value.ipamConfig = EndpointIPAMConfig(ipv4Address: endpoint.address) }
            if !net.isDefault { value.dnsNames = [record.name, record.shortID] + endpoint.aliases }
            networks[net.name] = value
            if net.isDefault {
                settings.ipAddress = endpoint.address
                settings.gateway = net.gateway
                settings.ipPrefixLen = prefix
                settings.macAddress = endpoint.macAddress
            }
        }
        let mode = stored.request.hostConfig.networkMode
        if mode == "host" || mode == "none" { networks[mode] = EndpointSettings() }
        settings.networks = networks
        var ports: [String: [PortBinding]?] = [:]
        for key in stored.exposedPorts ?? [] { ports[key] = .some(nil) }
        for key in stored.request.hostConfig.portBindings.keys { ports[key] = .some(nil) }
        if running {
            for port in publishedPorts[record.id] ?? [] {
                var list = (ports[port.key] ?? nil) ?? []
                list.append(PortBinding(hostIP: port.hostIP.isEmpty ? "0.0.0.0" : port.hostIP, hostPort: "\(port.hostPort)"))
                ports[port.key] = .some(list)
            }
            if case .bridged = NetworkAttachment(mode: mode) { settings.sandboxKey = paths.netns(record.id) }
        }
        settings.ports = ports
        return settings
    }
}
