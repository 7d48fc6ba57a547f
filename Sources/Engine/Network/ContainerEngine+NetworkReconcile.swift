#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import Networking
import StackCore
import Store

extension ContainerEngine {
    /// At stackd start, after the containers were re-adopted: make the kernel match the store.
    /// Bridges of user networks are restored (with their DNS listeners), links of ours that nothing
    /// needs are removed, namespaces of containers that no longer run are unbound, proxies of
    /// running containers that died are started again, and the nftables table is rewritten.
    /// Returns what it changed, for stackd's log.
    public func reconcileNetworking() -> [String] {
        var report: [String] = []
        do {
            try ensurePredefinedNetworks()
        } catch {
            return ["networks: \(error.message)"]
        }
        let running = ((try? store.containers.list(all: false)) ?? []).filter { $0.state == .running || $0.state == .paused }
        let runningIDs = Set(running.map(\.id))
        var wanted = Set<String>()
        let networks = (try? store.networks.list()) ?? []
        for container in running {
            for endpoint in (try? store.endpoints.list(container: container.id)) ?? [] {
                wanted.insert(networkConfig.hostInterface(endpointID: endpoint.id))
                if let net = networks.first(where: { $0.id == endpoint.networkID }), net.isDefault { defaultBridgeUp = true }
            }
            if let text = FileSystem.readText(paths.portsFile(container.id)),
                let ports = try? JSONDecoder().decode([PublishedPort].self, from: Data(text.utf8))
            {
                publishedPorts[container.id] = ports
                if !network.isPublishing(pidFile: paths.proxyPIDFile(container.id)) {
                    let mappings = ports.map {
                        ProxyMapping(proto: $0.proto, hostIP: $0.hostIP, hostPort: $0.hostPort,
                                     containerIP: $0.containerIP, containerPort: $0.containerPort)
                    }
                    do {
                        _ = try network.publish(mappings, pidFile: paths.proxyPIDFile(container.id))
                        report.append("restarted the port proxy of \(container.name)")
                    } catch {
                        report.append("port proxy of \(container.name): \(error.message)")
                    }
                }
            }
        }
        for net in networks where net.driver == "bridge" && (!net.isDefault || defaultBridgeUp) {
            wanted.insert(net.bridge)
            guard let gateway = net.gatewayCIDR else { continue }
            do {
                try network.ensureBridge(net.bridge, gateway: gateway)
                if !net.isDefault { try network.dnsListen(on: gateway.address) }
                if !net.internal { try network.enableForwarding() }
            } catch {
                report.append("network \(net.name): \(error.message)")
            }
        }
        for link in (try? network.links(prefix: networkConfig.prefix)) ?? [] where !wanted.contains(link) && isOurs(link) {
            if link.hasPrefix(networkConfig.prefix + "v") {
                network.detach(hostInterface: link)
            } else {
                try? network.removeBridge(link)
            }
            report.append("removed stray link \(link)")
        }
        for entry in FileSystem.list(paths.netnsDirectory) where !runningIDs.contains(entry) {
            network.removeNamespace(at: paths.netns(entry))
            report.append("removed the network namespace of \(String(entry.prefix(12)))")
        }
        appliedRules = nil
        do {
            try refreshRules()
        } catch {
            report.append("nftables: \(error.message)")
        }
        refreshDNS()
        return report
    }

    /// Our naming patterns: `<prefix>0`, `<prefix>-<hex>`, `<prefix>v<hex>`.
    func isOurs(_ link: String) -> Bool {
        let prefix = networkConfig.prefix
        guard link.hasPrefix(prefix) else { return false }
        let rest = link.dropFirst(prefix.count)
        if rest == "0" { return true }
        guard let first = rest.first, first == "-" || first == "v" else { return false }
        return rest.dropFirst().allSatisfy { $0.isHexDigit }
    }

    /// At a clean stackd stop: the default bridge goes when no running container uses it.
    public func shutdownNetworking() {
        guard defaultBridgeUp, let net = (try? store.networks.find(name: "bridge")) ?? nil else { return }
        let users = ((try? store.endpoints.list(network: net.id)) ?? []).filter {
            guard let container = try? store.containers.get($0.containerID) else { return false }
            return container.state == .running || container.state == .paused
        }
        guard users.isEmpty else { return }
        try? network.removeBridge(net.bridge)
        defaultBridgeUp = false
        try? refreshRules()
    }
}
