import StackCore
import StackModel

/// Direct decoding of a service's nested values: ports, mounts, networks, dependencies,
/// healthcheck and deploy. Same contract as `ServiceDecoding`: nil means "let `Codable` decode
/// it"; every value returned equals the `Codable` result. Keys a type does not know are ignored,
/// as its keyed `Codable` container ignores them.
enum ServicePartsDecoding {
    private typealias R = DirectNodeReading

    // MARK: Ports

    /// `ports:` (`value(or: [])`): a sequence of long-syntax port mappings.
    static func ports(_ node: Node) -> [PortMapping]? {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.kind else { return nil }
        var ports: [PortMapping] = []
        ports.reserveCapacity(items.count)
        for index in items.indices {
            guard let port = port(items[index]) else { return nil }
            ports.append(port)
        }
        return ports
    }

    /// One port as `PortMapping.init(from:)` reads it.
    private static func port(_ node: Node) -> PortMapping? {
        guard case .mapping(let entries) = node.kind else { return nil }
        var target: UInt16?
        var port = PortMapping(target: 0)
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "target":
                guard let number = R.integer(value, as: UInt16.self) else { return nil }
                target = number
            case "published":
                guard let text = R.optionalText(value) else { return nil }
                if let text, !text.isEmpty {
                    guard let range = PortRange(parsing: text) else { return nil }
                    port.published = range.isEmptyRange ? nil : range
                } else {
                    port.published = nil
                }
            case "host_ip":
                guard let text = R.optionalText(value) else { return nil }
                port.hostIP = text == "" ? nil : text
            case "protocol":
                guard let value = R.enumValue(value, or: PortProtocol.tcp) else { return nil }
                port.protocol = value
            case "mode":
                guard let value = R.enumValue(value, or: PortMode.ingress) else { return nil }
                port.mode = value
            case "name":
                guard let text = R.optionalText(value) else { return nil }
                port.name = text
            case "app_protocol":
                guard let text = R.optionalText(value) else { return nil }
                port.appProtocol = text
            default: continue
            }
        }
        guard let target else { return nil }
        port.target = target
        return port
    }

    // MARK: Mounts

    /// `volumes:` (`value(or: [])`): a sequence of long-syntax mounts.
    static func mounts(_ node: Node) -> [ServiceMount]? {
        if node.isNull { return [] }
        guard case .sequence(let items) = node.kind else { return nil }
        var mounts: [ServiceMount] = []
        mounts.reserveCapacity(items.count)
        for index in items.indices {
            guard let mount = mount(items[index]) else { return nil }
            mounts.append(mount)
        }
        return mounts
    }

    /// One mount as `ServiceMount.init(from:)` reads it; tmpfs and image options go to `Codable`.
    private static func mount(_ node: Node) -> ServiceMount? {
        guard case .mapping(let entries) = node.kind else { return nil }
        var type: ServiceMount.Kind?
        var target: String?
        var mount = ServiceMount(type: .volume, target: "")
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "type":
                guard let kind = R.enumValue(value, as: ServiceMount.Kind.self) else { return nil }
                type = kind
            case "source":
                guard let text = R.optionalText(value) else { return nil }
                mount.source = text == "" ? nil : text
            case "target":
                guard let text = R.text(value) else { return nil }
                target = text
            case "read_only":
                guard let flag = R.bool(value, or: false) else { return nil }
                mount.readOnly = flag
            case "consistency":
                guard let text = R.optionalText(value) else { return nil }
                mount.consistency = text
            case "bind":
                guard let options = optionalBindOptions(value) else { return nil }
                mount.bind = options
            case "volume":
                guard let options = optionalVolumeOptions(value) else { return nil }
                mount.volume = options
            case "tmpfs", "image":
                guard value.isNull else { return nil }
            default: continue
            }
        }
        guard let type, let target else { return nil }
        mount.type = type
        mount.target = target
        return mount
    }

    private static func optionalBindOptions(_ node: Node) -> BindOptions?? {
        switch node.kind {
        case .scalar(.null): return .some(nil)
        case .mapping(let entries):
            var options = BindOptions()
            for index in entries.indices {
                let value = entries[index].value
                switch entries[index].key {
                case "create_host_path":
                    guard let flag = R.bool(value, or: false) else { return nil }
                    options.createHostPath = flag
                case "propagation":
                    guard let mode = R.optionalEnum(value, as: BindOptions.Propagation.self) else { return nil }
                    options.propagation = mode
                case "selinux":
                    guard let mode = R.optionalEnum(value, as: BindOptions.SELinux.self) else { return nil }
                    options.selinux = mode
                case "recursive":
                    guard let text = R.optionalText(value) else { return nil }
                    options.recursive = text
                default: continue
                }
            }
            return .some(options)
        default: return nil
        }
    }

    private static func optionalVolumeOptions(_ node: Node) -> VolumeOptions?? {
        switch node.kind {
        case .scalar(.null): return .some(nil)
        case .mapping(let entries):
            var options = VolumeOptions()
            for index in entries.indices {
                let value = entries[index].value
                switch entries[index].key {
                case "nocopy":
                    guard let flag = R.bool(value, or: false) else { return nil }
                    options.nocopy = flag
                case "subpath":
                    guard let text = R.optionalText(value) else { return nil }
                    options.subpath = text
                default: continue
                }
            }
            return .some(options)
        default: return nil
        }
    }

    // MARK: Networks and dependencies

    /// `networks:` (`[String: ServiceNetwork?]`, null attachments read as defaults).
    static func networks(_ node: Node) -> [String: ServiceNetwork]? {
        let entries: [Node.Entry]
        switch node.kind {
        case .scalar(.null): return [:]
        case .mapping(let list): entries = list
        default: return nil
        }
        var networks: [String: ServiceNetwork] = [:]
        networks.reserveCapacity(entries.count)
        for index in entries.indices {
            // A repeated key reads its first value in `Codable`; leave that to it.
            guard networks[entries[index].key] == nil else { return nil }
            let value = entries[index].value
            if value.isNull {
                networks[entries[index].key] = ServiceNetwork()
            } else if let network = network(value) {
                networks[entries[index].key] = network
            } else {
                return nil
            }
        }
        return networks
    }

    /// One attachment as `ServiceNetwork.init(from:)` reads it.
    private static func network(_ node: Node) -> ServiceNetwork? {
        guard case .mapping(let entries) = node.kind else { return nil }
        var network = ServiceNetwork()
        for index in entries.indices {
            let value = entries[index].value
            switch entries[index].key {
            case "aliases":
                guard let list = R.stringList(orEmpty: value) else { return nil }
                network.aliases = list
            case "ipv4_address":
                guard let text = R.optionalText(value) else { return nil }
                network.ipv4Address = text
            case "ipv6_address":
                guard let text = R.optionalText(value) else { return nil }
                network.ipv6Address = text
            case "link_local_ips":
                guard let list = R.stringList(orEmpty: value) else { return nil }
                network.linkLocalIPs = list
            case "mac_address":
                guard let text = R.optionalText(value) else { return nil }
                network.macAddress = text
            case "priority":
                guard let number = value.isNull ? 0 : R.integer(value, as: Int.self) else { return nil }
                network.priority = number
            case "gw_priority":
                guard let number = value.isNull ? 0 : R.integer(value, as: Int.self) else { return nil }
                network.gatewayPriority = number
            case "driver_opts":
                guard let map = R.stringMap(value) else { return nil }
                network.driverOpts = map
            default: continue
            }
        }
        return network
    }

    /// `depends_on:` (`[String: Dependency]`; a null entry reads as the defaults).
    static func dependencies(_ node: Node) -> [String: Dependency]? {
        let entries: [Node.Entry]
        switch node.kind {
        case .scalar(.null): return [:]
        case .mapping(let list): entries = list
        default: return nil
        }
        var dependencies: [String: Dependency] = [:]
        dependencies.reserveCapacity(entries.count)
        for index in entries.indices {
            guard dependencies[entries[index].key] == nil,
                let dependency = dependency(entries[index].value)
            else { return nil }
            dependencies[entries[index].key] = dependency
        }
        return dependencies
    }

    private static func dependency(_ node: Node) -> Dependency? {
        var dependency = Dependency()
        switch node.kind {
        case .scalar(.null): return dependency
        case .mapping(let entries):
            for index in entries.indices {
                let value = entries[index].value
                switch entries[index].key {
                case "condition":
                    guard let condition = R.enumValue(value, or: Dependency.Condition.serviceStarted) else { return nil }
                    dependency.condition = condition
                case "required":
                    guard let flag = R.bool(value, or: true) else { return nil }
                    dependency.required = flag
                case "restart":
                    guard let flag = R.bool(value, or: false) else { return nil }
                    dependency.restart = flag
                default: continue
                }
            }
            return dependency
        default: return nil
        }
    }
}

extension PortRange {
    /// The "not set" range that `PortMapping` turns into nil.
    fileprivate var isEmptyRange: Bool { start == 0 && end == 0 }
}
