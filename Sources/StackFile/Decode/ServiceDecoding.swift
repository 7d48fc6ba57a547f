import StackCore
import StackModel

/// Decodes a canonical service node straight into a `Service`, without `Codable`'s containers,
/// coding paths and dynamic casts: the common fields read directly from the node.
///
/// This is a fast path, not a second definition of the model: it returns nil for any key it
/// does not handle and for any value the `Codable` path would reject or read differently, and
/// the caller then decodes that service with `Service.init(from:)`, which gives the result or the
/// exact error. For every service it accepts, the result equals what `Codable` decodes.
enum ServiceDecoding {
    private typealias R = DirectNodeReading

    /// The service called `name` from its canonical mapping, or nil when `Codable` must decode it.
    static func service(_ node: Node, name: String) -> Service? {
        var service = Service(name: name)
        switch node.kind {
        case .mapping(let entries):
            for index in entries.indices {
                guard read(entries[index].key, entries[index].value, into: &service) else { return nil }
            }
        case .scalar(.null): break
        default: return nil
        }
        return service
    }

    /// Sets the field `key` from `value`; false when the field is not one this path handles or
    /// the value is not in a shape it handles.
    private static func read(_ key: String, _ value: Node, into service: inout Service) -> Bool {
        switch key {
        case "image": return set(&service.image, R.optionalText(value))
        case "command": return set(&service.command, R.optionalStringList(value))
        case "entrypoint": return set(&service.entrypoint, R.optionalStringList(value))
        case "environment": return set(&service.environment, R.optionalStringMap(value))
        case "labels": return set(&service.labels, R.stringMap(value))
        case "annotations": return set(&service.annotations, R.stringMap(value))
        case "sysctls": return set(&service.sysctls, R.stringMap(value))
        case "restart": return setRestart(&service.restart, value)
        case "healthcheck": return set(&service.healthcheck, ServicePartsDecoding.optionalHealthCheck(value))
        case "ports": return set(&service.ports, ServicePartsDecoding.ports(value))
        case "volumes": return set(&service.volumes, ServicePartsDecoding.mounts(value))
        case "networks": return set(&service.networks, ServicePartsDecoding.networks(value))
        case "depends_on": return set(&service.dependsOn, ServicePartsDecoding.dependencies(value))
        case "deploy": return set(&service.deploy, ServicePartsDecoding.optionalDeploy(value))
        default: return readSimple(key, value, into: &service)
        }
    }

    /// The scalar, list and flag fields.
    private static func readSimple(_ key: String, _ value: Node, into service: inout Service) -> Bool {
        switch key {
        case "working_dir": return set(&service.workingDir, R.optionalText(value))
        case "user": return set(&service.user, R.optionalText(value))
        case "stop_signal": return set(&service.stopSignal, R.optionalText(value))
        case "container_name": return set(&service.containerName, R.optionalText(value))
        case "hostname": return set(&service.hostname, R.optionalText(value))
        case "domainname": return set(&service.domainname, R.optionalText(value))
        case "platform": return set(&service.platform, R.optionalText(value))
        case "runtime": return set(&service.runtime, R.optionalText(value))
        case "mac_address": return set(&service.macAddress, R.optionalText(value))
        case "cpuset": return set(&service.cpuset, R.optionalText(value))
        case "ipc": return set(&service.ipc, R.optionalText(value))
        case "pid": return set(&service.pid, R.optionalText(value))
        case "uts": return set(&service.uts, R.optionalText(value))
        case "userns_mode": return set(&service.usernsMode, R.optionalText(value))
        case "cgroup": return set(&service.cgroup, R.optionalText(value))
        case "cgroup_parent": return set(&service.cgroupParent, R.optionalText(value))
        case "group_add": return set(&service.groupAdd, R.stringList(orEmpty: value))
        case "profiles": return set(&service.profiles, R.stringList(orEmpty: value))
        case "expose": return set(&service.expose, R.stringList(orEmpty: value))
        case "dns": return set(&service.dns, R.stringList(orEmpty: value))
        case "dns_search": return set(&service.dnsSearch, R.stringList(orEmpty: value))
        case "dns_opt": return set(&service.dnsOpt, R.stringList(orEmpty: value))
        case "links": return set(&service.links, R.stringList(orEmpty: value))
        case "external_links": return set(&service.externalLinks, R.stringList(orEmpty: value))
        case "tmpfs": return set(&service.tmpfs, R.stringList(orEmpty: value))
        case "cap_add": return set(&service.capAdd, R.stringList(orEmpty: value))
        case "cap_drop": return set(&service.capDrop, R.stringList(orEmpty: value))
        case "security_opt": return set(&service.securityOpt, R.stringList(orEmpty: value))
        case "init": return set(&service.useInit, R.optionalBool(value))
        case "oom_kill_disable": return set(&service.oomKillDisable, R.optionalBool(value))
        case "tty": return set(&service.tty, R.bool(value, or: false))
        case "stdin_open": return set(&service.stdinOpen, R.bool(value, or: false))
        case "read_only": return set(&service.readOnly, R.bool(value, or: false))
        case "privileged": return set(&service.privileged, R.bool(value, or: false))
        case "scale": return set(&service.scale, R.optionalInteger(value, as: Int.self))
        case "mem_swappiness": return set(&service.memSwappiness, R.optionalInteger(value, as: Int.self))
        case "oom_score_adj": return set(&service.oomScoreAdj, R.optionalInteger(value, as: Int.self))
        case "cpu_shares": return set(&service.cpuShares, R.optionalInteger(value, as: Int64.self))
        case "cpu_quota": return set(&service.cpuQuota, R.optionalInteger(value, as: Int64.self))
        case "cpu_period": return set(&service.cpuPeriod, R.optionalInteger(value, as: Int64.self))
        case "pids_limit": return set(&service.pidsLimit, R.optionalInteger(value, as: Int64.self))
        case "cpus": return set(&service.cpus, R.optionalDouble(value))
        case "mem_limit": return set(&service.memLimit, R.byteSize(value))
        case "mem_reservation": return set(&service.memReservation, R.byteSize(value))
        case "memswap_limit": return set(&service.memswapLimit, R.byteSize(value))
        case "shm_size": return set(&service.shmSize, R.byteSize(value))
        case "stop_grace_period": return set(&service.stopGracePeriod, R.duration(value))
        default: return false
        }
    }

    /// `restart:` as `RestartPolicy.init(from:)` reads it.
    private static func setRestart(_ field: inout RestartPolicy?, _ value: Node) -> Bool {
        if value.isNull {
            field = nil
            return true
        }
        guard let text = R.text(value), let policy = RestartPolicy(parsing: text) else { return false }
        field = policy
        return true
    }

    /// Stores `value` when the reader produced one.
    private static func set<T>(_ field: inout T, _ value: T?) -> Bool {
        guard let value else { return false }
        field = value
        return true
    }
}
