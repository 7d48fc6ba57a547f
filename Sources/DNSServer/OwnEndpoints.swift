import Synchronization

/// The address:port pairs this server listens on. An upstream among them is skipped: forwarding
/// to ourselves would pass every unknown query around in a loop.
final class OwnEndpoints: Sendable {
    private let endpoints = Mutex<Set<DNSUpstream>>([])

    func insert(_ endpoint: DNSUpstream) { _ = endpoints.withLock { $0.insert(endpoint) } }
    func remove(_ endpoint: DNSUpstream) { _ = endpoints.withLock { $0.remove(endpoint) } }
    func contains(_ endpoint: DNSUpstream) -> Bool { endpoints.withLock { $0.contains(endpoint) } }
}
