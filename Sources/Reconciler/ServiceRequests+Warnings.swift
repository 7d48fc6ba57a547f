import StackCore
import StackModel

extension ServiceRequests {
    /// What the create requests leave out of `service` because the engine has no field for it yet,
    /// one warning per field (path `services.<name>.<field>`), in a fixed order. The containers
    /// still run, without it.
    public static func warnings(for service: DesiredService) -> [StackWarning] {
        let spec = service.service
        var warnings: [StackWarning] = []
        func ignored(_ field: String, _ isSet: Bool, _ why: String = "not supported by the engine yet; ignored") {
            if isSet { warnings.append(StackWarning(why, path: "services.\(spec.name).\(field)")) }
        }
        ignored("dns", !spec.dns.isEmpty)
        ignored("dns_search", !spec.dnsSearch.isEmpty)
        ignored("dns_opt", !spec.dnsOpt.isEmpty)
        ignored("extra_hosts", !spec.extraHosts.isEmpty)
        ignored("mac_address", spec.macAddress != nil)
        ignored("links", !spec.links.isEmpty, "links are not supported; services reach each other by name on shared networks")
        ignored("external_links", !spec.externalLinks.isEmpty)
        ignored("group_add", !spec.groupAdd.isEmpty)
        ignored("mem_swappiness", spec.memSwappiness != nil)
        ignored("ipc", spec.ipc != nil)
        ignored("pid", spec.pid != nil)
        ignored("uts", spec.uts != nil)
        ignored("userns_mode", spec.usernsMode != nil)
        ignored("cgroup", spec.cgroup != nil)
        ignored("cgroup_parent", spec.cgroupParent != nil)
        ignored("runtime", spec.runtime != nil)
        ignored("platform", spec.platform != nil)
        ignored("annotations", !spec.annotations.isEmpty)
        ignored("blkio_config.weight_device", spec.blkioConfig?.weightDevice.isEmpty == false)
        ignored("deploy.resources.reservations.cpus", spec.deploy?.resources?.reservations?.cpus != nil,
            "CPU reservations are a Swarm setting; ignored")
        if let policy = spec.deploy?.restartPolicy {
            ignored("deploy.restart_policy", spec.restart != nil && policy.restartPolicy != nil
                && policy.restartPolicy != spec.restart, "restart is set too and takes precedence")
        }
        if let driver = spec.logging?.driver, driver != "json-file" {
            ignored("logging.driver", true, "log driver \"\(driver)\" is not supported: the engine writes json-file logs")
        }
        for key in spec.networks.keys.sorted() {
            guard let network = spec.networks[key] else { continue }
            let field = "networks.\(key)"
            ignored(field + ".mac_address", network.macAddress != nil)
            ignored(field + ".link_local_ips", !network.linkLocalIPs.isEmpty)
            ignored(field + ".driver_opts", !network.driverOpts.isEmpty)
            ignored(field + ".gw_priority", network.gatewayPriority != 0,
                "not supported by the engine yet: the default route goes through the first network")
        }
        for (index, mount) in spec.volumes.enumerated() {
            ignored("volumes[\(index)].bind.selinux", mount.bind?.selinux != nil, "SELinux relabeling is not supported; ignored")
            ignored("volumes[\(index)].bind.recursive", mount.bind?.recursive != nil)
        }
        return warnings
    }
}
