import StackCore

/// `services.*.ports` in long form.
///
/// Short entries (`"8080"`, `"80:8080/udp"`, `"127.0.0.1:80:8080"`, `"[::1]:80:8080"`,
/// `"9090-9091:8080-8081"`, a bare integer) expand to one mapping per container port, with
/// `mode: ingress`, `host_ip` and `published` when given, and the protocol in lower case.
/// A host range with a single container port (`"8000-8010:80"`) stays one entry whose
/// `published` is the range. Long entries get `target` as an integer, `published` as a string
/// and the `protocol: tcp` / `mode: ingress` defaults.
enum PortSyntax {
    /// One container port of a short entry, before it becomes a node.
    struct Binding: Equatable {
        var hostIP: String
        var published: String
        var target: Int
        var proto: String
    }

    struct SpecError: Error {
        var message: String
    }

    static func canonicalize(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard case .sequence(let items) = node.kind else {
            if node.isNull { return node }
            throw canonicalError("invalid type \(node.kindName) for ports, expected a list", node, path)
        }
        var result: [Node] = []
        for (index, item) in items.enumerated() {
            let itemPath = path / index
            if item.tag == .reset {
                result.append(item)
                continue
            }
            let spec: String
            switch item.kind {
            case .scalar(.int(let port)): spec = String(port)
            case .scalar(.string(let text)): spec = text
            case .mapping:
                result.append(try longForm(item, itemPath))
                continue
            default:
                throw canonicalError("invalid type \(item.kindName) for port", item, itemPath)
            }
            let bindings: [Binding]
            do {
                bindings = try parse(spec)
            } catch {
                throw canonicalError("invalid port \"\(spec)\": \(error.message)", item, itemPath)
            }
            for binding in bindings { result.append(mappingNode(for: binding, from: item)) }
        }
        return node.replacing(.sequence(result))
    }

    /// Normalizes a long-syntax entry: integer target, string published, default protocol and mode.
    static func longForm(_ item: Node, _ path: NodePath) throws(StackError) -> Node {
        var entry = item
        try entry.update("target", path, Coerce.int)
        try entry.update("published", path, Coerce.string)
        entry.setDefault("protocol", item.stringNode("tcp"))
        entry.setDefault("mode", item.stringNode("ingress"))
        return entry
    }

    private static func mappingNode(for binding: Binding, from item: Node) -> Node {
        var entries = [item.entry("mode", item.stringNode("ingress"))]
        if !binding.hostIP.isEmpty { entries.append(item.entry("host_ip", item.stringNode(binding.hostIP))) }
        entries.append(item.entry("target", Node.int(binding.target, item.mark)))
        if !binding.published.isEmpty { entries.append(item.entry("published", item.stringNode(binding.published))) }
        entries.append(item.entry("protocol", item.stringNode(binding.proto)))
        return Node(.mapping(entries), mark: item.mark, tag: item.tag)
    }

    /// Parses a short entry `[[IP:](port|range):]CONTAINER[-range][/proto]` into its bindings,
    /// ordered as Compose orders them (by the text of the container port).
    static func parse(_ spec: String) throws(SpecError) -> [Binding] {
        var (ip, hostPort, rawContainer) = splitParts(spec)
        let (proto, containerPort) = splitProto(rawContainer)
        rawContainer = containerPort
        if ip.hasPrefix("[") {
            guard ip.hasSuffix("]"), ip.count >= 2 else { throw SpecError(message: "invalid IP address \(ip)") }
            ip = String(ip.dropFirst().dropLast())
        }
        if !ip.isEmpty && !IPLiteral.isValid(ip) {
            throw SpecError(message: "invalid IP address: \(ip)")
        }
        guard !containerPort.isEmpty else { throw SpecError(message: "no port specified: \(spec)<empty>") }
        guard let container = portRange(containerPort) else {
            throw SpecError(message: "invalid containerPort: \(containerPort)")
        }
        var host: (start: Int, end: Int) = (0, 0)
        if !hostPort.isEmpty {
            guard let parsed = portRange(hostPort) else { throw SpecError(message: "invalid hostPort: \(hostPort)") }
            host = parsed
            if container.end - container.start != host.end - host.start && container.end != container.start {
                throw SpecError(
                    message: "invalid ranges specified for container and host Ports: \(containerPort) and \(hostPort)")
            }
        }
        let lowered = proto.lowercased()
        guard ["tcp", "udp", "sctp"].contains(lowered) else { throw SpecError(message: "invalid proto: \(proto)") }

        var bindings: [Binding] = []
        for offset in 0...(container.end - container.start) {
            var published = ""
            if !hostPort.isEmpty {
                published = String(host.start + offset)
                if container.start == container.end && host.start != host.end {
                    published += "-\(host.end)"
                }
            }
            bindings.append(Binding(hostIP: ip, published: published, target: container.start + offset, proto: lowered))
        }
        // Compose collects the ports in a map and sorts its keys as text ("10/tcp" < "9/tcp").
        return bindings.sorted { String($0.target) < String($1.target) }
    }

    /// `ip:host:container`, where the IP may itself contain colons (IPv6).
    private static func splitParts(_ spec: String) -> (String, String, String) {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1: return ("", "", parts[0])
        case 2: return ("", parts[0], parts[1])
        case 3: return (parts[0], parts[1], parts[2])
        default:
            return (parts[..<(parts.count - 2)].joined(separator: ":"), parts[parts.count - 2], parts[parts.count - 1])
        }
    }

    /// `8080/udp` → ("udp", "8080"); no protocol means tcp.
    private static func splitProto(_ raw: String) -> (String, String) {
        let parts = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !raw.isEmpty, let first = parts.first, !first.isEmpty else { return ("", "") }
        if parts.count == 1 { return ("tcp", raw) }
        if parts[1].isEmpty { return ("tcp", first) }
        return (parts[1], first)
    }

    /// `80` or `80-90`: a port number (0…65535) or an ascending range.
    private static func portRange(_ text: String) -> (start: Int, end: Int)? {
        func port(_ s: Substring) -> Int? {
            guard s.isASCIIDigits, let value = Int(s), value <= 65535 else {
                return nil
            }
            return value
        }
        guard text.contains(ascii: "-") else {
            guard let value = port(Substring(text)) else { return nil }
            return (value, value)
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, let start = port(parts[0]), let end = port(parts[1]), end >= start else { return nil }
        return (start, end)
    }
}
