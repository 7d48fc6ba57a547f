import IPAM
import StackAPI
import StackCore
import Store

/// A container's places on networks, decided at create (addresses are kept until it is removed,
/// so they do not change across restarts).
extension ContainerEngine {
    /// What `create` needs to know about a new container's networking.
    struct NetworkPlan {
        var attachment: NetworkAttachment
        /// Endpoints to insert once the container's record exists (addresses already chosen).
        var endpoints: [EndpointRecord]
        /// The namespace path its config.json joins (nil: the runtime makes one, or host).
        var namespacePath: String?
        /// The container another one shares the namespace of (`container:NAME`).
        var sharedWith: Store.ContainerRecord?
    }

    /// Check the request's networks and choose addresses (nothing is stored yet).
    func planNetworking(_ request: ContainerCreateRequest, id: String) throws(StackError) -> NetworkPlan {
        let attachment = NetworkAttachment(mode: request.hostConfig.networkMode)
        let extra = request.networkingConfig?.endpointsConfig ?? [:]
        switch attachment {
        case .host, .none:
            if !extra.isEmpty, extra.keys.contains(where: { $0 != request.hostConfig.networkMode }) {
                throw StackError(
                    .invalidArgument,
                    "container cannot be connected to networks other than \(request.hostConfig.networkMode) in its network mode")
            }
            return NetworkPlan(attachment: attachment, endpoints: [], namespacePath: nil, sharedWith: nil)
        case .container(let reference):
            let other: Store.ContainerRecord
            do {
                other = try store.containers.resolve(reference)
            } catch {
                throw StackError(.notFound, "No such container: \(reference) (--network container:\(reference))")
            }
            if other.id == id { throw StackError(.invalidArgument, "cannot join the network of itself") }
            return NetworkPlan(
                attachment: attachment, endpoints: [], namespacePath: paths.container(id) + "/netns", sharedWith: other)
        case .bridged(let primary):
            try ensurePredefinedNetworks()
            var names = [primary]
            for name in extra.keys.sorted() where name != primary && !(primary == "bridge" && name == "default") {
                names.append(name)
            }
            var endpoints: [EndpointRecord] = []
            for (index, name) in names.enumerated() {
                let settings = extra[name] ?? (name == "bridge" ? extra["default"] : nil)
                let record = try resolveBridgeNetwork(name)
                if endpoints.contains(where: { $0.networkID == record.id }) { continue }
                endpoints.append(
                    try chooseEndpoint(network: record, containerID: id, settings: settings, interface: "eth\(index)"))
            }
            return NetworkPlan(
                attachment: attachment, endpoints: endpoints, namespacePath: paths.netns(id), sharedWith: nil)
        }
    }

    /// A network containers can be attached to (the default bridge or a user network).
    func resolveBridgeNetwork(_ name: String) throws(StackError) -> NetworkRecord {
        let record = try resolveNetwork(name)
        guard record.driver == "bridge" else {
            throw StackError(
                .invalidArgument, "container cannot be connected to the \(record.name) network together with others")
        }
        return record
    }

    /// An endpoint on `network` with its address: the static one asked (checked), or the next free.
    func chooseEndpoint(
        network: NetworkRecord, containerID: String, settings: EndpointSettings?, interface: String
    ) throws(StackError) -> EndpointRecord {
        guard let subnet = CIDR(network.subnet), let gateway = IPAddress(network.gateway) else {
            throw StackError(.internalError, "network \(network.name) has no subnet")
        }
        if network.isDefault, !(settings?.aliases ?? []).isEmpty {
            throw StackError(.invalidArgument, "network-scoped alias is supported only for containers in user defined networks")
        }
        let plan = try SubnetPlan(subnet: subnet, gateway: gateway, ipRange: network.ipRange.flatMap { CIDR($0) })
        let taken = Set(try store.endpoints.addresses(network: network.id).compactMap { IPAddress($0) })
        let address: IPAddress
        var isStatic = false
        if let text = settings?.ipamConfig?.ipv4Address, !text.isEmpty {
            guard network.userSubnet else {
                throw StackError(
                    .invalidArgument,
                    "user specified IP address is supported only when connecting to networks with user configured subnets")
            }
            guard let requested = IPAddress(text), requested.isIPv4 else {
                throw StackError(.invalidArgument, "invalid IPv4 address: \(text)")
            }
            do {
                try AddressAllocator.check(requested, in: plan, taken: taken)
            } catch {
                throw StackError(error.code, "network \(network.name): \(error.message)")
            }
            address = requested
            isStatic = true
        } else {
            do {
                address = try AddressAllocator.next(in: plan, taken: taken)
            } catch {
                throw StackError(error.code, "network \(network.name): \(error.message)")
            }
        }
        return EndpointRecord(
            id: ContainerIdentity.newID(), networkID: network.id, containerID: containerID, address: "\(address)",
            macAddress: MACAddress.forIPv4(address), aliases: settings?.aliases ?? [], staticAddress: isStatic,
            interfaceName: interface, createdAt: TimeText.rfc3339(TimeText.now()))
    }

    /// The resolv.conf of a container on `endpoints`: with a user network, its gateways answer DNS
    /// (the host's search and options lines kept); on the default bridge only, the host's resolvers.
    func resolvConf(endpoints: [EndpointRecord], hostResolvConf: String?) -> String? {
        let gateways = endpoints.compactMap { endpoint -> String? in
            guard let network = try? store.networks.get(endpoint.networkID), !network.isDefault else { return nil }
            return network.gateway
        }
        guard !gateways.isEmpty else { return nil }
        var lines = gateways.prefix(3).map { "nameserver \($0)" }
        for line in (hostResolvConf ?? "").split(separator: "\n") {
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.hasPrefix("search") || trimmed.hasPrefix("domain") || trimmed.hasPrefix("options") {
                lines.append(String(trimmed))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
