import IPAM
import StackAPI
import StackCore
import Store

/// `stack network create|ls|inspect|rm|prune`: user-defined bridge networks in the store, their
/// bridges in the kernel, their DNS listeners; and the predefined `bridge`, `host` and `none`.
extension ContainerEngine {
    static let predefinedNetworks: Set<String> = ["bridge", "host", "none"]

    /// Make sure the predefined networks are in the store (the default bridge gets the first free
    /// subnet of the pools); returns the default bridge network.
    @discardableResult
    func ensurePredefinedNetworks() throws(StackError) -> NetworkRecord {
        for (name, driver) in [("host", "host"), ("none", "null")] where try store.networks.find(name: name) == nil {
            // No device: the bridge column (unique) holds the name.
            try store.networks.insert(
                NetworkRecord(
                    id: ContainerIdentity.newID(), name: name, driver: driver, scope: "local", subnet: "", gateway: "",
                    ipRange: nil, internal: false, bridge: name, labels: [:], options: [:],
                    createdAt: TimeText.rfc3339(TimeText.now()), isDefault: false))
        }
        if let existing = try store.networks.find(name: "bridge") { return existing }
        let subnet = try SubnetChooser.next(pools: networkConfig.pools, taken: takenSubnets())
        let plan = try SubnetPlan(subnet: subnet, gateway: nil, ipRange: nil)
        let record = NetworkRecord(
            id: ContainerIdentity.newID(), name: "bridge", driver: "bridge", scope: "local", subnet: "\(plan.subnet)",
            gateway: "\(plan.gateway)", ipRange: nil, internal: false, bridge: networkConfig.defaultBridge, labels: [:],
            options: ["com.docker.network.bridge.default_bridge": "true", "com.docker.network.bridge.name": networkConfig.defaultBridge],
            createdAt: TimeText.rfc3339(TimeText.now()), isDefault: true)
        try store.networks.insert(record)
        return record
    }

    /// Subnets new networks must not overlap: every network's, and the routes of our namespace.
    func takenSubnets() throws(StackError) -> [CIDR] {
        try store.networks.list().compactMap { CIDR($0.subnet) } + network.routedSubnets()
    }

    /// `POST /networks/create`.
    public func createNetwork(_ request: NetworkCreateRequest) throws(StackError) -> NetworkCreateResponse {
        try ensurePredefinedNetworks()
        let name = request.name
        try Self.validateNetworkName(name)
        if try store.networks.find(name: name) != nil {
            throw StackError(.conflict, "network with name \(name) already exists")
        }
        let driver = request.driver.isEmpty ? "bridge" : request.driver
        guard driver == "bridge" else {
            throw StackError(.unsupported, "network driver \"\(driver)\" is not supported (only bridge)")
        }
        if request.enableIPv6 {
            throw StackError(.unsupported, "network \(name): IPv6 networks are not supported yet")
        }
        let configs = request.ipam?.config ?? []
        guard configs.count <= 1 else {
            throw StackError(.unsupported, "network \(name): only one IPv4 subnet per network is supported")
        }
        let plan = try subnetPlan(for: name, config: configs.first)
        let id = ContainerIdentity.newID()
        let bridge = request.options["com.docker.network.bridge.name"].flatMap { $0.isEmpty ? nil : $0 }
            ?? networkConfig.bridgeName(networkID: id)
        guard bridge.utf8.count <= 15, !bridge.contains("/"), !bridge.contains(" ") else {
            throw StackError(.invalidArgument, "network \(name): bridge name \"\(bridge)\" is not a valid interface name (at most 15 characters)")
        }
        if try store.networks.list().contains(where: { $0.bridge == bridge }) {
            throw StackError(.conflict, "network \(name): bridge \(bridge) is used by another network")
        }
        var options = request.options
        options["com.docker.network.bridge.name"] = nil
        let record = NetworkRecord(
            id: id, name: name, driver: "bridge", scope: "local", subnet: "\(plan.subnet)", gateway: "\(plan.gateway)",
            ipRange: plan.ipRange.map { "\($0)" }, internal: request.internal, bridge: bridge,
            labels: request.labels, options: options, createdAt: TimeText.rfc3339(TimeText.now()), isDefault: false,
            userSubnet: !(configs.first?.subnet ?? "").isEmpty)
        try store.networks.insert(record)
        do {
            try bringUp(record)
        } catch {
            try? bringDown(record)
            try? store.networks.delete(id)
            throw StackError(.system, "network \(name): \(error.message)")
        }
        event(type: "network", action: "create", actor: id, attributes: ["name": name, "type": "bridge"])
        return NetworkCreateResponse(id: id, warning: "")
    }

    /// The addressing of a new network: as asked (checked against the other networks), or the
    /// next free subnet of the pools.
    private func subnetPlan(for name: String, config: NetworkIPAMConfig?) throws(StackError) -> SubnetPlan {
        guard let text = config?.subnet, !text.isEmpty else {
            if let gateway = config?.gateway, !gateway.isEmpty {
                throw StackError(.invalidArgument, "network \(name): a gateway needs a subnet (--subnet)")
            }
            return try SubnetPlan(
                subnet: try SubnetChooser.next(pools: networkConfig.pools, taken: takenSubnets()), gateway: nil, ipRange: nil)
        }
        guard let subnet = CIDR(text), subnet.address.isIPv4 else {
            throw StackError(.invalidArgument, "network \(name): invalid subnet \(text) (IPv4 CIDR expected)")
        }
        var gateway: IPAddress?
        if let text = config?.gateway, !text.isEmpty {
            guard let parsed = IPAddress(text) else { throw StackError(.invalidArgument, "network \(name): invalid gateway \(text)") }
            gateway = parsed
        }
        var range: CIDR?
        if let text = config?.ipRange, !text.isEmpty {
            guard let parsed = CIDR(text) else { throw StackError(.invalidArgument, "network \(name): invalid ip-range \(text)") }
            range = parsed
        }
        let plan: SubnetPlan
        do {
            plan = try SubnetPlan(subnet: subnet, gateway: gateway, ipRange: range)
        } catch {
            throw StackError(.invalidArgument, "network \(name): \(error.message)")
        }
        for other in try store.networks.list() {
            if let theirs = CIDR(other.subnet), theirs.overlaps(plan.subnet) {
                throw StackError(
                    .conflict, "network \(name): subnet \(plan.subnet) overlaps with network \(other.name) (\(theirs))")
            }
        }
        return plan
    }

    /// Docker's rule for network names.
    static func validateNetworkName(_ name: String) throws(StackError) {
        let bytes = Array(name.utf8)
        func alnum(_ c: UInt8) -> Bool { (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        guard let first = bytes.first, alnum(first),
            bytes.allSatisfy({ alnum($0) || $0 == 95 || $0 == 46 || $0 == 45 })
        else {
            throw StackError(.invalidArgument, "invalid network name \"\(name)\": use [a-zA-Z0-9][a-zA-Z0-9_.-]*")
        }
    }

    /// The kernel side of a user network: its bridge with the gateway address, the DNS listener on
    /// that address, the nftables rules, forwarding.
    func bringUp(_ record: NetworkRecord) throws(StackError) {
        guard let gateway = record.gatewayCIDR else { return }
        try network.ensureBridge(record.bridge, gateway: gateway)
        if !record.isDefault { try network.dnsListen(on: gateway.address) }
        if !record.internal { try network.enableForwarding() }
        try refreshRules()
        refreshDNS()
    }

    /// Undo `bringUp`.
    func bringDown(_ record: NetworkRecord) throws(StackError) {
        if let gateway = record.gatewayCIDR, !record.isDefault { network.dnsStop(on: gateway.address) }
        try network.removeBridge(record.bridge)
        try refreshRules()
        refreshDNS()
    }

    /// `GET /networks`.
    public func listNetworks() throws(StackError) -> [NetworkInspect] {
        try ensurePredefinedNetworks()
        return try store.networks.list().map { (record) throws(StackError) in try networkInspect(record) }
            .sorted { $0.name < $1.name }
    }

    /// `GET /networks/{id}`.
    public func inspectNetwork(_ reference: String) throws(StackError) -> NetworkInspect {
        try ensurePredefinedNetworks()
        return try networkInspect(try resolveNetwork(reference))
    }

    /// The network `reference` names (id, name or unique id prefix); "default" is the default bridge.
    func resolveNetwork(_ reference: String) throws(StackError) -> NetworkRecord {
        do {
            return try store.networks.resolve(reference: reference == "default" ? "bridge" : reference)
        } catch {
            throw StackError(.notFound, "network \(reference) not found")
        }
    }

    func networkInspect(_ record: NetworkRecord) throws(StackError) -> NetworkInspect {
        var containers: [String: NetworkContainer] = [:]
        let prefix = CIDR(record.subnet)?.prefixLength ?? 32
        for endpoint in try store.endpoints.list(network: record.id) {
            guard let container = try? store.containers.get(endpoint.containerID),
                container.state == .running || container.state == .paused
            else { continue }
            containers[container.id] = NetworkContainer(
                name: container.name, endpointID: endpoint.id, macAddress: endpoint.macAddress,
                ipv4Address: "\(endpoint.address)/\(prefix)", ipv6Address: "")
        }
        let ipam = NetworkIPAM(
            driver: "default",
            config: record.subnet.isEmpty
                ? [] : [NetworkIPAMConfig(subnet: record.subnet, ipRange: record.ipRange ?? "", gateway: record.gateway)])
        var options = record.options
        if record.driver == "bridge" { options["com.docker.network.bridge.name"] = record.bridge }
        return NetworkInspect(
            name: record.name, id: record.id, created: record.createdAt, scope: record.scope, driver: record.driver,
            enableIPv6: false, ipam: ipam, internal: record.internal, attachable: false, ingress: false,
            containers: containers, options: options, labels: record.labels)
    }

    /// `DELETE /networks/{id}`: refused while running containers use it; stopped ones lose their
    /// endpoint on it (their next start fails, as with Docker).
    public func removeNetwork(_ reference: String) throws(StackError) {
        let record = try resolveNetwork(reference)
        if record.isDefault || record.driver != "bridge" {
            throw StackError(.conflict, "\(record.name) is a pre-defined network and cannot be removed")
        }
        let users = try store.endpoints.list(network: record.id).compactMap { try? store.containers.get($0.containerID) }
        let running = users.filter { $0.state == .running || $0.state == .paused || $0.state == .restarting }
        if !running.isEmpty {
            throw StackError(
                .conflict,
                "error while removing network: network \(record.name) id \(record.id) has active endpoints ("
                    + running.map(\.name).sorted().joined(separator: ", ") + ")")
        }
        for user in users { try? store.endpoints.delete(network: record.id, container: user.id) }
        try store.networks.delete(record.id)
        try bringDown(record)
        event(type: "network", action: "destroy", actor: record.id, attributes: ["name": record.name, "type": record.driver])
    }

    /// `POST /networks/prune`: user networks no container refers to.
    public func pruneNetworks() throws(StackError) -> NetworkPruneResponse {
        var deleted: [String] = []
        for record in try store.networks.list() where !record.isDefault && record.driver == "bridge" {
            guard try store.endpoints.list(network: record.id).isEmpty else { continue }
            try removeNetwork(record.id)
            deleted.append(record.name)
        }
        return NetworkPruneResponse(networksDeleted: deleted.sorted())
    }
}

extension NetworkRecord {
    /// The gateway with the subnet's prefix length (what the bridge carries); nil for host/none.
    var gatewayCIDR: CIDR? {
        guard let subnet = CIDR(subnet) else { return nil }
        return CIDR("\(gateway)/\(subnet.prefixLength)")
    }
}
