import StackCore

/// The names the engine knows (containers, services, aliases, hostnames, short IDs) and their
/// addresses, per network. A query sees only the networks the asking container is on: the source
/// address names the container; an unknown source sees the networks whose subnets contain it.
///
/// Answers A/AAAA with every address of the name (shuffled per answer), PTR for known addresses,
/// NODATA for a known name without the asked type, NXDOMAIN for other names in scope (single-label
/// names, names under `domains`, names known on any network, reverse names inside our subnets);
/// returns nil (forward upstream) for everything else.
public struct RecordTable: DNSHandler {
    /// One container's presence on one network.
    public struct Endpoint: Hashable, Sendable {
        public var container: String
        public var network: String
        /// The names it answers to here; the first one is the PTR target.
        public var names: [DNSName]
        public var addresses: [IPAddress]

        public init(container: String, network: String, names: [DNSName], addresses: [IPAddress]) {
            self.container = container
            self.network = network
            self.names = names
            self.addresses = addresses
        }
    }

    /// The TTL of every answer (seconds).
    public var ttl: UInt32
    /// Suffixes under which names are ours: `web.<domain>` is looked up as `web`, unknown ones get NXDOMAIN.
    public var domains: [DNSName]

    private var subnets: [String: [CIDR]] = [:]
    private var endpoints: [Endpoint] = []
    private var byName: [DNSName: [Int]] = [:]
    private var byAddress: [IPAddress: [Int]] = [:]
    private var networksByContainer: [String: Set<String>] = [:]
    /// For each known address, the networks its owners are on (what `visibleNetworks` answers), built by `reindex`.
    private var visibleByAddress: [IPAddress: Set<String>] = [:]

    public init(ttl: UInt32 = 5, domains: [DNSName] = []) {
        self.ttl = ttl
        self.domains = domains
    }

    // MARK: Updates

    /// Adds or replaces a network's subnets.
    public mutating func setNetwork(_ name: String, subnets: [CIDR]) {
        self.subnets[name] = subnets
    }

    /// Forgets a network and every endpoint on it.
    public mutating func removeNetwork(_ name: String) {
        subnets[name] = nil
        endpoints.removeAll { $0.network == name }
        reindex()
    }

    /// Adds an endpoint, replacing the container's previous one on the same network.
    public mutating func add(_ endpoint: Endpoint) {
        endpoints.removeAll { $0.container == endpoint.container && $0.network == endpoint.network }
        endpoints.append(endpoint)
        reindex()
    }

    /// Removes a container from one network, or from all of them when `network` is nil.
    public mutating func remove(container: String, network: String? = nil) {
        endpoints.removeAll { $0.container == container && (network == nil || $0.network == network) }
        reindex()
    }

    private mutating func reindex() {
        byName = [:]
        byAddress = [:]
        networksByContainer = [:]
        for (index, endpoint) in endpoints.enumerated() {
            networksByContainer[endpoint.container, default: []].insert(endpoint.network)
            for name in Set(endpoint.names) { byName[name, default: []].append(index) }
            for address in Set(endpoint.addresses) { byAddress[address, default: []].append(index) }
        }
        visibleByAddress = byAddress.mapValues { owners in
            owners.reduce(into: Set<String>()) { $0.formUnion(networksByContainer[endpoints[$1].container] ?? []) }
        }
    }

    // MARK: Lookups

    /// The networks a query from `source` may see: every network of the container owning that address,
    /// or, for an unknown source, the networks whose subnets contain it.
    public func visibleNetworks(from source: IPAddress) -> Set<String> {
        // The asker sees every network it is on, not only the one its address belongs to.
        if let visible = visibleByAddress[source], !visible.isEmpty { return visible }
        return Set(subnets.filter { $0.value.contains { $0.contains(source) } }.keys)
    }

    public func answer(_ query: DNSMessage, from source: IPAddress) -> DNSMessage? {
        guard query.questions.count == 1, let question = query.questions.first,
            question.questionClass == .internet || question.questionClass == .any
        else { return nil }
        let visible = visibleNetworks(from: source)
        if let address = question.name.reverseAddress {
            return reverseAnswer(query, question, address, visible)
        }
        let lookupName = localName(question.name)
        let found = (byName[lookupName] ?? []).map { endpoints[$0] }.filter { visible.contains($0.network) }
        if found.isEmpty {
            return isInScope(question.name, lookupName) ? query.response(rcode: .nameError, authoritative: true) : nil
        }
        var seen = Set<IPAddress>()
        var addresses: [IPAddress] = []
        for endpoint in found {
            for address in endpoint.addresses where seen.insert(address).inserted { addresses.append(address) }
        }
        let wanted = addresses.filter {
            switch question.type {
            case .a: $0.isIPv4
            case .aaaa: !$0.isIPv4
            case .any: true
            default: false
            }
        }
        var reply = query.response(authoritative: true)
        reply.answers = wanted.shuffled().map { DNSRecord.address(question.name, $0, ttl: ttl) }
        return reply
    }

    private func reverseAnswer(
        _ query: DNSMessage, _ question: DNSQuestion, _ address: IPAddress, _ visible: Set<String>
    ) -> DNSMessage? {
        let owners = (byAddress[address] ?? []).map { endpoints[$0] }.filter { visible.contains($0.network) }
        if let target = owners.lazy.compactMap(\.names.first).first {
            var reply = query.response(authoritative: true)
            if question.type == .ptr || question.type == .any {
                reply.answers = [DNSRecord(name: question.name, type: .ptr, ttl: ttl, data: .ptr(target))]
            }
            return reply
        }
        let ours = byAddress[address] != nil || subnets.values.contains { $0.contains { $0.contains(address) } }
        return ours ? query.response(rcode: .nameError, authoritative: true) : nil
    }

    /// The name with one of `domains` taken off (`web.stack.internal.` → `web.`), or the name itself.
    private func localName(_ name: DNSName) -> DNSName {
        for domain in domains where name.labels.count > domain.labels.count && name.isSubdomain(of: domain) {
            return DNSName(labels: Array(name.labels.dropLast(domain.labels.count)))
        }
        return name
    }

    private func isInScope(_ name: DNSName, _ local: DNSName) -> Bool {
        name.labels.count == 1 || local != name || domains.contains { name.isSubdomain(of: $0) }
            || byName[local] != nil
    }
}
