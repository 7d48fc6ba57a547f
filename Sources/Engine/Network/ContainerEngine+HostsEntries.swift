import StackAPI
import StackCore
import Store

extension ContainerEngine {
    /// The /etc/hosts lines a new container's `ExtraHosts` and `Links` ask for: `IP\tHOST` per
    /// extra host (`host-gateway` is the gateway of its first network, where the host answers),
    /// and `IP\tALIAS NAME` per link, with the linked container's address on a network both are on.
    func hostsEntries(_ host: HostConfig, endpoints: [EndpointRecord]) throws(StackError) -> String {
        var lines: [String] = []
        for entry in host.extraHosts {
            guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex else {
                throw StackError(.invalidArgument, "invalid extra host \"\(entry)\": expected HOST:IP")
            }
            let name = entry[..<colon]
            var address = String(entry[entry.index(after: colon)...])
            if address.hasPrefix("["), address.hasSuffix("]") { address = String(address.dropFirst().dropLast()) }
            if address == "host-gateway" {
                guard let first = endpoints.first, let network = try store.networks.get(first.networkID) else {
                    throw StackError(.invalidArgument, "extra host \(name): host-gateway needs a bridge network")
                }
                address = network.gateway
            }
            guard IPAddress(address) != nil || address.contains(":") else {
                throw StackError(.invalidArgument, "invalid extra host \"\(entry)\": \"\(address)\" is not an IP address")
            }
            lines.append("\(address)\t\(name)")
        }
        let networks = Set(endpoints.map(\.networkID))
        for link in host.links {
            let parts = link.split(separator: ":", maxSplits: 1).map { $0.hasPrefix("/") ? String($0.dropFirst()) : String($0) }
            guard let target = parts.first, !target.isEmpty else {
                throw StackError(.invalidArgument, "invalid link \"\(link)\": expected CONTAINER[:ALIAS]")
            }
            guard let linked = try? store.containers.resolve(target) else {
                throw StackError(.notFound, "could not get container for \(target)")
            }
            let shared = try store.endpoints.list(container: linked.id).first { networks.contains($0.networkID) }
            guard let shared else {
                throw StackError(.invalidArgument, "cannot link to \(linked.name): it is on no network of this container")
            }
            let alias = parts.count == 2 ? parts[1] : linked.name
            lines.append("\(shared.address)\t" + (alias == linked.name ? alias : "\(alias) \(linked.name)"))
        }
        return lines.map { $0 + "\n" }.joined()
    }
}
