import StackCore

/// Canonicalizes one service mapping, key by key. Keys it does not know (including `x-*`
/// extensions) are kept as they are.
enum ServiceSyntax {
    static func canonicalize(_ service: Node, _ path: NodePath) throws(StackError) -> Node {
        guard service.isMapping else { return service }
        return try service.mapValues(path) { (value, valuePath) throws(StackError) in
            try field(valuePath.lastKey ?? "", value, valuePath)
        }
    }

    /// The long form of the value of service key `key`.
    static func field(_ key: String, _ value: Node, _ path: NodePath) throws(StackError) -> Node {
        switch key {
        case "ports": return try PortSyntax.canonicalize(value, path)
        case "volumes": return try VolumeSyntax.canonicalize(value, path)
        case "expose", "group_add": return try Coerce.stringList(value, path)
        case "dns", "dns_search", "tmpfs", "label_file": return try Coerce.stringList(value, path)
        case "environment": return try KeyValueSyntax.environment(value, path)
        case "labels", "annotations", "sysctls": return try KeyValueSyntax.labels(value, path)
        case "extra_hosts": return try KeyValueSyntax.extraHosts(value, path)
        case "storage_opt": return try KeyValueSyntax.options(value, path)
        case "env_file": return try ServiceFields.envFiles(value, path)
        case "depends_on": return try ServiceFields.dependsOn(value, path)
        case "networks": return try ServiceFields.networks(value, path)
        case "models": return try ServiceFields.namesToMapping(value, path)
        case "command", "entrypoint": return try ServiceFields.command(value, path)
        case "healthcheck": return try ServiceFields.healthcheck(value, path)
        case "ulimits": return try ServiceFields.ulimits(value, path)
        case "logging": return try ServiceFields.logging(value, path)
        case "extends": return try ServiceFields.wrapString(value, path, key: "service")
        case "secrets", "configs": return try value.mapItems(path, ServiceFields.fileMount)
        case "devices": return try value.mapItems(path, ServiceFields.device)
        case "gpus": return try ResourceSyntax.gpus(value, path)
        case "build": return try BuildSyntax.canonicalize(value, path)
        case "deploy": return try ResourceSyntax.deploy(value, path)
        case "blkio_config": return try ResourceSyntax.blkio(value, path)
        case "pre_start", "post_start", "pre_stop": return try value.mapItems(path, ServiceFields.hook)
        case "develop": return try ServiceFields.develop(value, path)
        case "stop_grace_period": return try Coerce.duration(value, path)
        case "mem_limit", "mem_reservation", "memswap_limit", "shm_size": return try Coerce.bytes(value, path)
        case "cpus", "cpu_percent": return try Coerce.float(value, path)
        case "cpu_count", "cpu_period", "cpu_quota", "cpu_rt_period", "cpu_rt_runtime", "cpu_shares",
            "mem_swappiness", "oom_score_adj", "pids_limit", "scale":
            return try Coerce.int(value, path)
        case "attach", "init", "oom_kill_disable", "privileged", "read_only", "stdin_open", "tty",
            "use_api_socket":
            return try Coerce.bool(value, path)
        default: return value
        }
    }
}
