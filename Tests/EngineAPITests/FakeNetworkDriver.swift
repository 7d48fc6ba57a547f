import DNS
import Engine
import Networking
import StackCore
import Synchronization

/// A network driver that keeps what the kernel would hold (namespaces, bridges, veths, the rules,
/// proxies, DNS listeners and names) in memory, and records the order of calls.
final class FakeNetworkDriver: NetworkDriver {
    struct State {
        var namespaces: Set<String> = []
        var bridges: [String: CIDR] = [:]
        var veths: [String: VethAttachment] = [:]
        var ruleset: NFTRuleset?
        var applyCount = 0
        var proxies: [String: [ProxyMapping]] = [:]
        var listeners: Set<IPAddress> = []
        var table = RecordTable()
        var forwarding = false
        var calls: [String] = []
        /// "tcp:8080" ports a publish must find taken.
        var busy: Set<String> = []
        var nextPort: UInt16 = 32768
    }
    let state = Mutex(State())

    func createNamespace(at path: String) throws(StackError) {
        state.withLock { $0.namespaces.insert(path); $0.calls.append("netns+ \(path)") }
    }
    /// As the kernel does once nothing holds the namespace: its veth pairs go with it.
    func removeNamespace(at path: String) {
        state.withLock { state in
            guard state.namespaces.remove(path) != nil else { return }
            state.calls.append("netns- \(path)")
            state.veths = state.veths.filter { $0.value.namespacePath != path }
        }
    }
    func ensureBridge(_ name: String, gateway: CIDR) throws(StackError) {
        state.withLock { $0.bridges[name] = gateway; $0.calls.append("bridge+ \(name) \(gateway)") }
    }
    func removeBridge(_ name: String) throws(StackError) {
        state.withLock { if $0.bridges.removeValue(forKey: name) != nil { $0.calls.append("bridge- \(name)") } }
    }
    func links(prefix: String) throws(StackError) -> [String] {
        state.withLock { Array($0.bridges.keys) + Array($0.veths.keys) }.filter { $0.hasPrefix(prefix) }.sorted()
    }
    func routedSubnets() -> [CIDR] { [] }
    func attach(_ attachment: VethAttachment) throws(StackError) {
        try state.withLock { (s) throws(StackError) in
            guard s.bridges[attachment.bridge] != nil else { throw StackError(.notFound, "no bridge \(attachment.bridge)") }
            guard s.namespaces.contains(attachment.namespacePath) else { throw StackError(.notFound, "no namespace") }
            s.veths[attachment.hostInterface] = attachment
            s.calls.append("veth+ \(attachment.hostInterface) \(attachment.interface) \(attachment.address)")
        }
    }
    func detach(hostInterface: String) {
        state.withLock { if $0.veths.removeValue(forKey: hostInterface) != nil { $0.calls.append("veth- \(hostInterface)") } }
    }
    func apply(_ ruleset: NFTRuleset) throws(StackError) {
        state.withLock { $0.ruleset = ruleset.isEmpty ? nil : ruleset; $0.applyCount += 1 }
    }
    func enableForwarding() throws(StackError) { state.withLock { $0.forwarding = true } }
    func publish(_ mappings: [ProxyMapping], pidFile: String) throws(StackError) -> [ProxyMapping] {
        try state.withLock { (s) throws(StackError) -> [ProxyMapping] in
            var bound: [ProxyMapping] = []
            for var mapping in mappings {
                if s.busy.contains("\(mapping.proto):\(mapping.hostPort)") {
                    throw StackError(.conflict, "Bind for 0.0.0.0:\(mapping.hostPort) failed: port is already allocated")
                }
                if mapping.hostPort == 0 {
                    mapping.hostPort = s.nextPort
                    s.nextPort += 1
                }
                bound.append(mapping)
            }
            s.proxies[pidFile] = bound
            return bound
        }
    }
    func unpublish(pidFile: String) { state.withLock { _ = $0.proxies.removeValue(forKey: pidFile) } }
    func isPublishing(pidFile: String) -> Bool { state.withLock { $0.proxies[pidFile] != nil } }
    func dnsListen(on address: IPAddress) throws(StackError) { state.withLock { _ = $0.listeners.insert(address) } }
    func dnsStop(on address: IPAddress) { state.withLock { _ = $0.listeners.remove(address) } }
    func dnsUpdate(_ table: RecordTable) { state.withLock { $0.table = table } }
}
