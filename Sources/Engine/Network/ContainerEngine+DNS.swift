import DNS
import StackCore
import Store

extension ContainerEngine {
    /// Give the DNS server the names of every running container on the user networks: container
    /// name, short id, hostname, network aliases and Compose service name, scoped per network.
    func refreshDNS() {
        var table = RecordTable(ttl: 5)
        guard let networks = try? store.networks.list() else { return }
        var userNetworks: [String: NetworkRecord] = [:]
        for record in networks where record.driver == "bridge" && !record.isDefault {
            guard let subnet = CIDR(record.subnet) else { continue }
            table.setNetwork(record.id, subnets: [subnet])
            userNetworks[record.id] = record
        }
        for container in (try? store.containers.list(all: false)) ?? []
        where container.state == .running || container.state == .paused {
            let stored = try? StoredConfig.decode(container.config, container: container.id)
            var names = [container.name, container.shortID]
            if let hostname = stored?.resolved.hostname, !hostname.isEmpty { names.append(hostname) }
            if let service = container.labels["com.docker.compose.service"] { names.append(service) }
            for endpoint in (try? store.endpoints.list(container: container.id)) ?? [] {
                guard userNetworks[endpoint.networkID] != nil, let address = IPAddress(endpoint.address) else { continue }
                var unique: [DNSName] = []
                for text in names + endpoint.aliases {
                    guard let name = DNSName(text), !unique.contains(name) else { continue }
                    unique.append(name)
                }
                table.add(
                    RecordTable.Endpoint(
                        container: container.id, network: endpoint.networkID, names: unique, addresses: [address]))
            }
        }
        network.dnsUpdate(table)
    }
}
