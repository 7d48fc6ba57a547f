import Networking
import StackAPI
import StackCore

/// The host ports a container asks for (`-p`, and `-P` over its exposed ports) as proxy mappings
/// to its address.
enum PortPlanner {
    /// `bindings` as HostConfig.PortBindings holds them ("80/tcp" → [HostIp, HostPort]); `exposed`
    /// ("80/tcp") get a random host port unless bound. A host port range takes its first free port.
    static func mappings(
        bindings: [String: [PortBinding]], exposed: [String], containerIP: String,
        isFree: (String, String, UInt16) -> Bool = PortPlanner.canBind
    ) throws(StackError) -> [ProxyMapping] {
        var all = bindings
        for key in exposed where all[key] == nil { all[key] = [PortBinding(hostIP: "", hostPort: "")] }
        var result: [ProxyMapping] = []
        for key in all.keys.sorted() {
            let (containerPort, proto) = try parseKey(key)
            for binding in all[key] ?? [] {
                let hostIP = binding.hostIP == "0.0.0.0" ? "" : binding.hostIP
                if !hostIP.isEmpty {
                    guard let address = IPAddress(hostIP) else {
                        throw StackError(.invalidArgument, "invalid host IP \(hostIP) for port \(key)")
                    }
                    guard address.isIPv4 else {
                        throw StackError(.unsupported, "publishing on IPv6 addresses (\(hostIP)) is not supported")
                    }
                }
                let hostPort = try choosePort(binding.hostPort, proto: proto, hostIP: hostIP, key: key, isFree: isFree)
                result.append(
                    ProxyMapping(
                        proto: proto, hostIP: hostIP, hostPort: hostPort, containerIP: containerIP,
                        containerPort: containerPort))
            }
        }
        return result
    }

    /// "80/tcp" → (80, "tcp"); "80" is tcp.
    static func parseKey(_ key: String) throws(StackError) -> (UInt16, String) {
        let parts = key.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let port = UInt16(first), port > 0 else {
            throw StackError(.invalidArgument, "invalid container port \(key)")
        }
        let proto = parts.count > 1 ? String(parts[1]) : "tcp"
        guard proto == "tcp" || proto == "udp" else {
            throw StackError(.unsupported, "port \(key): only tcp and udp can be published")
        }
        return (port, proto)
    }

    /// "" → 0 (random), "8080" → 8080, "8000-8010" → the first port of the range nothing holds.
    static func choosePort(
        _ text: String, proto: String, hostIP: String, key: String, isFree: (String, String, UInt16) -> Bool
    ) throws(StackError) -> UInt16 {
        if text.isEmpty { return 0 }
        if let port = UInt16(text) { return port }
        let ends = text.split(separator: "-", maxSplits: 1)
        guard ends.count == 2, let low = UInt16(ends[0]), let high = UInt16(ends[1]), low <= high else {
            throw StackError(.invalidArgument, "invalid host port \(text) for \(key)")
        }
        for port in low...high where isFree(proto, hostIP, port) { return port }
        throw StackError(.conflict, "Bind for \(hostIP.isEmpty ? "0.0.0.0" : hostIP):\(text) failed: every port of the range is allocated")
    }

    /// Whether `proto` port `port` on `hostIP` ("" = any) can be bound now (bound and let go at once).
    static func canBind(_ proto: String, _ hostIP: String, _ port: UInt16) -> Bool {
        let probe = ProxyMapping(proto: proto, hostIP: hostIP, hostPort: port, containerIP: "127.0.0.1", containerPort: 1)
        guard let bound = try? PortProxy.bind([probe]) else { return false }
        bound.close()
        return true
    }
}
