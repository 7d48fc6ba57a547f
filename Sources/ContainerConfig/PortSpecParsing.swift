import StackAPI
import StackCore

/// One published port from `-p`: a container port and where on the host it is reachable.
///
/// ``PortSpecParsing/parse(_:)`` returns one spec per container port, so `containerPort` holds a single port;
/// `hostPort` is then a single port, a range to pick one free port from (`-p 8000-8010:80`), or nil for a
/// random port.
public struct PortSpec: Sendable, Hashable {
    public var containerPort: ClosedRange<UInt16>
    /// `tcp`, `udp` or `sctp`.
    public var proto: String
    /// The host address to bind, without brackets; empty = every address.
    public var hostIP: String
    /// nil = a random free port.
    public var hostPort: ClosedRange<UInt16>?

    public init(containerPort: ClosedRange<UInt16>, proto: String = "tcp", hostIP: String = "", hostPort: ClosedRange<UInt16>? = nil) {
        self.containerPort = containerPort
        self.proto = proto
        self.hostIP = hostIP
        self.hostPort = hostPort
    }

    /// Docker's key for the container side: `80/tcp` (`80-90/tcp` for a range).
    public var key: String { "\(PortSpecParsing.format(containerPort))/\(proto)" }

    /// The host side as Docker's `PortBindings` carry it: `HostPort` is `""`, `8080` or `8000-8010`.
    public var binding: PortBinding {
        PortBinding(hostIP: hostIP, hostPort: hostPort.map(PortSpecParsing.format) ?? "")
    }
}

/// Docker's `-p/--publish` and `--expose` syntaxes.
public enum PortSpecParsing {
    static let publishFlag = "-p, --publish"
    /// The protocols a port may name.
    public static let protocols: Set<String> = ["tcp", "udp", "sctp"]

    /// Parses one `-p` value: `80`, `8080:80`, `127.0.0.1:8080:80`, `127.0.0.1::80`, `[::1]:8080:80`,
    /// `8000-8010:80-90`, `8000-8010:80`, `53/udp` (and combinations), one spec per container port.
    ///
    /// A host range must be as long as the container range, unless the container side is one port (then the
    /// host range is where a free port is picked). Errors read like Docker's, naming the flag:
    /// `invalid argument "x" for "-p, --publish" flag: invalid containerPort: x`.
    public static func parse(_ text: String) throws(StackError) -> [PortSpec] {
        let (rawIP, rawHostPort, rawContainer) = splitParts(text)
        let (proto, containerText) = splitProtoPort(rawContainer)
        var ip = rawIP
        if ip.hasPrefix("[") {
            guard ip.hasSuffix("]"), ip.count > 2 else { throw invalid(text, "invalid IP address \(ip)") }
            ip = String(ip.dropFirst().dropLast())
        }
        if !ip.isEmpty, IPAddress(ip) == nil { throw invalid(text, "invalid IP address: \(ip)") }
        guard !containerText.isEmpty else { throw invalid(text, "no port specified: \(text)<empty>") }
        guard let container = portRange(containerText), container.lowerBound > 0 else {
            throw invalid(text, "invalid containerPort: \(containerText)")
        }
        var host: ClosedRange<UInt16>?
        if !rawHostPort.isEmpty {
            guard let range = portRange(rawHostPort) else { throw invalid(text, "invalid hostPort: \(rawHostPort)") }
            // Host port 0 is Docker's spelling of "any free port".
            host = range == 0...0 ? nil : range
            if let host, host.lowerBound == 0 { throw invalid(text, "invalid hostPort: \(rawHostPort)") }
        }
        if let host, host.count != container.count, container.count != 1 {
            throw invalid(
                text, "invalid ranges specified for container and host Ports: \(containerText) and \(rawHostPort)")
        }
        let normalized = proto.lowercased()
        guard protocols.contains(normalized) else { throw invalid(text, "invalid proto: \(proto)") }

        var specs: [PortSpec] = []
        for offset in 0..<container.count {
            let port = container.lowerBound + UInt16(offset)
            var hostPort: ClosedRange<UInt16>?
            if let host {
                if container.count == 1 {
                    hostPort = host
                } else {
                    let single = host.lowerBound + UInt16(offset)
                    hostPort = single...single
                }
            }
            specs.append(PortSpec(containerPort: port...port, proto: normalized, hostIP: ip, hostPort: hostPort))
        }
        return specs
    }

    /// Parses one `--expose` value: `80`, `80/udp`, `8000-8010[/proto]` → `["80/tcp"]`, `["8000/tcp", …]`.
    public static func exposed(_ text: String) throws(StackError) -> [String] {
        guard !text.contains(":") else {
            throw StackError(.invalidArgument, "invalid port format for --expose: \(text)")
        }
        let (proto, portText) = splitProtoPort(text)
        guard let range = portRange(portText), range.lowerBound > 0 else {
            throw StackError(.invalidArgument, "invalid range format for --expose: \(text)")
        }
        let normalized = proto.lowercased()
        guard protocols.contains(normalized) else {
            throw StackError(.invalidArgument, "invalid proto for --expose: \(text)")
        }
        return range.map { "\($0)/\(normalized)" }
    }

    /// Docker's `HostConfig.PortBindings` for parsed specs: key `80/tcp`, bindings in order (a port published
    /// twice, e.g. on two addresses, has two).
    public static func portBindings(_ specs: [PortSpec]) -> [String: [PortBinding]] {
        var result: [String: [PortBinding]] = [:]
        for spec in specs { result[spec.key, default: []].append(spec.binding) }
        return result
    }

    /// The specs a create request's `HostConfig.PortBindings` ask for (what the engine publishes), sorted by
    /// container port then protocol. A key with no bindings publishes on a random port of every address, as
    /// Docker does; `HostPort` may be empty or `0` (random), a port, or a range to pick from.
    ///
    /// Errors (`.invalidArgument`, path `HostConfig.PortBindings`) name the bad key or value.
    public static func specs(portBindings: [String: [PortBinding]]) throws(StackError) -> [PortSpec] {
        var specs: [PortSpec] = []
        for key in portBindings.keys.sorted() {
            let (port, proto) = try portKey(key, path: "HostConfig.PortBindings")
            let bindings = portBindings[key] ?? []
            for binding in bindings.isEmpty ? [PortBinding()] : bindings {
                var ip = binding.hostIP
                if ip.hasPrefix("["), ip.hasSuffix("]"), ip.count > 2 { ip = String(ip.dropFirst().dropLast()) }
                guard ip.isEmpty || IPAddress(ip) != nil else {
                    throw StackError(.invalidArgument, "invalid IP address \(binding.hostIP) for \(key)", path: "HostConfig.PortBindings")
                }
                var host: ClosedRange<UInt16>?
                if !binding.hostPort.isEmpty && binding.hostPort != "0" {
                    guard let range = portRange(binding.hostPort), range.lowerBound > 0 else {
                        throw StackError(
                            .invalidArgument, "invalid hostPort \(binding.hostPort) for \(key)", path: "HostConfig.PortBindings")
                    }
                    host = range
                }
                specs.append(PortSpec(containerPort: port...port, proto: proto, hostIP: ip, hostPort: host))
            }
        }
        return specs.sorted { ($0.containerPort.lowerBound, $0.proto) < ($1.containerPort.lowerBound, $1.proto) }
    }

    /// Splits a port key (`80/tcp`, `53/udp`; a bare `80` is tcp) into its port and protocol.
    ///
    /// `path` names the field in errors (`HostConfig.PortBindings`, `ExposedPorts`).
    public static func portKey(_ key: String, path: String = "ExposedPorts") throws(StackError) -> (port: UInt16, proto: String) {
        let (proto, portText) = splitProtoPort(key)
        guard let port = portText.isEmpty ? nil : portRange(portText), port.count == 1, port.lowerBound > 0 else {
            throw StackError(.invalidArgument, "invalid port \(key)", path: path)
        }
        let normalized = proto.lowercased()
        guard protocols.contains(normalized) else {
            throw StackError(.invalidArgument, "invalid proto in \(key)", path: path)
        }
        return (port.lowerBound, normalized)
    }

    /// `80` or `80-90`.
    static func format(_ range: ClosedRange<UInt16>) -> String {
        range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
    }

    /// `[ip:][hostPort:]containerPort`; an IPv6 address (bracketed or not) keeps its colons.
    static func splitParts(_ text: String) -> (ip: String, hostPort: String, container: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let count = parts.count
        switch count {
        case 1: return ("", "", parts[0])
        case 2: return ("", parts[0], parts[1])
        case 3: return (parts[0], parts[1], parts[2])
        default: return (parts[..<(count - 2)].joined(separator: ":"), parts[count - 2], parts[count - 1])
        }
    }

    /// `80/udp` → (`udp`, `80`); no protocol means `tcp`.
    static func splitProtoPort(_ text: String) -> (proto: String, port: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !text.isEmpty, !parts[0].isEmpty else { return ("", "") }
        if parts.count == 1 || parts[1].isEmpty { return ("tcp", parts[0]) }
        return (parts.count == 2 ? parts[1] : parts[1...].joined(separator: "/"), parts[0])
    }

    /// `80` → 80…80, `80-90` → 80…90; nil for anything else (signs, spaces, > 65535, start > end).
    static func portRange(_ text: String) -> ClosedRange<UInt16>? {
        let bounds = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let start = port(bounds[0]) else { return nil }
        guard bounds.count == 2 else { return start...start }
        guard let end = port(bounds[1]), start <= end else { return nil }
        return start...end
    }

    private static func port(_ text: Substring) -> UInt16? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return UInt16(text)
    }

    static func invalid(_ value: String, _ reason: String) -> StackError {
        RunFlagParsing.invalid(publishFlag, value, reason)
    }
}
