extension Service {
    enum CodingKeys: String, CodingKey {
        case image, build, command, entrypoint, environment, user, tty, healthcheck, restart, hostname, domainname
        case labels, annotations, profiles, platform, runtime, ports, expose, networks, dns, links, volumes, tmpfs
        case secrets, configs, deploy, scale, develop, cpus, cpuset, ulimits, devices, privileged, sysctls, ipc, pid
        case uts, cgroup, logging
        case useInit = "init"
        case pullPolicy = "pull_policy"
        case envFiles = "env_file"
        case workingDir = "working_dir"
        case groupAdd = "group_add"
        case stdinOpen = "stdin_open"
        case stopSignal = "stop_signal"
        case stopGracePeriod = "stop_grace_period"
        case postStart = "post_start"
        case preStop = "pre_stop"
        case containerName = "container_name"
        case networkMode = "network_mode"
        case dnsSearch = "dns_search"
        case dnsOpt = "dns_opt"
        case extraHosts = "extra_hosts"
        case macAddress = "mac_address"
        case externalLinks = "external_links"
        case volumesFrom = "volumes_from"
        case readOnly = "read_only"
        case shmSize = "shm_size"
        case dependsOn = "depends_on"
        case memLimit = "mem_limit"
        case memReservation = "mem_reservation"
        case memswapLimit = "memswap_limit"
        case memSwappiness = "mem_swappiness"
        case cpuShares = "cpu_shares"
        case cpuQuota = "cpu_quota"
        case cpuPeriod = "cpu_period"
        case blkioConfig = "blkio_config"
        case pidsLimit = "pids_limit"
        case oomScoreAdj = "oom_score_adj"
        case oomKillDisable = "oom_kill_disable"
        case capAdd = "cap_add"
        case capDrop = "cap_drop"
        case securityOpt = "security_opt"
        case usernsMode = "userns_mode"
        case cgroupParent = "cgroup_parent"
    }


    /// Decodes the canonical (long-syntax) form of a service. The name is the last key of the
    /// decoder's coding path (the key under `services:`). Only the keys present are decoded, so
    /// a service costs what it declares, not what the model could hold.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(name: decoder.codingPath.last?.stringValue ?? "")
        for key in c.allKeys {
            switch key {
            case .image: image = try c.optional(.image)
            case .build: build = try c.optional(.build)
            case .pullPolicy: pullPolicy = try c.optional(.pullPolicy)
            case .command: command = try c.optional(.command)
            case .entrypoint: entrypoint = try c.optional(.entrypoint)
            case .environment: environment = try c.value(.environment, or: [:])
            case .envFiles: envFiles = try c.value(.envFiles, or: [])
            case .workingDir: workingDir = try c.optional(.workingDir)
            case .user: user = try c.optional(.user)
            case .groupAdd: groupAdd = try c.value(.groupAdd, or: [])
            case .useInit: useInit = try c.optional(.useInit)
            case .tty: tty = try c.value(.tty, or: false)
            case .stdinOpen: stdinOpen = try c.value(.stdinOpen, or: false)
            case .stopSignal: stopSignal = try c.optional(.stopSignal)
            case .stopGracePeriod: stopGracePeriod = try c.duration(.stopGracePeriod)
            case .healthcheck: healthcheck = try c.optional(.healthcheck)
            case .restart: restart = try c.optional(.restart)
            case .postStart: postStart = try c.value(.postStart, or: [])
            case .preStop: preStop = try c.value(.preStop, or: [])
            case .containerName: containerName = try c.optional(.containerName)
            case .hostname: hostname = try c.optional(.hostname)
            case .domainname: domainname = try c.optional(.domainname)
            case .labels: labels = try c.stringMap(.labels)
            case .annotations: annotations = try c.stringMap(.annotations)
            case .profiles: profiles = try c.value(.profiles, or: [])
            case .platform: platform = try c.optional(.platform)
            case .runtime: runtime = try c.optional(.runtime)
            case .ports: ports = try c.value(.ports, or: [])
            case .expose: expose = try c.value(.expose, or: [])
            case .networks:
                let attachments = try c.value(.networks, or: [String: ServiceNetwork?]())
                networks = attachments.mapValues { $0 ?? ServiceNetwork() }
            case .networkMode: networkMode = try c.optional(.networkMode)
            case .dns: dns = try c.value(.dns, or: [])
            case .dnsSearch: dnsSearch = try c.value(.dnsSearch, or: [])
            case .dnsOpt: dnsOpt = try c.value(.dnsOpt, or: [])
            case .extraHosts: extraHosts = try c.extraHosts(.extraHosts)
            case .macAddress: macAddress = try c.optional(.macAddress)
            case .links: links = try c.value(.links, or: [])
            case .externalLinks: externalLinks = try c.value(.externalLinks, or: [])
            case .volumes: volumes = try c.value(.volumes, or: [])
            case .volumesFrom: volumesFrom = try c.value(.volumesFrom, or: [])
            case .tmpfs: tmpfs = try c.value(.tmpfs, or: [])
            case .secrets: secrets = try c.value(.secrets, or: [])
            case .configs: configs = try c.value(.configs, or: [])
            case .readOnly: readOnly = try c.value(.readOnly, or: false)
            case .shmSize: shmSize = try c.byteSize(.shmSize)
            case .dependsOn: dependsOn = try c.value(.dependsOn, or: [:])
            case .deploy: deploy = try c.optional(.deploy)
            case .scale: scale = try c.optional(.scale)
            case .develop: develop = try c.optional(.develop)
            case .memLimit: memLimit = try c.byteSize(.memLimit)
            case .memReservation: memReservation = try c.byteSize(.memReservation)
            case .memswapLimit: memswapLimit = try c.byteSize(.memswapLimit)
            case .memSwappiness: memSwappiness = try c.optional(.memSwappiness)
            case .cpus: cpus = try c.optional(.cpus)
            case .cpuShares: cpuShares = try c.optional(.cpuShares)
            case .cpuQuota: cpuQuota = try c.optional(.cpuQuota)
            case .cpuPeriod: cpuPeriod = try c.optional(.cpuPeriod)
            case .cpuset: cpuset = try c.optional(.cpuset)
            case .blkioConfig: blkioConfig = try c.optional(.blkioConfig)
            case .pidsLimit: pidsLimit = try c.optional(.pidsLimit)
            case .ulimits: ulimits = try c.value(.ulimits, or: [:])
            case .oomScoreAdj: oomScoreAdj = try c.optional(.oomScoreAdj)
            case .oomKillDisable: oomKillDisable = try c.optional(.oomKillDisable)
            case .devices: devices = try c.value(.devices, or: [])
            case .privileged: privileged = try c.value(.privileged, or: false)
            case .capAdd: capAdd = try c.value(.capAdd, or: [])
            case .capDrop: capDrop = try c.value(.capDrop, or: [])
            case .securityOpt: securityOpt = try c.value(.securityOpt, or: [])
            case .sysctls: sysctls = try c.stringMap(.sysctls)
            case .ipc: ipc = try c.optional(.ipc)
            case .pid: pid = try c.optional(.pid)
            case .uts: uts = try c.optional(.uts)
            case .usernsMode: usernsMode = try c.optional(.usernsMode)
            case .cgroup: cgroup = try c.optional(.cgroup)
            case .cgroupParent: cgroupParent = try c.optional(.cgroupParent)
            case .logging: logging = try c.optional(.logging)
            }
        }
    }
}
