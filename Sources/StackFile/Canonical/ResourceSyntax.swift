import StackCore

/// `deploy`, `blkio_config` and `gpus`: numbers, byte sizes and durations normalized.
enum ResourceSyntax {
    static func deploy(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard node.isMapping else { return node }
        var deploy = node
        try deploy.update("replicas", path, Coerce.int)
        try deploy.update("labels", path, KeyValueSyntax.labels)
        for key in ["update_config", "rollback_config"] {
            try deploy.update(key, path) { (config, configPath) throws(StackError) in
                var config = config
                try config.update("parallelism", configPath, Coerce.int)
                try config.update("delay", configPath, Coerce.duration)
                try config.update("monitor", configPath, Coerce.duration)
                try config.update("max_failure_ratio", configPath, Coerce.float)
                return config
            }
        }
        try deploy.update("resources", path) { (resources, resourcesPath) throws(StackError) in
            var resources = resources
            try resources.update("limits", resourcesPath, resource)
            try resources.update("reservations", resourcesPath, resource)
            return resources
        }
        try deploy.update("restart_policy", path) { (policy, policyPath) throws(StackError) in
            var policy = policy
            try policy.update("delay", policyPath, Coerce.duration)
            try policy.update("window", policyPath, Coerce.duration)
            try policy.update("max_attempts", policyPath, Coerce.int)
            return policy
        }
        try deploy.update("placement", path) { (placement, placementPath) throws(StackError) in
            var placement = placement
            try placement.update("max_replicas_per_node", placementPath, Coerce.int)
            return placement
        }
        return deploy
    }

    /// `deploy.resources.limits` / `.reservations`.
    private static func resource(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var resource = node
        try resource.update("cpus", path, Coerce.float)
        try resource.update("memory", path) { (memory, memoryPath) throws(StackError) in
            try Coerce.bytes(memory, memoryPath)
        }
        try resource.update("pids", path, Coerce.int)
        try resource.update("devices", path) { (devices, devicesPath) throws(StackError) in
            try devices.mapItems(devicesPath, deviceRequest)
        }
        try resource.update("generic_resources", path) { (list, listPath) throws(StackError) in
            try list.mapItems(listPath) { (item, itemPath) throws(StackError) in
                var item = item
                try item.update("discrete_resource_spec", itemPath) { (spec, specPath) throws(StackError) in
                    var spec = spec
                    try spec.update("value", specPath, Coerce.int)
                    return spec
                }
                return item
            }
        }
        return resource
    }

    /// A device request (`deploy.resources.reservations.devices[]`, `gpus[]`): `count` is an
    /// integer or the string `all`.
    private static func deviceRequest(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        var request = node
        try request.update("count", path) { (count, countPath) throws(StackError) in
            if let text = count.string, text.lowercased() == "all" { return count.replacing(string: "all") }
            return try Coerce.int(count, countPath)
        }
        try request.update("options", path, KeyValueSyntax.labels)
        for key in ["capabilities", "device_ids"] { try request.update(key, path, Coerce.stringList) }
        return request
    }

    /// `gpus`: the string form (`all`) requests every GPU: `[{count: all}]`.
    static func gpus(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        switch node.kind {
        case .scalar(.string):
            return node.replacing(.sequence([.mapping([node.entry("count", node.stringNode("all"))], node.mark)]))
        case .sequence:
            return try node.mapItems(path, deviceRequest)
        default:
            return node
        }
    }

    /// `blkio_config`: weights as integers, rates as integers (byte units accepted).
    static func blkio(_ node: Node, _ path: NodePath) throws(StackError) -> Node {
        guard node.isMapping else { return node }
        var blkio = node
        try blkio.update("weight", path, Coerce.int)
        try blkio.update("weight_device", path) { (list, listPath) throws(StackError) in
            try list.mapItems(listPath) { (item, itemPath) throws(StackError) in
                var item = item
                try item.update("weight", itemPath, Coerce.int)
                return item
            }
        }
        for key in ["device_read_bps", "device_write_bps", "device_read_iops", "device_write_iops"] {
            try blkio.update(key, path) { (list, listPath) throws(StackError) in
                try list.mapItems(listPath) { (item, itemPath) throws(StackError) in
                    var item = item
                    try item.update("rate", itemPath) { (rate, ratePath) throws(StackError) in
                        try Coerce.bytes(rate, ratePath)
                    }
                    return item
                }
            }
        }
        return blkio
    }
}
