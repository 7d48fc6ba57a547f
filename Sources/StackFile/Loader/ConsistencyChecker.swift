import StackCore

/// Semantic checks on the merged, normalized tree: everything that the schema cannot say.
/// Every error names the service and the position of the offending value.
struct ConsistencyChecker {
    func check(_ root: Node, warnings: inout [StackWarning]) throws(StackError) {
        let services = root["services"]?.entries ?? []
        let serviceNames = Set(services.map(\.key))
        let networks = Set(root["networks"]?.entries?.map(\.key) ?? [])
        let volumes = Set(root["volumes"]?.entries?.map(\.key) ?? [])
        let secrets = Set(root["secrets"]?.entries?.map(\.key) ?? [])
        let configs = Set(root["configs"]?.entries?.map(\.key) ?? [])
        var containerNames: [String: String] = [:]

        for entry in services {
            let name = entry.key
            let service = entry.value
            let path = NodePath.root / "services" / name
            func fail(_ message: String, _ node: Node?, _ sub: NodePath? = nil) -> StackError {
                StackError(.invalidStackFile, message, mark: node?.mark ?? entry.keyMark, path: (sub ?? path).description)
            }

            if service["image"] == nil && service["build"] == nil {
                throw StackError(
                    .invalidStackFile, "service \"\(name)\" has neither an image nor a build context specified",
                    mark: entry.keyMark, path: path.description)
            }
            for dependency in service["depends_on"]?.entries ?? [] where !serviceNames.contains(dependency.key) {
                if dependency.value["required"]?.scalar == .bool(false) {
                    warnings.append(
                        StackWarning(
                            "service \"\(name)\" depends on undefined service \"\(dependency.key)\" (required: false, ignored)",
                            mark: dependency.keyMark, path: (path / "depends_on" / dependency.key).description))
                    continue
                }
                throw StackError(
                    .invalidStackFile, "service \"\(name)\" depends on undefined service \"\(dependency.key)\"",
                    mark: dependency.keyMark, path: (path / "depends_on" / dependency.key).description)
            }
            if let mode = service["network_mode"] {
                let text = mode.scalarText ?? ""
                if let networksNode = service["networks"], networksNode.entries?.isEmpty == false {
                    throw fail(
                        "service \"\(name)\" declares mutually exclusive `network_mode` and `networks`", networksNode,
                        path / "networks")
                }
                if text.hasPrefix("service:") {
                    let target = String(text.dropFirst("service:".count))
                    if !serviceNames.contains(target) {
                        throw fail(
                            "service \"\(name)\" depends on undefined service \"\(target)\" (network_mode)", mode,
                            path / "network_mode")
                    }
                } else if !["none", "host", "bridge", "default"].contains(text) && !text.hasPrefix("container:") {
                    if !networks.contains(text) {
                        throw fail(
                            "invalid network_mode \"\(text)\": use none, host, bridge, service:NAME, container:NAME or a declared network",
                            mode, path / "network_mode")
                    }
                }
                if (text == "host" || text == "none"), let ports = service["ports"], ports.items?.isEmpty == false {
                    throw fail("service \"\(name)\" publishes ports, which network_mode: \(text) cannot do", ports, path / "ports")
                }
            }
            for ns in ["ipc", "pid"] {
                if let value = service[ns]?.scalarText, value.hasPrefix("service:") {
                    let target = String(value.dropFirst("service:".count))
                    if !serviceNames.contains(target) {
                        throw fail("service \"\(name)\" depends on undefined service \"\(target)\" (\(ns))", service[ns], path / ns)
                    }
                }
            }
            for (index, item) in (service["volumes_from"]?.items ?? []).enumerated() {
                guard let text = item.scalarText else { continue }
                if text.hasPrefix("container:") { continue }
                let target = String(text.split(separator: ":").first ?? "")
                if !serviceNames.contains(target) {
                    throw fail(
                        "service \"\(name)\" depends on undefined service \"\(target)\" (volumes_from)", item,
                        path / "volumes_from" / index)
                }
                let modes = text.split(separator: ":").dropFirst()
                if let mode = modes.first, mode != "ro" && mode != "rw" {
                    throw fail("volumes_from \"\(text)\": mode must be ro or rw", item, path / "volumes_from" / index)
                }
            }
            for network in service["networks"]?.entries ?? [] where !networks.contains(network.key) {
                throw StackError(
                    .invalidStackFile, "service \"\(name)\" refers to undefined network \"\(network.key)\"",
                    mark: network.keyMark, path: (path / "networks" / network.key).description)
            }
            try checkNetworkAddresses(service, path: path, root: root)
            for (index, mount) in (service["volumes"]?.items ?? []).enumerated() {
                guard mount["type"]?.scalarText == "volume", let source = mount["source"]?.scalarText, !source.isEmpty
                else { continue }
                if !volumes.contains(source) {
                    throw fail(
                        "service \"\(name)\" refers to undefined volume \"\(source)\": declare it under the top-level volumes",
                        mount["source"], path / "volumes" / index / "source")
                }
            }
            for (kind, known) in [("secrets", secrets), ("configs", configs)] {
                for (index, reference) in (service[kind]?.items ?? []).enumerated() {
                    guard let source = reference["source"]?.scalarText ?? reference.scalarText else { continue }
                    if !known.contains(source) {
                        throw fail(
                            "service \"\(name)\" refers to undefined \(kind.dropLast()) \"\(source)\"", reference,
                            path / kind / index)
                    }
                }
            }
            if let restart = service["restart"] {
                try checkRestart(restart, path: path / "restart")
            }
            let replicas = service["deploy"]?["replicas"]?.scalar
            if let scale = service["scale"]?.scalar, let replicas, scale != replicas {
                throw fail(
                    "service \"\(name)\": scale (\(scale.text)) and deploy.replicas (\(replicas.text)) disagree",
                    service["scale"], path / "scale")
            }
            if let containerName = service["container_name"]?.scalarText {
                if let other = containerNames[containerName] {
                    throw fail(
                        "services \"\(other)\" and \"\(name)\" have the same container_name \"\(containerName)\"",
                        service["container_name"], path / "container_name")
                }
                containerNames[containerName] = name
                if case .int(let count)? = replicas ?? service["scale"]?.scalar, count > 1 {
                    throw fail(
                        "service \"\(name)\" sets container_name, so it cannot run \(count) replicas",
                        service["container_name"], path / "container_name")
                }
            }
        }
        try checkDependencyCycles(services)
        try checkTopLevel(root)
    }

    private func checkRestart(_ node: Node, path: NodePath) throws(StackError) {
        let text = node.scalarText ?? ""
        switch text {
        case "no", "always", "unless-stopped", "on-failure": return
        default:
            if text.hasPrefix("on-failure:"), let count = Int(text.dropFirst("on-failure:".count)), count >= 0 { return }
            throw StackError(
                .invalidStackFile,
                "invalid restart policy \"\(text)\": use no, always, unless-stopped, on-failure or on-failure:N",
                mark: node.mark, path: path.description)
        }
    }

    private func checkNetworkAddresses(_ service: Node, path: NodePath, root: Node) throws(StackError) {
        for network in service["networks"]?.entries ?? [] {
            for key in ["ipv4_address", "ipv6_address"] {
                guard let node = network.value[key], let text = node.scalarText else { continue }
                let at = path / "networks" / network.key / key
                guard let ip = IPAddress(text), ip.isIPv4 == (key == "ipv4_address") else {
                    throw StackError(
                        .invalidStackFile, "\(key) \"\(text)\" is not a valid IP\(key == "ipv4_address" ? "v4" : "v6") address",
                        mark: node.mark, path: at.description)
                }
                let subnets = (root["networks"]?[network.key]?["ipam"]?["config"]?.items ?? [])
                    .compactMap { $0["subnet"]?.scalarText }.compactMap(CIDR.init)
                    .filter { $0.address.isIPv4 == ip.isIPv4 }
                if subnets.isEmpty {
                    throw StackError(
                        .invalidStackFile,
                        "\(key) \(text) needs a subnet: declare networks.\(network.key).ipam.config with a subnet (as Docker requires for static addresses)",
                        mark: node.mark, path: at.description)
                }
                if !subnets.contains(where: { $0.contains(ip) }) {
                    throw StackError(
                        .invalidStackFile,
                        "\(key) \(text) is outside the subnets of network \(network.key) (\(subnets.map(\.description).joined(separator: ", ")))",
                        mark: node.mark, path: at.description)
                }
            }
        }
    }

    private func checkDependencyCycles(_ services: [Node.Entry]) throws(StackError) {
        var graph: [String: [String]] = [:]
        var marks: [String: SourceMark] = [:]
        for entry in services {
            graph[entry.key] = (entry.value["depends_on"]?.entries ?? []).map(\.key)
            marks[entry.key] = entry.keyMark
        }
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ name: String) throws(StackError) {
            if state[name] == 2 { return }
            if state[name] == 1 {
                let start = stack.firstIndex(of: name) ?? 0
                let cycle = stack[start...] + [name]
                throw StackError(
                    .invalidStackFile, "dependency cycle detected: \(cycle.joined(separator: " -> "))",
                    mark: marks[name], path: "services.\(name).depends_on")
            }
            state[name] = 1
            stack.append(name)
            for next in graph[name] ?? [] where graph[next] != nil { try visit(next) }
            stack.removeLast()
            state[name] = 2
        }
        for entry in services { try visit(entry.key) }
    }

    private func checkTopLevel(_ root: Node) throws(StackError) {
        for section in ["networks", "volumes"] {
            for entry in root[section]?.entries ?? [] {
                let value = entry.value
                guard value["external"]?.scalar == .bool(true) else { continue }
                for key in ["driver", "driver_opts", "ipam", "internal"] where value[key] != nil {
                    throw StackError(
                        .invalidStackFile, "conflicting parameters \"external\" and \"\(key)\" specified",
                        mark: value.entry(key)?.keyMark, path: "\(section).\(entry.key)")
                }
            }
        }
        for entry in root["networks"]?.entries ?? [] {
            for (index, config) in (entry.value["ipam"]?["config"]?.items ?? []).enumerated() {
                let at = NodePath.root / "networks" / entry.key / "ipam" / "config" / index
                var subnet: CIDR?
                if let node = config["subnet"], let text = node.scalarText {
                    guard let cidr = CIDR(text) else {
                        throw StackError(.invalidStackFile, "invalid subnet \"\(text)\": expected CIDR notation such as 172.28.0.0/16", mark: node.mark, path: (at / "subnet").description)
                    }
                    subnet = cidr
                }
                for key in ["gateway", "ip_range"] {
                    guard let node = config[key], let text = node.scalarText else { continue }
                    let ip = key == "gateway" ? IPAddress(text) : CIDR(text)?.address
                    guard let ip else {
                        throw StackError(.invalidStackFile, "invalid \(key) \"\(text)\"", mark: node.mark, path: (at / key).description)
                    }
                    if let subnet, !subnet.contains(ip) {
                        throw StackError(.invalidStackFile, "\(key) \(text) is outside subnet \(subnet)", mark: node.mark, path: (at / key).description)
                    }
                }
            }
        }
    }
}
