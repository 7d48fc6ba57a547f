import ContainerConfig
import StackAPI
import StackCore
import StackModel

extension ServiceRequests {
    /// `ports`, `expose`, `network_mode` and `networks`.
    ///
    /// With `network_mode`, `HostConfig.NetworkMode` is `host`, `none`, `bridge`, `container:<name>`
    /// (`service:x` is x's container number 1) or the value as written. Otherwise it is the engine
    /// name of the first network by Compose's order (highest `priority`, then key), and
    /// `NetworkingConfig.EndpointsConfig` attaches every network with its aliases (the container
    /// name, the service name, then the `aliases` given, as Compose) and static addresses.
    static func applyNetworking(
        _ service: DesiredService, containerName: String, to request: inout ContainerCreateRequest,
        host: inout HostConfig, desired: DesiredState
    ) throws(StackError) {
        let spec = service.service
        var exposed = Set<String>()
        for (index, entry) in spec.expose.enumerated() {
            do {
                exposed.formUnion(try PortSpecParsing.exposed(entry))
            } catch {
                throw invalid(spec.name, "expose[\(index)]", error)
            }
        }
        let bindings = try portBindings(spec)
        exposed.formUnion(bindings.keys)

        if let mode = spec.networkMode {
            switch mode {
            case .host:
                host.networkMode = "host"
            case .none:
                host.networkMode = "none"
            case .bridge:
                host.networkMode = "bridge"
            case .container(let name):
                host.networkMode = "container:\(name)"
            case .service(let name):
                guard let parent = desired.service(named: name) else {
                    throw StackError(
                        .invalidStackFile, "network_mode names an unknown service \"\(name)\"",
                        path: "services.\(spec.name).network_mode")
                }
                host.networkMode = "container:\(parent.containerName(number: 1))"
            case .custom(let text):
                guard RunFlagParsing.isValidNetworkMode(text) else {
                    throw StackError(
                        .invalidStackFile, "invalid network_mode \"\(text)\"", path: "services.\(spec.name).network_mode")
                }
                host.networkMode = text
            }
            switch mode {
            case .host:
                // The loader refuses published ports with the host's network; exposed ones are informational.
                request.exposedPorts = exposed.sorted()
            case .container, .service:
                if !spec.ports.isEmpty || !spec.expose.isEmpty {
                    throw StackError(
                        .invalidStackFile,
                        "ports and expose cannot be used with network_mode \(mode): the container shares another's network",
                        path: "services.\(spec.name).\(spec.ports.isEmpty ? "expose" : "ports")")
                }
            default:
                host.portBindings = bindings
                request.exposedPorts = exposed.sorted()
            }
            return
        }
        host.portBindings = bindings
        request.exposedPorts = exposed.sorted()

        let keys = networkOrder(spec)
        guard let primary = keys.first else { return }
        var endpoints: [String: EndpointSettings] = [:]
        for key in keys {
            let config = spec.networks[key] ?? ServiceNetwork()
            var aliases: [String] = []
            for alias in [containerName, spec.name] + config.aliases where !aliases.contains(alias) {
                aliases.append(alias)
            }
            var settings = EndpointSettings(aliases: aliases)
            if config.ipv4Address != nil || config.ipv6Address != nil {
                settings.ipamConfig = EndpointIPAMConfig(
                    ipv4Address: config.ipv4Address ?? "", ipv6Address: config.ipv6Address ?? "")
            }
            endpoints[engineName(ofNetwork: key, desired: desired)] = settings
        }
        host.networkMode = engineName(ofNetwork: primary, desired: desired)
        request.networkingConfig = NetworkingConfig(endpointsConfig: endpoints)
    }

    /// The service's network keys, highest `priority` first, then by key (Compose's order).
    static func networkOrder(_ spec: Service) -> [String] {
        spec.networks.keys.sorted { a, b in
            let pa = spec.networks[a]?.priority ?? 0
            let pb = spec.networks[b]?.priority ?? 0
            return pa != pb ? pa > pb : a < b
        }
    }

    /// A network key's engine name (`<project>_<key>`, or its `name:`).
    static func engineName(ofNetwork key: String, desired: DesiredState) -> String {
        desired.networks.first { $0.key == key }?.name ?? "\(desired.project)_\(key)"
    }

    /// `ports` as `HostConfig.PortBindings`: key `80/tcp`, one binding per entry (an empty
    /// `HostPort` lets the engine choose); checked with the engine's rules.
    static func portBindings(_ spec: Service) throws(StackError) -> [String: [PortBinding]] {
        var bindings: [String: [PortBinding]] = [:]
        for (index, port) in spec.ports.enumerated() {
            let key = "\(port.target)/\(port.protocol.rawValue)"
            let binding = PortBinding(hostIP: port.hostIP ?? "", hostPort: port.published?.description ?? "")
            do {
                _ = try PortSpecParsing.specs(portBindings: [key: [binding]])
            } catch {
                throw invalid(spec.name, "ports[\(index)]", error)
            }
            bindings[key, default: []].append(binding)
        }
        return bindings
    }
}
